"""Matrix group H: one client's data never reaches another; the shared forum holds scrubbed, k-anonymous patterns."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from langgraph.runtime import Runtime

from kb.browse import resolve_path, snapshot
from kb.models import EntryDraft, ForumDraft, ScopeError, SourceItem
from kb.scrub import scrub
from kb.sqlite.store import SqliteStore
from nodes.context import Context
from nodes.deps import default_deps
from nodes.forum.read_hints import read_explore_hints
from tools.kb_tools import kb_tools

REPO = Path(__file__).resolve().parents[2]


def draft(content: str, item: str = "m1") -> EntryDraft:
    return EntryDraft(
        domain="Finance",
        skill="Payroll",
        group="Runs",
        title="Pay run",
        content=content,
        source_type="gmail",
        file_type="eml",
        locator=f"gmail:{item}#body",
        item_id=item,
    )


@pytest.fixture
def two_tenants(tmp_path: Path):
    store = SqliteStore(tmp_path / "kb.db")
    store.upsert_entries("acme", [draft("Acme pays staff on the 25th.")], "r1")
    store.record_items([SourceItem("acme", "gmail", "m1", "1", "h", "ok")])
    yield store
    store.close()


@pytest.mark.parametrize("missing", ["", "   ", None])
def test_h1_every_kb_call_without_a_client_id_is_refused(two_tenants: SqliteStore, missing) -> None:
    store = two_tenants
    calls = [
        lambda: store.tree(missing),
        lambda: store.children(missing, None),
        lambda: store.entries(missing),
        lambda: store.search(missing, "staff"),
        lambda: store.items(missing),
        lambda: store.counts(missing),
        lambda: store.get_item(missing, "gmail", "m1"),
        lambda: store.delete_item_entries(missing, "gmail", "m1"),
        lambda: store.upsert_entries(missing, [draft("x")], "r"),
        lambda: store.ensure_path(missing, "a", "b", "c"),
        lambda: store.record_items([SourceItem(missing, "gmail", "m9", "", "", "ok")]),
        lambda: store.delete_client(missing),
        lambda: snapshot(store, missing),
    ]
    for call in calls:
        with pytest.raises(ScopeError):
            call()
    with pytest.raises(ValueError):
        kb_tools(store, missing or "")
    with pytest.raises(ValueError, match="client_id"):
        Context(client_id=missing or "")
    assert store.counts("acme")["entries"] == 1


def test_h1_another_tenant_reads_nothing_through_any_path(two_tenants: SqliteStore) -> None:
    store = two_tenants
    acme_nodes = store.tree("acme")
    group = next(n for n in acme_nodes if n.level == "entry_group")
    assert store.tree("globex") == [] and store.entries("globex") == []
    assert store.entries("globex", group.id) == [] and store.children("globex", acme_nodes[0].id) == []
    assert store.search("globex", "staff 25th") == [] and store.search("globex", "staff", ["Finance"]) == []
    assert store.items("globex") == [] and store.get_item("globex", "gmail", "m1") is None
    assert store.delete_item_entries("globex", "gmail", "m1") == 0
    assert set(store.counts("globex").values()) == {0}
    with pytest.raises(KeyError):
        resolve_path(store, "globex", "Finance")
    assert snapshot(store, "globex")["tree"] == [] and set(snapshot(store, "globex")["counts"].values()) == {0}
    tools = {t.name: t for t in kb_tools(store, "globex")}
    assert tools["search_kb"].invoke({"query": "staff 25th"})["hits"] == []
    assert "staff" not in json.dumps(tools["browse_kb_tree"].invoke({"path": ""}))
    with pytest.raises(Exception):
        store.ensure_node("globex", "skill", "Stolen", parent_id=acme_nodes[0].id)  # another tenant's parent
    assert store.counts("acme")["entries"] == 1


@pytest.mark.parametrize(
    "text, raw",
    [
        ("Contact jane.doe@acme.de for the statements.", ["jane.doe@acme.de"]),
        ("Call +49 30 12345678 or (415) 555-0132 before noon.", ["12345678", "555-0132"]),
        ("Pay to IBAN DE89 3704 0044 0532 0130 00 by Friday.", ["DE89", "3704 0044"]),
        ("Card 4111 1111 1111 1111 was charged.", ["4111 1111"]),
        ("Please find the file attached.\n\nBest regards,\nMarta Kowalska\nAccounts", ["Marta", "Kowalska"]),
        (
            "From: Dana Whitfield <dana@corp.example>\nDana asked for the Q3 plan.",
            ["Dana", "Whitfield", "corp.example"],
        ),
    ],
    ids=["email", "phones", "iban", "card", "signature", "header-name"],
)
def test_h2_personal_data_never_survives_into_the_forum(tmp_path: Path, text: str, raw: list[str]) -> None:
    store = SqliteStore(tmp_path / "kb.db")
    [post] = store.post_forum([ForumDraft("gmail", "explore", "eml", "Pattern", text)], client_id="acme")
    for value in raw:
        assert value not in post.body, value
    store.close()


def test_h3_emails_with_private_tlds_are_scrubbed() -> None:
    for address in ("bob@evil.tld", "ops@corp.local", "x.y+tag@intranet", "root@localhost.localdomain"):
        assert address not in scrub(f"write to {address} today")


def test_h4_a_pattern_from_one_tenant_is_not_shown_to_others_until_k_saw_it(tmp_path: Path) -> None:
    deps = default_deps()
    settings = {"db": str(tmp_path / "kb.db"), "forum_min_clients": 2}
    state = {"source": {"type": "gmail"}}
    store = deps.store(Context(**settings))
    pattern = ForumDraft("gmail", "explore", "mbox", "Labels", "Threads carry labels; list labels first.")
    try:
        store.post_forum([pattern], client_id="acme")

        def hints(client: str) -> list:
            return read_explore_hints(state, Runtime(context=Context(client_id=client, **settings)), deps=deps)["hints"]

        assert hints("globex") == []
        assert [h["title"] for h in hints("acme")] == ["Labels"]  # a client always sees its own
        store.post_forum([pattern], client_id="acme")  # the same client twice is still one client
        assert hints("globex") == []
        store.post_forum([pattern], client_id="initech")
        assert [h["title"] for h in hints("globex")] == ["Labels"]
        with store._db.read() as conn:  # origins are stored as hashes, never as client ids
            stored = json.dumps([list(r) for r in conn.execute("SELECT * FROM forum_sightings")])
        assert "acme" not in stored and "initech" not in stored
    finally:
        deps.store.close_all()


def test_h5_the_scrubber_works_offline_and_loads_no_models() -> None:
    code = (
        "import sys, socket\n"
        "def refuse(*a, **k): raise RuntimeError('network used')\n"
        "socket.socket.connect = refuse; socket.create_connection = refuse; socket.getaddrinfo = refuse\n"
        "from kb.scrub import scrub\n"
        "out = scrub('Mail jane@acme.de or call +49 30 12345678.')\n"
        "heavy = [m for m in sys.modules if m.split('.')[0] in ('presidio_analyzer', 'spacy', 'transformers')]\n"
        "print(out); print(heavy)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    out, heavy = done.stdout.splitlines()
    assert out == "Mail [email] or call [phone]." and heavy == "[]"


def test_h6_deleting_a_tenant_removes_its_rows_and_patterns_no_longer_k_anonymous(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "kb.db")
    for client in ("acme", "globex", "initech"):
        store.upsert_entries(client, [draft(f"{client} pays staff monthly.")], "r1")
        store.record_items([SourceItem(client, "gmail", "m1", "1", "h", "ok")])
    shared = ForumDraft("gmail", "explore", "eml", "Shared", "Replies quote the first mail.")
    pair = ForumDraft("gmail", "explore", "eml", "Pair", "Invoices arrive as PDF attachments.")
    alone = ForumDraft("gmail", "explore", "eml", "Alone", "Receipts arrive in a weekly digest.")
    for client in ("acme", "globex", "initech"):
        store.post_forum([shared], client_id=client)
    for client in ("acme", "globex"):
        store.post_forum([pair], client_id=client)
    store.post_forum([alone], client_id="acme")
    removed = store.delete_client("acme", min_clients=2)
    assert removed == {"knowledge_entries": 1, "knowledge_tree": 3, "source_items": 1, "forum_entries": 2}
    assert store.tree("acme") == [] and store.entries("acme") == [] and store.items("acme") == []
    assert set(store.counts("acme").values()) == {0} and store.counts("globex")["entries"] == 1
    assert [p.title for p in store.search_forum(limit=10)] == ["Shared"]
    store.close()
