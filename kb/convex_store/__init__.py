"""The production KB backend: the Convex functions in kb/convex, called with the `convex` client."""
