"""Quality measures over a client's stored entries and retrieval on question files."""
