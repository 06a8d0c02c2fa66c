"""Open the KB a location names: a SQLite file by default, Convex for "convex" or a deployment URL."""

from __future__ import annotations

import os
from pathlib import Path

from kb.models import KBError
from kb.sqlite.store import SqliteStore
from kb.store import Store

ENV_VAR = "GROVE_DB"
KB_ENV_VAR = "GROVE_KB"
BACKENDS = ("sqlite", "convex")
DEFAULT_PATH = "~/.grove/grove.db"
_SQLITE_PREFIX = "sqlite:///"


def default_location() -> str:
    """Return $GROVE_DB when set, else the default SQLite file under the home directory."""
    return os.environ.get(ENV_VAR) or str(Path(DEFAULT_PATH).expanduser())


def is_convex(location: str) -> bool:
    """True when `location` names a Convex deployment rather than a SQLite file."""
    return location == "convex" or location.startswith(("https://", "http://"))


def open_store(db: str | None = None, kb: str | None = None) -> Store:
    """Return a Store for `db`: None -> $GROVE_DB -> ~/.grove/grove.db.

    A path or "sqlite:///path" opens SQLite (":memory:" too); "convex" opens the deployment
    that the Convex store's own settings name (CONVEX_URL), and an https:// URL opens that
    deployment. `kb` ("sqlite" or "convex", else $GROVE_KB) picks the backend explicitly.
    """
    backend = (kb or os.environ.get(KB_ENV_VAR) or "").strip().lower()
    if backend and backend not in BACKENDS:
        raise KBError(f"unknown KB backend {backend!r}: use one of {', '.join(BACKENDS)}")
    location = (db or "").strip()
    if backend == "convex" and not is_convex(location):
        location = "convex"
    location = location or default_location()
    if is_convex(location):
        try:
            from kb.convex_store.store import ConvexStore
        except ImportError as exc:
            raise KBError(
                f"the Convex backend is not available ({exc}); use a SQLite path instead of {location!r}"
            ) from exc
        return ConvexStore(None if location == "convex" else location)
    if location.startswith(_SQLITE_PREFIX):
        location = location[len(_SQLITE_PREFIX) :] or ":memory:"
    return SqliteStore(location)
