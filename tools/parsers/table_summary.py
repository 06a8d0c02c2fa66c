"""Describe a large table in a few lines: its columns, row count, value ranges and common values."""

from __future__ import annotations

import re
from collections import Counter

_NUMBER = re.compile(r"^-?\d[\d,]*(\.\d+)?$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
MAX_COLUMNS = 40  # columns described one by one; the rest are named only
TOP_VALUES = 4


def _number(value: str) -> float | None:
    text = value.strip().replace(",", "")
    return float(text) if _NUMBER.match(value.strip()) else None


def _fmt(x: float) -> str:
    return f"{int(x):,}" if x.is_integer() else f"{x:,.2f}"


def describe_column(name: str, values: list[str]) -> str:
    """One line about a column: how often filled, then its range or its most common values."""
    filled = len(values)
    numbers = [n for v in values if (n := _number(v)) is not None]
    dates = sorted(v[:10] for v in values if _DATE.match(v))
    distinct = Counter(values)
    if numbers and len(numbers) >= 0.8 * filled:
        detail = f"numbers {_fmt(min(numbers))} to {_fmt(max(numbers))}"
        if len(numbers) > 1:
            detail += f", total {_fmt(sum(numbers))}"
    elif dates and len(dates) >= 0.8 * filled:
        detail = f"dates {dates[0]} to {dates[-1]}"
    elif len(distinct) == filled:
        detail = "every value different, e.g. " + ", ".join(v[:40] for v in values[:TOP_VALUES])
    else:
        common = ", ".join(f"{v[:40]} ({n})" for v, n in distinct.most_common(TOP_VALUES))
        detail = f"{len(distinct)} distinct values; most common: {common}"
    return f"- {name}: {filled} filled; {detail}"


def summary_text(
    title: str,
    names: dict[int, str],
    header: dict[int, str],
    data: list[tuple[int, dict[int, str]]],
    repeats: int,
    shown: tuple[int, int],
    summarised_only: tuple[int, int] | None,
) -> str:
    """The text of a table's summary section."""
    columns = sorted({c for _, cells in data for c in cells})
    lines = [
        f"{title}: {len(data)} data rows (rows {data[0][0]}-{data[-1][0]}), {len(columns)} columns.",
        "Columns: " + " | ".join(names[c] for c in columns),
    ]
    if repeats:
        lines.append(f"{repeats} rows only repeat the column names and are left out.")
    lines.append(
        f"Rows {shown[0]}-{shown[1]} follow in row groups."
        + (f" Rows {summarised_only[0]}-{summarised_only[1]} are described here only." if summarised_only else "")
    )
    for c in columns[:MAX_COLUMNS]:
        values = [cells[c] for _, cells in data if c in cells]
        lines.append(describe_column(names[c], values))
    if len(columns) > MAX_COLUMNS:
        lines.append(f"({len(columns) - MAX_COLUMNS} more columns not described)")
    return "\n".join(lines)
