"""PDF files to one section per page (pypdf, with pdfplumber for pages pypdf reads blank)."""

from __future__ import annotations

import logging
from pathlib import Path

import pdfplumber
from pypdf import PdfReader
from pypdf.errors import FileNotDecryptedError, LimitReachedError, PdfReadError

from tools.parsers.split import titled_sections
from tools.parsers.types import Deadline, ParseFailure, Section

logging.getLogger("pypdf").setLevel(logging.ERROR)
logging.getLogger("pdfminer").setLevel(logging.ERROR)


def _open(path: Path) -> PdfReader:
    try:
        reader = PdfReader(path, strict=False)
    except PdfReadError as exc:
        raise ParseFailure(f"corrupt: {exc}") from exc
    if reader.is_encrypted:
        try:
            if not reader.decrypt(""):
                raise ParseFailure("encrypted")
        except (FileNotDecryptedError, NotImplementedError, PdfReadError) as exc:
            raise ParseFailure("encrypted") from exc
    return reader


def _plumber_texts(path: Path, indexes: list[int], deadline: Deadline) -> dict[int, str]:
    """Read the given pages with pdfplumber; pages it cannot read are left out."""
    texts: dict[int, str] = {}
    try:
        with pdfplumber.open(path) as pdf:
            for index in indexes:
                deadline.check()
                texts[index] = pdf.pages[index].extract_text() or ""
    except ParseFailure:
        raise
    except Exception:  # noqa: BLE001 - a second opinion only; pypdf's verdict stands
        pass
    return texts


def _check_streams(page, index: int) -> None:
    """Inflate the page's content streams first: pypdf stops at its limit, but extract_text()
    would then return '' as if the page were blank, and pdfplumber would inflate it all."""
    try:
        contents = page.get_contents()
        if contents is not None:
            contents.get_data()  # cached by pypdf, so extract_text() does not inflate it again
    except LimitReachedError as exc:
        raise ParseFailure(f"too large: page {index + 1} has a content stream past pypdf's inflate limit") from exc


def _title(reader: PdfReader) -> str:
    try:
        meta = reader.metadata
        return str(meta.title).strip() if meta and meta.title else ""
    except Exception:  # noqa: BLE001 - broken info dictionaries are common and harmless
        return ""


def read_pdf(path: Path, deadline: Deadline) -> tuple[list[Section], dict]:
    """Return one section per page with text (parts for long pages)."""
    reader = _open(path)
    try:
        pages = reader.pages
        count = len(pages)
    except Exception as exc:  # noqa: BLE001 - a broken page tree means an unreadable file
        raise ParseFailure(f"corrupt: page tree: {exc}") from exc
    texts: dict[int, str] = {}
    broken = []
    for index in range(count):
        deadline.check()
        try:
            _check_streams(pages[index], index)
            texts[index] = pages[index].extract_text() or ""
        except ParseFailure:
            raise
        except Exception:  # noqa: BLE001 - one bad page must not lose the others
            texts[index] = ""
            broken.append(index + 1)
    empty = [i for i in range(count) if not texts[i].strip()]
    if empty:
        texts.update(_plumber_texts(path, empty, deadline))
    sections: list[Section] = []
    blank = []
    for index in range(count):
        if texts[index].strip():
            sections.extend(titled_sections(texts[index], f"Page {index + 1}", f"page={index + 1}", describe=True))
        else:
            blank.append(index + 1)
    # A page with no text may be a scan or a stream the libraries gave up on: someone should look.
    meta = {
        "pages": count,
        "pages_without_text": blank,
        "unreadable_pages": broken,
        "needs_review": bool(blank or broken),
    }
    if title := _title(reader):
        meta["title"] = title
    if not sections:
        if count and len(broken) == count:
            raise ParseFailure("corrupt: no page could be read")
        raise ParseFailure("no text layer")
    return sections, meta
