"""Evaluation of a client's KB: re-read its sources and measure coverage, duplicates, citations, hit@k."""
