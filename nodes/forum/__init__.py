"""Forum nodes every agent shares: read the hints, apply trusted rules, learn rules from a run."""
