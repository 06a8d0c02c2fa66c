"""Plain text and Markdown files of any common encoding to paragraph sections."""

from __future__ import annotations

from pathlib import Path

from tools.parsers.encoding import detect_encoding
from tools.parsers.split import paragraph_sections
from tools.parsers.types import Deadline, Section


def read_text(path: Path, deadline: Deadline) -> tuple[list[Section], dict]:
    """Return paragraph sections of a text file, decoded with its detected encoding."""
    data = path.read_bytes()
    encoding = detect_encoding(data)
    text = data.decode(encoding, errors="replace").replace("\r\n", "\n").replace("\r", "\n")
    deadline.check()
    return paragraph_sections(text), {"encoding": encoding}
