"""forum."""
