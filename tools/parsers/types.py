"""Result types shared by every document parser."""

from __future__ import annotations

import time
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Section:
    """One addressable piece of a parsed file."""

    title: str
    text: str
    locator: str
    kind: str  # "text" | "table" | "email"


@dataclass(frozen=True)
class ParseResult:
    """Outcome of parsing one file; `reason` is set when `ok` is False."""

    ok: bool
    file_type: str
    sections: tuple[Section, ...] = ()
    reason: str = ""
    meta: dict = field(default_factory=dict)


class ParseFailure(Exception):
    """Raised inside a parser to end it with a specific failure reason."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Deadline:
    """A point in time after which a parser gives up with reason "timeout"."""

    def __init__(self, seconds: float) -> None:
        self._end = time.monotonic() + seconds

    def expired(self) -> bool:
        """Return True once the time is up."""
        return time.monotonic() >= self._end

    def check(self) -> None:
        """Raise ParseFailure("timeout") once the time is up."""
        if self.expired():
            raise ParseFailure("timeout")

    def remaining(self) -> float:
        """Return the seconds left, never negative."""
        return max(0.0, self._end - time.monotonic())
