"""Rendering cell values as the Sheets API does for each valueRenderOption."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

_EPOCH = datetime(1899, 12, 30)


def render(value: Any, value_option: str | None, date_option: str | None) -> Any:
    """Render one cell; FORMATTED_VALUE (default) gives strings with ISO dates."""
    if (value_option or "FORMATTED_VALUE") == "UNFORMATTED_VALUE":
        return _unformatted(value, date_option)
    return formatted(value)


def formatted(value: Any) -> str:
    """Return a cell as display text: TRUE/FALSE, plain numbers, ISO dates."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else f"{value:.15g}"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat()
    if isinstance(value, (date, time)):
        return value.isoformat()
    return str(value)


def _unformatted(value: Any, date_option: str | None) -> Any:
    if value is None:
        return ""
    if isinstance(value, (datetime, date, time, timedelta)):
        if (date_option or "SERIAL_NUMBER") == "FORMATTED_STRING":
            return formatted(value)
        return _serial(value)
    if isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def _serial(value: datetime | date | time | timedelta) -> float:
    if isinstance(value, timedelta):
        return value.total_seconds() / 86400
    if isinstance(value, time):
        return (value.hour * 3600 + value.minute * 60 + value.second) / 86400
    if not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day)
    delta = value.replace(tzinfo=None) - _EPOCH
    return delta.days + delta.seconds / 86400
