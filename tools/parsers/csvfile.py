"""Delimited text files to row-group table sections."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from tools.parsers.encoding import decode_bytes
from tools.parsers.tables import Row, clean_cell, table_sections
from tools.parsers.types import Deadline, ParseFailure, Section


def _dialect(sample: str) -> type[csv.Dialect] | csv.Dialect:
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        return csv.excel_tab if sample.count("\t") > sample.count(",") else csv.excel


def read_csv(path: Path, deadline: Deadline) -> tuple[list[Section], dict]:
    """Return row-group sections of a CSV/TSV file of any common encoding and delimiter."""
    text = decode_bytes(path.read_bytes())
    dialect = _dialect(text[: 64 * 1024])
    rows: list[Row] = []
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        for number, values in enumerate(reader, start=1):
            if number % 1000 == 0:
                deadline.check()
            cells = {i: t for i, v in enumerate(values) if (t := clean_cell(v))}
            if cells:
                rows.append((number, cells))
    except csv.Error as exc:
        raise ParseFailure(f"corrupt: csv: {exc}") from exc
    sections = table_sections(rows, title="Table", locator="table=1", column_name=lambda i: f"Column {i + 1}")
    delimiter = getattr(dialect, "delimiter", ",")
    return sections, {"delimiter": delimiter, "rows": len(rows)}
