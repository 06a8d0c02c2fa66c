"""Render table rows as text in bounded row groups, each restating the header."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from tools.parsers.split import MAX_CHARS, split_text
from tools.parsers.types import Section

Row = tuple[int, dict[int, str]]  # (row number, {column index: non-empty cell text})
ROWS_PER_GROUP = 25
_HEADER_SCAN = 10
_HEADER_MAX = 800


def clean_cell(value: str) -> str:
    """Put a cell on one line: inner line breaks become " / "."""
    lines = (line.strip() for line in str(value).replace("\r", "\n").split("\n"))
    return " / ".join(line for line in lines if line)


def _header_index(rows: list[Row]) -> int:
    """Pick the header: the first early row about as wide as the widest early row."""
    early = rows[:_HEADER_SCAN]
    widest = max(len(cells) for _, cells in early)
    for i, (_, cells) in enumerate(early):
        if len(cells) >= max(1, widest // 2) and len(cells) > 1 or widest == 1:
            return i
    return 0


def _render_row(number: int, cells: dict[int, str], names: dict[int, str]) -> str:
    if not names:
        return f"Row {number}: " + " | ".join(cells[c] for c in sorted(cells))
    parts = [f"{names.get(c, '')}: {cells[c]}" if names.get(c) else cells[c] for c in sorted(cells)]
    return f"Row {number}: " + "; ".join(parts)


def table_sections(rows: Iterable[Row], *, title: str, locator: str,
                   column_name: Callable[[int], str],
                   rows_per_group: int = ROWS_PER_GROUP) -> list[Section]:
    """Return "<title> rows a-b" table sections; rows above the header keep their place."""
    rows = [(n, cells) for n, cells in rows if cells]
    if not rows:
        return []
    h = _header_index(rows)
    header_number, header = rows[h]
    columns = sorted({c for _, cells in rows for c in cells})
    names = {c: header.get(c) or column_name(c) for c in columns}
    header_line = "Columns: " + " | ".join(names[c] for c in columns)
    if len(header_line) > _HEADER_MAX:  # the full header row is still rendered as a row
        header_line = header_line[:_HEADER_MAX] + " ..."
    body = [(n, _render_row(n, cells, {}) if i <= h else _render_row(n, cells, names))
            for i, (n, cells) in enumerate(rows)]
    if len(rows) == 1:
        body = [(header_number, _render_row(header_number, header, {}))]
    groups: list[list[tuple[int, str]]] = [[]]
    size = len(header_line)
    for number, line in body:
        group = groups[-1]
        if group and (len(group) >= rows_per_group or size + len(line) + 1 > MAX_CHARS):
            groups.append([])
            size = len(header_line)
        groups[-1].append((number, line))
        size += len(line) + 1
    sections = []
    for group in groups:
        a, b = group[0][0], group[-1][0]
        text = header_line + "\n" + "\n".join(line for _, line in group)
        chunks = [text] if len(text) <= MAX_CHARS else [
            header_line + "\n" + chunk
            for chunk in split_text("\n".join(line for _, line in group),
                                    MAX_CHARS - len(header_line) - 1)]
        for part, chunk in enumerate(chunks, start=1):
            suffix = f" (part {part})" if len(chunks) > 1 else ""
            loc = f";part={part}" if len(chunks) > 1 else ""
            sections.append(Section(title=f"{title} rows {a}-{b}{suffix}", text=chunk,
                                    locator=f"{locator};rows={a}-{b}{loc}", kind="table"))
    return sections
