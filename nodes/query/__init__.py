"""The kb_query graph's nodes and state: retrieve a client's entries, compose a cited answer."""
