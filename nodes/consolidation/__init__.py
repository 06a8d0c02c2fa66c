"""Consolidation before the KB write: duplicate entries merged, each topic placed once, readable group names."""
