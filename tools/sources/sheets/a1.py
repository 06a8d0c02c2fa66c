"""A1 notation: parsing ranges such as `'My Sheet'!B2:D` and writing them back."""

from __future__ import annotations

import re
from dataclasses import dataclass

_CELL = re.compile(r"^(?P<col>[A-Za-z]{1,3})?(?P<row>[1-9][0-9]{0,6})?$")


class RangeError(ValueError):
    """A range that cannot be read as A1 notation."""


@dataclass(frozen=True)
class GridRange:
    """Inclusive 1-based bounds; None means open (to the sheet's edge)."""

    row0: int | None = None
    col0: int | None = None
    row1: int | None = None
    col1: int | None = None


def split_sheet(text: str) -> tuple[str | None, str | None]:
    """Split `Sheet!A1:B2` into (sheet name or None, grid part or None)."""
    text = text.strip()
    if text.startswith("'"):
        end, name = 1, []
        while end < len(text):
            if text[end] == "'" and text[end + 1 : end + 2] == "'":
                name.append("'")
                end += 2
            elif text[end] == "'":
                break
            else:
                name.append(text[end])
                end += 1
        rest = text[end + 1 :]
        if end >= len(text) or (rest and not rest.startswith("!")):
            raise RangeError(f"bad quoted sheet name in range {text!r}")
        return "".join(name), (rest[1:] or None)
    if "!" in text:
        sheet, _, grid = text.rpartition("!")
        return sheet, (grid or None)
    return None, text or None


def is_grid(text: str) -> bool:
    """True when `text` reads as cells (A1, A1:B2, A:C, 2:5), not as a sheet name."""
    try:
        parse_grid(text)
    except RangeError:
        return False
    return True


def parse_grid(text: str) -> GridRange:
    """Parse `A1:B2`, `A:C`, `2:5`, `B3` or `A2:C` into a GridRange."""
    first, sep, second = text.strip().partition(":")
    a = _cell(first, text)
    b = _cell(second, text) if sep else a
    if a == (None, None) or b == (None, None):
        raise RangeError(f"bad range {text!r}")
    (c0, r0), (c1, r1) = a, b
    if (c0 and c1 and c1 < c0) or (r0 and r1 and r1 < r0):
        raise RangeError(f"range {text!r} ends before it starts")
    return GridRange(row0=r0, col0=c0, row1=r1, col1=c1)


def column_number(letters: str) -> int:
    """Return 1 for A, 27 for AA."""
    number = 0
    for char in letters.upper():
        number = number * 26 + ord(char) - 64
    return number


def column_letters(number: int) -> str:
    """Return A for 1, AA for 27."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def quote_sheet(name: str) -> str:
    """Return a sheet name as it appears before `!` in a range."""
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name) and not is_grid(name):
        return name
    return "'" + name.replace("'", "''") + "'"


def format_range(sheet: str, row0: int, col0: int, row1: int, col1: int) -> str:
    """Return e.g. `'My Sheet'!A1:C10`."""
    start = f"{column_letters(col0)}{row0}"
    end = f"{column_letters(col1)}{row1}"
    return f"{quote_sheet(sheet)}!{start}" + ("" if start == end else f":{end}")


def _cell(text: str, whole: str) -> tuple[int | None, int | None]:
    match = _CELL.match(text.strip())
    if not match:
        raise RangeError(f"bad cell {text!r} in range {whole!r}")
    col, row = match.group("col"), match.group("row")
    return (column_number(col) if col else None), (int(row) if row else None)
