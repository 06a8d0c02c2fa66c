"""Forum rules and the worded search's postings, shared by every backend."""
