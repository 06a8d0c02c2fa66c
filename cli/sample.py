"""The bundled sample export (client-a-enron) that `grove demo` and the quickstart run on."""

from __future__ import annotations

from pathlib import Path


def sample_dir() -> Path:
    """The sample in the repository's examples/ (it ships with a checkout, not with the installed package)."""
    return Path(__file__).resolve().parent.parent / "examples" / "client-a-enron"


def sample_sources() -> list[dict]:
    """The sample's Gmail, Drive and Sheets exports as run sources."""
    root = sample_dir()
    if not root.is_dir():
        raise SystemExit(f"grove demo: the bundled sample is missing at {root}")
    return [{"type": "gmail", "path": str(root / "gmail" / "All mail.mbox"), "connection": "local"},
            {"type": "drive", "path": str(root / "drive"), "connection": "local"},
            {"type": "sheets", "path": str(root / "sheets"), "connection": "local"}]
