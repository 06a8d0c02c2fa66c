"""Xero served from CSV exports, and how the explorers walk it."""
