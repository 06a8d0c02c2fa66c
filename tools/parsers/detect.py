"""Decide a file's type from its name, checked against its first bytes."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import olefile

from tools.parsers.types import ParseFailure

SUPPORTED_TYPES = frozenset(
    {
        "pdf",
        "docx",
        "doc",
        "xlsx",
        "xls",
        "csv",
        "pptx",
        "ppt",
        "html",
        "txt",
        "md",
        "eml",
        "msg",
        "rtf",
        "json",
    }
)
ALIASES = {
    "htm": "html",
    "xhtml": "html",
    "xlsm": "xlsx",
    "markdown": "md",
    "text": "txt",
    "tsv": "csv",
    "docm": "docx",
    "pptm": "pptx",
    "dot": "doc",
    "pps": "ppt",
}
_BINARY_TYPES = frozenset({"pdf", "docx", "xlsx", "pptx", "doc", "xls", "ppt", "msg"})
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_PARTS = (("word/document.xml", "docx"), ("xl/workbook.xml", "xlsx"), ("ppt/presentation.xml", "pptx"))
_OLE_STREAMS = (("WordDocument", "doc"), ("Workbook", "xls"), ("Book", "xls"), ("PowerPoint Document", "ppt"))
_MAIL_HEADER = re.compile(
    rb"^(From|Received|Return-Path|Message-ID|Date|Subject|MIME-Version"
    rb"|Delivered-To|X-[\w-]+):",
    re.I,
)


def extension(name: str) -> str:
    """Return the lower-case extension of `name` without the dot, or ""."""
    suffix = Path(name).suffix.lower().lstrip(".")
    return suffix if suffix.isalnum() else ""


def _ole_type(path: Path, claimed: str) -> str:
    try:
        with olefile.OleFileIO(str(path)) as ole:
            streams = {"/".join(entry) for entry in ole.listdir()}
    except Exception as exc:  # noqa: BLE001 - olefile raises plain OSErrors and its own
        raise ParseFailure(f"corrupt: damaged OLE2 container ({exc})"[:200]) from exc
    if "EncryptedPackage" in streams or "EncryptionInfo" in streams:
        raise ParseFailure("encrypted")
    if any(s.startswith("__substg1.0_") for s in streams):
        return "msg"
    for stream, kind in _OLE_STREAMS:
        if stream in streams:
            return kind
    return claimed


def _zip_type(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return ""
    for part, kind in _ZIP_PARTS:
        if part in names:
            return kind
    return ""


def _text_type(head: bytes) -> str:
    sample = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if sample.startswith((b"<!doctype html", b"<html")) or b"<html" in sample[:1024]:
        return "html"
    if _MAIL_HEADER.match(head) and re.search(rb"^(From|Subject|Date):", head, re.I | re.M):
        return "eml"
    return ""


def sniff(path: Path) -> str:
    """Return the type the content proves, or "" when the bytes are not conclusive."""
    with path.open("rb") as fh:
        head = fh.read(8192)
    if head.startswith(_OLE_MAGIC):
        return "ole"
    if head.startswith(b"PK\x03\x04"):
        return _zip_type(path) or "zip"
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.lstrip().startswith(b"{\\rtf"):
        return "rtf"
    return _text_type(head)


def detect_type(path: Path, name: str) -> str:
    """Return the parser type for `path`; raise ParseFailure for unsupported or encrypted files."""
    ext = extension(name)
    claimed = ALIASES.get(ext, ext)
    found = sniff(path)
    if found == "ole":
        return _ole_type(path, claimed if claimed in ("doc", "xls", "ppt", "msg") else "") or _unsupported(
            ext, "OLE2 file of unknown kind"
        )
    if found == "zip":
        if claimed in ("docx", "xlsx", "pptx"):
            raise ParseFailure(f"corrupt: not a valid {claimed} package")
        return _unsupported(ext, "" if ext == "zip" else "zip archive")
    if found in ("pdf", "rtf", "docx", "xlsx", "pptx"):
        return found
    if claimed in SUPPORTED_TYPES:
        # Word and Excel save HTML under their own extensions; the bytes tell.
        if found == "html" and claimed in ("doc", "xls", "txt"):
            return "html"
        if claimed in _BINARY_TYPES:
            # No binary format's signature was found: a mislabelled page or message is read
            # for what it is; anything else never reaches a parser library.
            if found in ("html", "eml"):
                return found
            raise ParseFailure(f"corrupt: content is not a {claimed} file (no {claimed} signature)")
        return claimed
    if not ext and found:
        return found
    if not ext:
        return "txt" if _looks_textual(path) else _unsupported(ext, "unknown binary data")
    return _unsupported(ext, "")


def _looks_textual(path: Path) -> bool:
    with path.open("rb") as fh:
        head = fh.read(8192)
    return b"\x00" not in head


def _unsupported(ext: str, what: str) -> str:
    label = f".{ext}" if ext else "(no extension)"
    raise ParseFailure(f"unsupported format: {label}" + (f" ({what})" if what else ""))
