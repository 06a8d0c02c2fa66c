"""Slack served from a workspace export, and how the explorers walk it."""
