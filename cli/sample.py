"""The sample export (client-a-enron) that `grove demo` and the quickstart run on."""

from __future__ import annotations

import os
from pathlib import Path

CHECKOUT_SAMPLE = Path(__file__).resolve().parent.parent / "examples" / "client-a-enron"


def sample_dir(given: str = "") -> Path:
    """The sample folder: `given`, else $GROVE_SAMPLE, else examples/client-a-enron of the source checkout."""
    chosen = given or os.environ.get("GROVE_SAMPLE", "")
    return Path(chosen).expanduser().resolve() if chosen else CHECKOUT_SAMPLE


def sample_sources(given: str = "") -> list[dict]:
    """The sample's Gmail, Drive and Sheets exports as run sources; a missing sample is named with the way out."""
    root = sample_dir(given)
    sources = [
        {"type": "gmail", "path": str(root / "gmail" / "All mail.mbox"), "connection": "local"},
        {"type": "drive", "path": str(root / "drive"), "connection": "local"},
        {"type": "sheets", "path": str(root / "sheets"), "connection": "local"},
    ]
    missing = [s["path"] for s in sources if not Path(s["path"]).exists()]
    if missing:
        raise SystemExit(
            f"grove demo: the sample is missing ({', '.join(missing)}). The sample (examples/client-a-enron) "
            "ships with a source checkout of grove, not with the installed package: run grove demo from a "
            "checkout, or give --sample DIR (or $GROVE_SAMPLE) naming a folder with gmail/All mail.mbox, "
            "drive/ and sheets/."
        )
    return sources
