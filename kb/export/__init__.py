"""Export of a KB snapshot as one HTML page or a Markdown folder."""
