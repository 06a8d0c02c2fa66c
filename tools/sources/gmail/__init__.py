"""Gmail served from a local mail export: the on-disk index, search, payloads, labels, rendering."""
