"""Render table rows as compact row groups: the header once, whole rows only, repeated header rows dropped.

A large table also gets a summary section (columns, row count, value ranges), and its row groups
grow (up to a bound) so a huge homogeneous sheet becomes tens of entries, not thousands.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from tools.parsers.table_summary import summary_text
from tools.parsers.types import Section

Row = tuple[int, dict[int, str]]  # (row number, {column index: non-empty cell text})
ROWS_PER_GROUP = 25  # rows of an ordinary table per entry
GROUP_CHARS = 3000  # text of an ordinary row group
BIG_GROUP_CHARS = 8000  # a huge table's row groups may grow to this before more groups are made
TARGET_ROW_GROUPS = 36  # a huge table's groups grow (up to BIG_GROUP_CHARS) to stay near this many
MAX_ROW_GROUPS = 200  # row groups per table at most; rows past them are covered by the summary only
SUMMARY_ROWS = 50  # tables with more data rows than this get a summary section
_HEADER_SCAN = 10
_WIDE = 12  # a group this wide and this sparse is rendered "name: value"


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


def _without_header_text(cells: dict[int, str], header_values: set[str]) -> dict[int, str]:
    """A row made (mostly) of header names restates the header: keep only its other cells."""
    names = [c for c, v in cells.items() if v.casefold() in header_values]
    if len(cells) >= 2 and len(names) >= 0.8 * len(cells):
        return {c: v for c, v in cells.items() if c not in names}
    return cells


def _collapse(rows: list[Row]) -> list[tuple[int, int, dict[int, str]]]:
    """Merge runs of identical consecutive rows into (first, last, cells)."""
    out: list[tuple[int, int, dict[int, str]]] = []
    for number, cells in rows:
        if out and out[-1][2] == cells:
            out[-1] = (out[-1][0], number, cells)
        else:
            out.append((number, number, cells))
    return out


def _label(first: int, last: int) -> str:
    return f"{first}" if first == last else f"{first}-{last} (x{last - first + 1})"


def render_group(group: list[tuple[int, int, dict[int, str]]], names: dict[int, str]) -> str:
    """Render rows with the header once: columns equal in every row are stated once above them."""
    columns = sorted({c for _, _, cells in group for c in cells})
    constant = {}
    if len(group) >= 3:
        for c in columns:
            values = {cells.get(c) for _, _, cells in group}
            if len(values) == 1 and None not in values:
                constant[c] = values.pop()
    varying = [c for c in columns if c not in constant]
    lines = []
    if constant:
        lines.append("Same in every row: " + "; ".join(f"{names[c]}: {constant[c]}" for c in sorted(constant)))
    filled = sum(len([c for c in cells if c in varying]) for _, _, cells in group)
    sparse = len(varying) > _WIDE and filled < 0.5 * len(varying) * len(group)
    if varying and not sparse:
        lines.append("Row | " + " | ".join(names[c] for c in varying))
        lines += [f"{_label(a, b)} | " + " | ".join(cells.get(c, "") for c in varying) for a, b, cells in group]
    elif varying:
        lines += [
            f"Row {_label(a, b)}: " + "; ".join(f"{names[c]}: {cells[c]}" for c in varying if c in cells)
            for a, b, cells in group
        ]
    return "\n".join(lines)


def _row_chars(cells: dict[int, str], names: dict[int, str]) -> int:
    """What a row costs rendered either way (column names counted, capped: compact rows are cheaper)."""
    return 8 + sum(len(v) + 3 + min(len(names[c]), 12) for c, v in cells.items())


def _groups(
    rows: list[tuple[int, int, dict[int, str]]], names: dict[int, str], budget: int, rows_per_group: int
) -> list[list[tuple[int, int, dict[int, str]]]]:
    """Cut rows into groups of whole rows within `budget` characters (a lone long row stays whole)."""
    groups: list[list] = []
    size = 0
    for row in rows:
        cost = _row_chars(row[2], names)
        if not groups or (groups[-1] and (len(groups[-1]) >= rows_per_group or size + cost > budget)):
            groups.append([])
            size = 0
        groups[-1].append(row)
        size += cost
    return groups


def _title(title: str, group: list, names: dict[int, str], a: int) -> str:
    b = group[-1][1]
    columns = sorted({c for _, _, cells in group for c in cells}, key=lambda c: c)
    shown = ", ".join(names[c] for c in columns[:4]) + (", ..." if len(columns) > 4 else "")
    return f"{title} rows {a}-{b}" + (f" ({shown})" if shown else "")


def table_sections(
    rows: Iterable[Row],
    *,
    title: str,
    locator: str,
    column_name: Callable[[int], str],
    rows_per_group: int = ROWS_PER_GROUP,
) -> list[Section]:
    """Return a table's sections: a summary when it is large, then "<title> rows a-b" row groups.

    Rows above the header stay, as the first group's opening rows; rows that only restate the
    header are dropped; a row is never cut in two.
    """
    rows = [(n, cells) for n, cells in rows if cells]
    if not rows:
        return []
    h = _header_index(rows)
    header_number, header = rows[h]
    if len(rows) == 1:
        line = "Row | " + " | ".join(header[c] for c in sorted(header))
        return [
            Section(
                title=f"{title} row {header_number}",
                text=line,
                locator=f"{locator};rows={header_number}-{header_number}",
                kind="table",
            )
        ]
    columns = sorted({c for _, cells in rows for c in cells})
    names = {c: header.get(c) or column_name(c) for c in columns}
    header_values = {v.casefold() for v in header.values()}
    preamble = rows[:h]
    data = [(n, kept) for n, cells in rows[h + 1 :] if (kept := _without_header_text(cells, header_values))]
    repeats = len(rows) - h - 1 - len(data)
    sections: list[Section] = []
    if not data:
        text = "Columns: " + " | ".join(names[c] for c in sorted(header))
        if repeats:
            text += f"\n{repeats} further rows only repeat these column names; the table holds no data rows."
        return [
            Section(
                title=f"{title}: columns", text=text, locator=f"{locator};rows={rows[0][0]}-{rows[-1][0]}", kind="table"
            )
        ]
    collapsed = _collapse(data)
    total = sum(_row_chars(c, names) for _, _, c in collapsed)
    budget = GROUP_CHARS
    per_group = rows_per_group
    if len(data) > SUMMARY_ROWS:
        budget = min(BIG_GROUP_CHARS, max(GROUP_CHARS, total // TARGET_ROW_GROUPS + 1))
        per_group = max(rows_per_group, 10_000)
    groups = _groups(collapsed, names, budget, per_group)
    kept, left = groups[:MAX_ROW_GROUPS], groups[MAX_ROW_GROUPS:]
    if len(data) > SUMMARY_ROWS:
        shown = (kept[0][0][0], kept[-1][-1][1])
        text = summary_text(title, names, header, data, repeats, shown, left and (left[0][0][0], left[-1][-1][1]))
        sections.append(
            Section(
                title=f"{title}: summary of {len(data)} rows",
                text=text,
                locator=f"{locator};rows={data[0][0]}-{data[-1][0]};summary",
                kind="table",
            )
        )
    for i, group in enumerate(kept):
        body = render_group(group, names)
        if i == 0 and preamble:
            body = "\n".join(" | ".join(c[k] for k in sorted(c)) for _, c in preamble) + "\n" + body
        a = rows[0][0] if i == 0 else group[0][0]  # the first group's range takes in the header
        sections.append(
            Section(
                title=_title(title, group, names, a),
                text=body,
                locator=f"{locator};rows={a}-{group[-1][1]}",
                kind="table",
            )
        )
    return sections
