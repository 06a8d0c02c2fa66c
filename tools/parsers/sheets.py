"""Excel workbooks (.xlsx via openpyxl, .xls via xlrd) to row-group table sections."""

from __future__ import annotations

import datetime as dt
import warnings
from pathlib import Path

import xlrd
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from tools.parsers.tables import Row, clean_cell, table_sections
from tools.parsers.types import Deadline, ParseFailure, Section

# openpyxl warns about every workbook feature it skips (data validation, extensions);
# none of them carry cell text.
warnings.filterwarnings("ignore", category=UserWarning, module="openpyxl")


def cell_text(value: object) -> str:
    """Render a cell value the way a reader of the sheet would see it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return clean_cell(str(value))


def _column(index: int) -> str:
    return f"Column {get_column_letter(index + 1)}"


def _sheet(name: str, rows: list[Row]) -> list[Section]:
    return table_sections(rows, title=f"Sheet {name}", locator=f"sheet={name}", column_name=_column)


def read_xlsx(path: Path, deadline: Deadline) -> tuple[list[Section], dict]:
    """Return row-group sections for every non-empty worksheet of an .xlsx workbook."""
    wb = load_workbook(path, read_only=True, data_only=True)
    sections, empty = [], []
    try:
        for ws in wb.worksheets:
            # Stored dimensions can claim a million rows; reading without them
            # visits only the cells that exist.
            ws.reset_dimensions()
            rows: list[Row] = []
            for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
                if number % 1000 == 0:
                    deadline.check()
                cells = {i: t for i, v in enumerate(values) if v is not None and (t := cell_text(v))}
                if cells:
                    rows.append((number, cells))
            found = _sheet(ws.title, rows)
            sections.extend(found)
            if not found:
                empty.append(ws.title)
        return sections, {"sheets": wb.sheetnames, "empty_sheets": empty}
    finally:
        wb.close()


def _xls_value(book: xlrd.Book, cell: xlrd.sheet.Cell) -> str:
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            return cell_text(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode))
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return cell_text(cell.value)
    if cell.ctype == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(cell.value, "#ERR")
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return cell_text(bool(cell.value))
    return cell_text(cell.value)


def read_xls(path: Path, deadline: Deadline) -> tuple[list[Section], dict]:
    """Return row-group sections for every non-empty sheet of a legacy .xls workbook."""
    try:
        book = xlrd.open_workbook(path, on_demand=True)
    except xlrd.XLRDError as exc:
        if "encrypt" in str(exc).lower():
            raise ParseFailure("encrypted") from exc
        raise
    sections, empty = [], []
    try:
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            rows: list[Row] = []
            for r in range(sheet.nrows):
                if r % 1000 == 0:
                    deadline.check()
                cells = {
                    c: t
                    for c, cell in enumerate(sheet.row(r))
                    if cell.ctype not in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK) and (t := _xls_value(book, cell))
                }
                if cells:
                    rows.append((r + 1, cells))
            found = _sheet(sheet.name, rows)
            sections.extend(found)
            if not found:
                empty.append(sheet.name)
            book.unload_sheet(index)
        return sections, {"sheets": book.sheet_names(), "empty_sheets": empty}
    finally:
        book.release_resources()
