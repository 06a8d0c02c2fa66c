"""MIME types guessed from file names, the same on every machine."""

from __future__ import annotations

import mimetypes

FOLDER = "application/vnd.google-apps.folder"
_OOXML = "application/vnd.openxmlformats-officedocument"
_EXTRA = {
    ".docx": f"{_OOXML}.wordprocessingml.document",
    ".xlsx": f"{_OOXML}.spreadsheetml.sheet",
    ".pptx": f"{_OOXML}.presentationml.presentation",
    ".msg": "application/vnd.ms-outlook",
    ".md": "text/markdown",
    ".mbox": "application/mbox",
}
# Built-in table only: the system's mime.types differs between machines.
_TABLE = mimetypes.MimeTypes()


def guess_mime(name: str) -> str:
    """Return the MIME type for a file name, `application/octet-stream` when unknown."""
    dot = name.rfind(".")
    ext = name[dot:].lower() if dot > 0 else ""
    if ext in _EXTRA:
        return _EXTRA[ext]
    return _TABLE.guess_type("f" + ext, strict=False)[0] or "application/octet-stream"
