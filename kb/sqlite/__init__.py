"""The embedded KB backend: SQLite with FTS5, sqlite-vec vectors, the tree and the forum."""
