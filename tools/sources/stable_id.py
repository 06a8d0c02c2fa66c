"""Stable hexadecimal ids derived from content or paths."""

from __future__ import annotations

import hashlib


def stable_id(value: str | bytes, length: int = 16) -> str:
    """Return the first `length` hex digits of the SHA-256 of `value`."""
    data = value.encode("utf-8", "surrogateescape") if isinstance(value, str) else value
    return hashlib.sha256(data).hexdigest()[:length]
