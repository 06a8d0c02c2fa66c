"""convex_store."""
