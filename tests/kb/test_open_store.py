"""open_store picks the backend from a location: SQLite paths and URLs, or Convex."""

from __future__ import annotations

import sys
import types

import pytest

from kb.models import KBError
from kb.open_store import open_store
from kb.sqlite.store import SqliteStore
from kb.store import Store


def test_explicit_path(tmp_path):
    s = open_store(str(tmp_path / "a" / "kb.db"))
    try:
        assert isinstance(s, SqliteStore) and isinstance(s, Store)
        assert (tmp_path / "a" / "kb.db").exists()
    finally:
        s.close()


def test_sqlite_url(tmp_path):
    s = open_store(f"sqlite:///{tmp_path}/u.db")
    try:
        assert s.path == f"{tmp_path}/u.db"
    finally:
        s.close()


def test_env_then_default(tmp_path, monkeypatch):
    monkeypatch.setenv("GROVE_DB", str(tmp_path / "env.db"))
    s = open_store()
    s.close()
    assert s.path == str(tmp_path / "env.db")

    monkeypatch.delenv("GROVE_DB")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    s = open_store(None)
    s.close()
    assert s.path == str(tmp_path / "home" / ".grove" / "grove.db")


def test_memory():
    s = open_store(":memory:")
    try:
        s.ensure_path("acme", "A", "B", "C")
        assert len(s.tree("acme")) == 3
    finally:
        s.close()


@pytest.mark.parametrize("location", ["convex", "https://happy-animal-123.convex.cloud"])
def test_convex_missing_is_a_clear_error(monkeypatch, location):
    monkeypatch.setitem(sys.modules, "kb.convex_store.store", None)  # import now raises ImportError
    with pytest.raises(KBError, match="Convex backend is not available"):
        open_store(location)


@pytest.mark.parametrize("location, url", [("convex", None), ("https://x.convex.cloud", "https://x.convex.cloud")])
def test_convex_is_imported_lazily(monkeypatch, location, url):
    fake = types.ModuleType("kb.convex_store.store")

    class ConvexStore:
        def __init__(self, url):
            self.url = url

    fake.ConvexStore = ConvexStore
    monkeypatch.setitem(sys.modules, "kb.convex_store.store", fake)
    assert open_store(location).url == url
