"""Google Drive served from a local folder tree: index, `q` queries, ordering."""
