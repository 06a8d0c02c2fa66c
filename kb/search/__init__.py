"""Ranking shared by every backend: question parsing, BM25, embeddings, reciprocal rank fusion."""
