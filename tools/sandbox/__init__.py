"""One agent's sandbox: workspace naming and cleanup, path-checked file access, isolated commands, tools."""
