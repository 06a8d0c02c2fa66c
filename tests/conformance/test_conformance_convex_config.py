"""The Convex store takes its deployment and key from arguments or the environment, never silently."""

from __future__ import annotations

import pytest

from kb.convex_store import ConvexStore
from kb.models import KBError
from kb.store import Store


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    for name in ("CONVEX_URL", "CONVEX_DEPLOY_KEY", "CONVEX_ADMIN_KEY"):
        monkeypatch.delenv(name, raising=False)


def test_a_missing_url_is_a_clear_error():
    with pytest.raises(KBError, match="CONVEX_URL is not set"):
        ConvexStore()


def test_url_and_key_from_arguments_or_environment(monkeypatch):
    store = ConvexStore("https://happy-animal-123.convex.cloud/", admin_key="prod:secret")
    assert isinstance(store, Store)
    assert store.url == "https://happy-animal-123.convex.cloud"
    assert store._client.auth == "Convex prod:secret"
    monkeypatch.setenv("CONVEX_URL", "https://other-animal-456.convex.cloud")
    monkeypatch.setenv("CONVEX_DEPLOY_KEY", "dev:key")
    store = ConvexStore()
    assert store.url == "https://other-animal-456.convex.cloud" and store._client.auth == "Convex dev:key"
    monkeypatch.delenv("CONVEX_DEPLOY_KEY")
    assert ConvexStore()._client.auth is None
