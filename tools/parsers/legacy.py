"""Legacy binary Word (.doc) and PowerPoint (.ppt) files via antiword, catdoc and catppt."""

from __future__ import annotations

import re
from pathlib import Path

from tools.parsers.encoding import decode_bytes
from tools.parsers.external import run_tool
from tools.parsers.split import paragraph_sections, titled_sections
from tools.parsers.types import Deadline, ParseFailure, Section


def _tidy(text: str) -> str:
    """Collapse the column padding converters emit and drop trailing spaces."""
    lines = (re.sub(r"[ \t]{2,}", " ", line).rstrip() for line in text.splitlines())
    # Empty table rows come out as bare "| | |" lines.
    return "\n".join(line for line in lines if not re.fullmatch(r"[| ]*\|[| ]*", line))


def _first_line(err: bytes) -> str:
    lines = [ln for ln in decode_bytes(err).splitlines()
             if ln.strip() and "HOME directory" not in ln]
    return lines[0].strip()[:160] if lines else "no output"


def _doc_text(path: Path, deadline: Deadline) -> str:
    code, out, err = run_tool(["antiword", "-m", "UTF-8.txt", "-w", "0", str(path)], deadline)
    if code == 0 and out.strip():
        return out.decode("utf-8", errors="replace")
    reason = _first_line(err)
    if "encrypt" in reason.lower():
        raise ParseFailure("encrypted")
    # catdoc reads older and odder Word files that antiword rejects.
    code2, out2, err2 = run_tool(["catdoc", "-d", "utf-8", "-w", str(path)], deadline)
    if code2 == 0 and out2.strip():
        return out2.decode("utf-8", errors="replace")
    if code == 0 and code2 == 0:
        return ""
    raise ParseFailure(f"corrupt: antiword: {reason}")


def read_doc(path: Path, deadline: Deadline) -> tuple[list[Section], dict]:
    """Return paragraph sections of a Word 97-2003 document."""
    return paragraph_sections(_tidy(_doc_text(path, deadline))), {"converter": "antiword"}


def read_ppt(path: Path, deadline: Deadline) -> tuple[list[Section], dict]:
    """Return the text of a PowerPoint 97-2003 deck; catppt separates slides with form feeds."""
    code, out, err = run_tool(["catppt", "-d", "utf-8", str(path)], deadline)
    if code != 0:
        raise ParseFailure(f"corrupt: catppt: {_first_line(err)}")
    text = out.decode("utf-8", errors="replace")
    slides = text.split("\f") if "\f" in text else [text]
    sections: list[Section] = []
    if len(slides) > 1:
        for number, slide in enumerate(slides, start=1):
            if slide.strip():
                sections.extend(titled_sections(_tidy(slide), f"Slide {number}", f"slide={number}", describe=True))
    else:
        sections = paragraph_sections(_tidy(text))
    return sections, {"converter": "catppt"}
