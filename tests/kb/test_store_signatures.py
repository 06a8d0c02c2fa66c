"""Both KB backends take every Store method's arguments exactly as the Store protocol declares them."""

import inspect

import pytest

from kb.convex_store.store import ConvexStore
from kb.sqlite.store import SqliteStore
from kb.store import Store

METHODS = sorted(name for name, value in vars(Store).items() if callable(value) and not name.startswith("_"))


def params(cls, name: str) -> list[tuple]:
    return [(p.name, p.kind, p.default) for p in inspect.signature(getattr(cls, name)).parameters.values()]


@pytest.mark.parametrize("backend", [SqliteStore, ConvexStore])
@pytest.mark.parametrize("name", METHODS)
def test_backend_method_matches_the_protocol(backend, name):
    assert params(backend, name) == params(Store, name)


def test_the_protocol_declares_the_forum_search_filters():
    assert "search_forum" in METHODS
    kinds = {p[0]: p[1] for p in params(Store, "search_forum")}
    assert kinds["min_clients"] is inspect.Parameter.KEYWORD_ONLY
    assert kinds["client_id"] is inspect.Parameter.KEYWORD_ONLY
