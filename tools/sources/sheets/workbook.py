"""Opening a local spreadsheet file (.xlsx, .xls, .csv) as a list of sheets of cells."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import olefile

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class WorkbookError(Exception):
    """A spreadsheet that cannot be read; the message starts with its file name."""


@dataclass(frozen=True)
class SheetInfo:
    """One sheet: its title, visibility and used extent (1-based, 0 when empty)."""

    title: str
    hidden: bool
    rows: int
    cols: int


class Book(Protocol):
    """What every reader offers: sheet infos, a row window, and close."""

    sheets: list[SheetInfo]

    def rows(self, index: int, row0: int, row1: int, col0: int, col1: int) -> Iterator[list[Any]]: ...

    def close(self) -> None: ...


def open_book(path: Path) -> Book:
    """Open `path`; raise WorkbookError `<name>: encrypted` or `<name>: corrupt: ...`."""
    from tools.sources.sheets.workbook_readers import CsvBook, XlsBook, XlsxBook

    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            return CsvBook(path)
        if suffix == ".xls":
            return XlsBook(path)
        if _is_encrypted_ole(path):
            raise WorkbookError(f"{path.name}: encrypted")
        return XlsxBook(path)
    except WorkbookError:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, EOFError) as exc:
        raise WorkbookError(f"{path.name}: corrupt: {exc}") from exc
    except Exception as exc:  # readers raise their own error types; all mean unreadable
        raise WorkbookError(f"{path.name}: corrupt: {type(exc).__name__}: {exc}") from exc


def _is_encrypted_ole(path: Path) -> bool:
    # An encrypted .xlsx is an OLE compound file holding EncryptionInfo, not a zip.
    with path.open("rb") as handle:
        if handle.read(8) != _OLE_MAGIC:
            return False
    try:
        with olefile.OleFileIO(str(path)) as ole:
            return ole.exists("EncryptionInfo") or ole.exists("EncryptedPackage")
    except OSError:
        return False
