"""Extraction of zip and tar archives inside a workspace, within limits."""
