"""Benchmarks: each claim of the design measured against its baseline in the same run (`make bench`)."""
