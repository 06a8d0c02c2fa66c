"""Notion served from a Markdown/HTML export, and how the explorers walk it."""
