"""The Convex store takes its deployment and key from arguments or the environment, never silently."""

from __future__ import annotations

import pytest

from kb.convex_store.store import ConvexStore
from kb.models import KBError
from kb.store import Store


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    for name in ("CONVEX_URL", "CONVEX_DEPLOY_KEY", "CONVEX_ADMIN_KEY"):
        monkeypatch.delenv(name, raising=False)


def test_a_missing_url_is_a_clear_error():
    with pytest.raises(KBError, match="CONVEX_URL is not set"):
        ConvexStore(admin_key="prod:secret")


def test_a_missing_key_is_a_clear_error_naming_the_variable(monkeypatch):
    with pytest.raises(KBError, match="CONVEX_DEPLOY_KEY is not set") as caught:
        ConvexStore("https://happy-animal-123.convex.cloud")
    assert "CONVEX_ADMIN_KEY" in str(caught.value) and "admin_key" in str(caught.value)
    monkeypatch.setenv("CONVEX_URL", "https://happy-animal-123.convex.cloud")
    monkeypatch.setenv("CONVEX_DEPLOY_KEY", "   ")
    with pytest.raises(KBError, match="CONVEX_DEPLOY_KEY is not set"):
        ConvexStore()


def test_url_and_key_from_arguments_or_environment(monkeypatch):
    store = ConvexStore("https://happy-animal-123.convex.cloud/", admin_key="prod:secret")
    assert isinstance(store, Store)
    assert store.url == "https://happy-animal-123.convex.cloud"
    assert store._client.auth == "Convex prod:secret"
    monkeypatch.setenv("CONVEX_URL", "https://other-animal-456.convex.cloud")
    monkeypatch.setenv("CONVEX_ADMIN_KEY", "dev:admin")
    assert ConvexStore()._client.auth == "Convex dev:admin"
    monkeypatch.setenv("CONVEX_DEPLOY_KEY", "dev:key")
    store = ConvexStore()
    assert store.url == "https://other-animal-456.convex.cloud" and store._client.auth == "Convex dev:key"
