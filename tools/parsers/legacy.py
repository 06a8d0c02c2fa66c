"""Legacy binary Word (.doc) and PowerPoint (.ppt) files, read in Python with no system tool."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from ppt2pptx import convert
from ppt2pptx.errors import EncryptedPresentationError, Ppt2PptxError

from tools.parsers.office import read_pptx
from tools.parsers.split import paragraph_sections
from tools.parsers.types import Deadline, ParseFailure, Section
from tools.parsers.word_binary import word_text


def _tidy(text: str) -> str:
    """Collapse the tab and space runs forms use for layout and drop trailing spaces."""
    return "\n".join(re.sub(r"[ \t]{2,}", " ", line).rstrip() for line in text.splitlines())


def read_doc(path: Path, deadline: Deadline) -> tuple[list[Section], dict]:
    """Return paragraph sections of a Word 97-2003 or Word 6/95 document."""
    return paragraph_sections(_tidy(word_text(path))), {"converter": "grove.word_binary"}


def read_ppt(path: Path, deadline: Deadline) -> tuple[list[Section], dict]:
    """Return one section per slide of a PowerPoint 97-2003 deck, converted to .pptx first.

    ppt2pptx rebuilds each slide's shapes (text boxes, tables, notes), so text placed on a
    slide, not only in its outline, is found; the .pptx reader then reads it like any deck.
    """
    with tempfile.TemporaryDirectory(prefix="grove-ppt-") as scratch:
        target = Path(scratch) / "deck.pptx"
        try:
            convert(path, target)
        except EncryptedPresentationError as exc:
            raise ParseFailure("encrypted") from exc
        except Ppt2PptxError as exc:
            raise ParseFailure(f"corrupt: {str(exc)[:160]}") from exc
        deadline.check()
        sections, meta = read_pptx(target, deadline)
    return sections, {**meta, "converter": "ppt2pptx"}
