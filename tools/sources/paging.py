"""Opaque page tokens (base64url of an offset) and page slicing."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")
_PREFIX = "grove-offset:"


class BadPageToken(ValueError):
    """A page token that this connector did not hand out."""


def encode_token(offset: int) -> str:
    """Return the opaque token that resumes a listing at `offset`."""
    raw = f"{_PREFIX}{offset}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_token(token: str, total: int) -> int:
    """Return the offset in `token`, checked against a listing of `total` items."""
    try:
        padded = token + "=" * (-len(token) % 4)
        text = base64.urlsafe_b64decode(padded.encode()).decode()
        if not text.startswith(_PREFIX):
            raise ValueError(text)
        offset = int(text[len(_PREFIX) :])
    except (ValueError, binascii.Error, UnicodeError) as exc:
        raise BadPageToken(f"invalid page token {token!r}") from exc
    if not 0 <= offset <= total:
        raise BadPageToken(f"page token {token!r} is out of range")
    return offset


def take_page(items: Sequence[T], token: str | None, size: int) -> tuple[list[T], str | None]:
    """Return one page of `items` and the token for the next page, if any."""
    start = decode_token(token, len(items)) if token else 0
    size = max(1, int(size))
    end = start + size
    return list(items[start:end]), (encode_token(end) if end < len(items) else None)
