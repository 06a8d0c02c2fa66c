"""The `grove` command line: the top layer, above the graphs."""
