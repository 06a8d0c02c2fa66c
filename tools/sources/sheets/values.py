"""Reading an A1 range of a workbook into a Sheets API ValueRange."""

from __future__ import annotations

from typing import Any

from tools.sources.sheets.a1 import RangeError, format_range, is_grid, parse_grid, quote_sheet, split_sheet
from tools.sources.sheets.cell_values import render
from tools.sources.sheets.workbook import Book

MAX_ROWS = 1000
MAX_CELLS = 20000


def find_sheet(book: Book, range_text: str) -> tuple[int, str | None]:
    """Return (sheet index, grid part) for a range; raise RangeError naming what is missing."""
    sheet, grid = split_sheet(range_text)
    titles = [info.title for info in book.sheets]
    if sheet is None:
        if grid in titles:
            return titles.index(grid), None
        if grid is None or not is_grid(grid):
            raise RangeError(f"no sheet named {grid!r}; sheets are {titles}")
        visible = [i for i, info in enumerate(book.sheets) if not info.hidden]
        return (visible[0] if visible else 0), grid
    if sheet in titles:
        return titles.index(sheet), grid
    folded = [t.casefold() for t in titles]
    if sheet.casefold() in folded:
        return folded.index(sheet.casefold()), grid
    raise RangeError(f"no sheet named {sheet!r}; sheets are {titles}")


def read_range(book: Book, range_text: str, options: dict[str, Any]) -> dict[str, Any]:
    """Return {range, majorDimension, values} for `range_text`, in slices of MAX_ROWS.

    options: start_row, end_row, major_dimension, value_render_option, date_time_render_option.
    """
    if not book.sheets:
        raise RangeError("the spreadsheet has no sheets")
    index, grid_text = find_sheet(book, range_text)
    info = book.sheets[index]
    grid = parse_grid(grid_text) if grid_text else None
    row0 = max((grid.row0 if grid and grid.row0 else 1), int(options.get("start_row") or 1))
    col0 = grid.col0 if grid and grid.col0 else 1
    row1 = min(grid.row1 if grid and grid.row1 else info.rows, info.rows)
    col1 = min(grid.col1 if grid and grid.col1 else info.cols, info.cols)
    if options.get("end_row"):
        row1 = min(row1, int(options["end_row"]))
    major = (options.get("major_dimension") or "ROWS").upper()
    major = "COLUMNS" if major == "COLUMNS" else "ROWS"
    result: dict[str, Any] = {"range": quote_sheet(info.title), "majorDimension": major, "values": []}
    if row0 > row1 or col0 > col1:
        return result
    cap = max(1, min(MAX_ROWS, MAX_CELLS // (col1 - col0 + 1)))
    last = min(row1, row0 + cap - 1)
    result["range"] = format_range(info.title, row0, col0, last, col1)
    value_option = options.get("value_render_option")
    date_option = options.get("date_time_render_option")
    rows = [[render(v, value_option, date_option) for v in row] for row in book.rows(index, row0, last, col0, col1)]
    result["values"] = _trim(list(map(list, zip(*rows))) if major == "COLUMNS" else rows)
    if last < row1:
        result["truncated"] = True
        result["next_start_row"] = last + 1
    return result


def _trim(lines: list[list[Any]]) -> list[list[Any]]:
    # The API drops trailing empty cells of each line and trailing empty lines.
    out = []
    for line in lines:
        while line and line[-1] == "":
            line.pop()
        out.append(line)
    while out and not out[-1]:
        out.pop()
    return out
