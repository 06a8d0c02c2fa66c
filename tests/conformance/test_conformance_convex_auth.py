"""The Convex functions run only for the deployment's key: a stranger is refused and touches nothing.

Run against the local test deployment (kb/convex/server), which applies a deployment's rule: the
KB functions are internal, so a call without `Authorization: Convex <key>` is answered as for a
missing function, and a wrong key is refused outright.
"""

from __future__ import annotations

import json

import pytest

from kb.convex_store.store import ConvexStore
from kb.models import KBError, SourceItem
from tests.conformance.conftest import post

pytestmark = pytest.mark.allow_hosts(["127.0.0.1"])


@pytest.fixture
def acme(open_store, make_draft):
    store = open_store("convex")
    store.upsert_entries("acme", [make_draft("Payroll run approved for March.")], run_id="r1")
    store.record_items([SourceItem("acme", "gmail", "item-1", "1", "h1", "ok")])
    return store


def call(url: str, kind: str, path: str, args: dict, key: str | None) -> tuple[int, dict]:
    return post(url, f"/api/{kind}", key, json.dumps({"path": path, "args": args, "format": "json"}).encode())


def test_a_call_without_the_key_is_refused_as_a_missing_function(acme):
    status, body = call(acme.url, "query", "tree:list", {"clientId": "acme"}, key=None)
    assert body["status"] == "error"
    assert "Could not find public function for 'tree:list'" in body["errorMessage"]
    _, missing = call(acme.url, "query", "tree:nope", {"clientId": "acme"}, key=None)
    assert missing["errorMessage"].replace("nope", "list") == body["errorMessage"]
    _, deleted = call(
        acme.url, "mutation", "clients:deleteRows", {"clientId": "acme", "table": "entries", "limit": 1000.0}, key=None
    )
    assert "Could not find public function" in deleted["errorMessage"]
    assert acme.counts("acme")["entries"] == 1


@pytest.mark.parametrize("suffix", ["x", None, ""])
def test_a_wrong_key_is_refused_outright(acme, convex_admin_key, suffix):
    wrong = "wrong" if suffix is None else convex_admin_key + suffix if suffix else " "
    status, body = call(
        acme.url, "mutation", "clients:deleteRows", {"clientId": "acme", "table": "entries", "limit": 1000.0}, key=wrong
    )
    assert (status, body["code"]) == (401, "BadAdminKey")
    status, body = post(acme.url, "/_test/reset", None)
    assert status == 401
    assert acme.counts("acme") == {"domain": 1, "skill": 1, "entry_group": 1, "entries": 1, "items": 1}


def test_the_key_runs_the_functions(acme, convex_admin_key):
    _, body = call(acme.url, "query", "tree:list", {"clientId": "acme"}, key=convex_admin_key)
    assert body["status"] == "success" and [n["level"] for n in body["value"]] == ["domain", "skill", "entry_group"]


def test_a_store_with_a_wrong_key_gets_an_error_naming_the_variable(acme, monkeypatch):
    monkeypatch.setenv("CONVEX_DEPLOY_KEY", "prod:not-this-deployment")
    with ConvexStore(acme.url) as stranger:
        with pytest.raises(KBError, match="refused tree:list.*key in CONVEX_DEPLOY_KEY is not it"):
            stranger.tree("acme")
        with pytest.raises(KBError, match="CONVEX_DEPLOY_KEY"):
            stranger.delete_client("acme")
    assert acme.counts("acme")["entries"] == 1


def test_a_call_for_another_client_leaves_this_clients_rows(acme, make_draft):
    before = (acme.tree("acme"), acme.entries("acme"), acme.items("acme"))
    acme.upsert_entries("other", [make_draft("Payroll run approved for March.")], run_id="r2")
    acme.record_items([SourceItem("other", "gmail", "item-1", "9", "h9", "failed", "bad")])
    assert acme.delete_item_entries("other", "gmail", "item-1") == 1
    assert acme.search("other", "payroll") == []
    acme.delete_client("other")
    assert (acme.tree("acme"), acme.entries("acme"), acme.items("acme")) == before
    assert acme.search("acme", "payroll")
