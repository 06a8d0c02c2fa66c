"""Where downloaded files go: the agent's sandbox, behind a small protocol."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Protocol, runtime_checkable

_UNSAFE = re.compile(r"[\x00-\x1f/\\:]+")


@runtime_checkable
class DownloadSink(Protocol):
    """Writes bytes at a workspace-relative path and returns the absolute path written."""

    def write_bytes(self, rel: str, data: bytes) -> Path: ...


def safe_name(name: str, fallback: str = "file") -> str:
    """Return `name` reduced to one harmless path component."""
    cleaned = _UNSAFE.sub("_", name or "").strip().strip(".")
    return cleaned[:200] or fallback


def save_download(sink: DownloadSink, toolkit: str, item_id: str, name: str, data: bytes) -> str:
    """Write `data` under downloads/<toolkit>/<item_id>/<name>; return the local path."""
    rel = f"downloads/{toolkit}/{safe_name(item_id)}/{safe_name(name)}"
    return str(sink.write_bytes(rel, data))
