"""Readers behind open_book: openpyxl for .xlsx, xlrd for .xls, csv for .csv."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import Any

from tools.sources.sheets.workbook import SheetInfo, WorkbookError


def _pad(values: Any, width: int) -> list[Any]:
    row = list(values)[:width]
    return row + [None] * (width - len(row))


def _extent(rows: Iterator[Any]) -> tuple[int, int]:
    last_row = last_col = 0
    for number, row in enumerate(rows, start=1):
        filled = [i for i, value in enumerate(row, start=1) if value not in (None, "")]
        if filled:
            last_row, last_col = number, max(last_col, filled[-1])
    return last_row, last_col


class XlsxBook:
    """An .xlsx/.xlsm workbook read in streaming mode with cached values."""

    def __init__(self, path: Path) -> None:
        import openpyxl

        self._book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        self.sheets = []
        for sheet in self._book.worksheets:
            sheet.reset_dimensions()  # the stored dimension tag is often wrong
            rows, cols = _extent(sheet.iter_rows(values_only=True))
            hidden = sheet.sheet_state != "visible"
            self.sheets.append(SheetInfo(sheet.title, hidden, rows, cols))

    def rows(self, index: int, row0: int, row1: int, col0: int, col1: int) -> Iterator[list[Any]]:
        sheet = self._book.worksheets[index]
        width = col1 - col0 + 1
        produced = 0
        for values in sheet.iter_rows(min_row=row0, max_row=row1, min_col=col0, max_col=col1, values_only=True):
            produced += 1
            yield _pad(values, width)
        for _ in range(row1 - row0 + 1 - produced):
            yield [None] * width

    def close(self) -> None:
        self._book.close()


class XlsBook:
    """A legacy .xls workbook."""

    def __init__(self, path: Path) -> None:
        import xlrd

        try:
            self._book = xlrd.open_workbook(str(path), on_demand=True)
        except xlrd.XLRDError as exc:
            if "encrypt" in str(exc).lower():
                raise WorkbookError(f"{path.name}: encrypted") from exc
            raise
        self._xlrd = xlrd
        self.sheets = []
        for index in range(self._book.nsheets):
            sheet = self._book.sheet_by_index(index)
            rows, cols = _extent(sheet.row_values(r) for r in range(sheet.nrows))
            self.sheets.append(SheetInfo(sheet.name, sheet.visibility != 0, rows, cols))

    def rows(self, index: int, row0: int, row1: int, col0: int, col1: int) -> Iterator[list[Any]]:
        sheet = self._book.sheet_by_index(index)
        for r in range(row0 - 1, row1):
            if r >= sheet.nrows:
                yield [None] * (col1 - col0 + 1)
                continue
            cells = sheet.row_slice(r, col0 - 1, min(col1, sheet.ncols))
            yield _pad((self._value(cell) for cell in cells), col1 - col0 + 1)

    def _value(self, cell: Any) -> Any:
        xlrd = self._xlrd
        if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
            return None
        if cell.ctype == xlrd.XL_CELL_DATE:
            try:
                return xlrd.xldate.xldate_as_datetime(cell.value, self._book.datemode)
            except (ValueError, OverflowError, xlrd.xldate.XLDateError):
                return cell.value
        if cell.ctype == xlrd.XL_CELL_BOOLEAN:
            return bool(cell.value)
        if cell.ctype == xlrd.XL_CELL_ERROR:
            return xlrd.error_text_from_code.get(cell.value, "#ERROR")
        return cell.value

    def close(self) -> None:
        self._book.release_resources()


class CsvBook:
    """A .csv file as one sheet named after the file."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._encoding = _encoding(path)
        rows, cols = _extent(self._reader())
        self.sheets = [SheetInfo(path.stem, False, rows, cols)]

    def _reader(self) -> Iterator[list[str]]:
        with self._path.open(newline="", encoding=self._encoding, errors="replace") as handle:
            sample = handle.read(64 * 1024)
            handle.seek(0)
            try:
                dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t|")
            except csv.Error:
                dialect = csv.excel
            try:
                yield from csv.reader(handle, dialect)
            except csv.Error as exc:
                raise WorkbookError(f"{self._path.name}: corrupt: {exc}") from exc

    def rows(self, index: int, row0: int, row1: int, col0: int, col1: int) -> Iterator[list[Any]]:
        width = col1 - col0 + 1
        produced = 0
        for values in islice(self._reader(), row0 - 1, row1):
            produced += 1
            yield _pad([v if v != "" else None for v in values[col0 - 1 : col1]], width)
        for _ in range(row1 - row0 + 1 - produced):
            yield [None] * width

    def close(self) -> None:
        return None


def _encoding(path: Path) -> str:
    with path.open("rb") as handle:
        head = handle.read(256 * 1024)
    try:
        head.decode("utf-8-sig")
        return "utf-8-sig"
    except UnicodeDecodeError as exc:
        # A cut multi-byte character at the end of the sample is still UTF-8.
        return "utf-8-sig" if exc.start >= len(head) - 3 else "cp1252"
