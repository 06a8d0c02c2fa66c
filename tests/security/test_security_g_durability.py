"""Matrix group G: crashes, retries and concurrent writers never lose, duplicate or corrupt what is stored."""

from __future__ import annotations

import operator
import sqlite3
import threading
from pathlib import Path
from typing import Annotated, TypedDict

import pytest
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, StateGraph

from cli.main import main as grove
from graphs.pipeline import build_pipeline_graph
from kb.models import EntryDraft, ForumDraft
from kb.sqlite.store import SqliteStore
from nodes.context import Context
from nodes.deps import StoreCache, default_deps
from nodes.state import merge_by


def draft(n: int, item: str = "m1") -> EntryDraft:
    return EntryDraft(
        domain="Finance",
        skill="Billing",
        group="Invoices",
        title=f"Invoice {n}",
        content=f"Invoice {n} is due in 30 days.",
        source_type="gmail",
        file_type="eml",
        locator=f"gmail:{item}#body;part={n}",
        item_id=item,
    )


class Fanout(TypedDict, total=False):
    done: Annotated[list[dict], merge_by("name")]
    joined: int


def test_g1_a_failed_branch_reruns_alone_on_resume() -> None:
    calls = {"a": 0, "b": 0, "join": 0}

    def branch(name: str):
        def run(state: Fanout) -> dict:
            calls[name] += 1
            if name == "b" and calls["b"] == 1:
                raise RuntimeError("transient failure in b")
            return {"done": [{"name": name}]}

        return run

    def join(state: Fanout) -> dict:
        calls["join"] += 1
        return {"joined": len(state["done"])}

    builder = StateGraph(Fanout)
    for name in ("a", "b"):
        builder.add_node(name, branch(name))
        builder.add_edge(START, name)
    builder.add_node("join", join)
    builder.add_edge(["a", "b"], "join")
    builder.add_edge("join", END)
    graph = builder.compile(checkpointer=InMemorySaver())
    config = {"configurable": {"thread_id": "g1"}}
    with pytest.raises(RuntimeError, match="transient"):
        graph.invoke({}, config)
    final = graph.invoke(None, config)
    assert calls == {"a": 1, "b": 2, "join": 1}
    assert final["joined"] == 2 and [d["name"] for d in final["done"]] == ["a", "b"]


def run(tmp_path: Path, sources: list[dict], deps=None, **settings) -> tuple[dict, Context, object]:
    deps = deps or default_deps()
    ctx = Context(
        client_id="acme",
        sources=sources,
        db=str(tmp_path / "kb.db"),
        workspace_root=str(tmp_path / "ws"),
        isolation="process",
        **settings,
    )
    return build_pipeline_graph(deps).invoke({}, context=ctx), ctx, deps


def test_g2_g3_a_run_repeated_whole_adds_nothing_twice(tmp_path: Path, tiny_sources: list[dict]) -> None:
    first, ctx, deps = run(tmp_path, tiny_sources)
    entries = sorted(e.id for e in deps.store(ctx).entries("acme"))
    deps.store.close_all()
    # durability="exit" keeps no step checkpoints: after a crash the whole run starts again.
    again, _, deps = run(tmp_path, tiny_sources, full_refresh=True)
    store = deps.store(ctx)
    try:
        assert entries and sorted(e.id for e in store.entries("acme")) == entries
        assert again["report"]["entries"]["inserted"] == 0
        assert len(store.items("acme")) == len({(i.source_type, i.item_id) for i in store.items("acme")})
    finally:
        deps.store.close_all()


class FailingOnce:
    """A store whose ledger write fails once, after the node already wrote the entries."""

    def __init__(self, store) -> None:
        self.store, self.failed = store, False

    def __getattr__(self, name: str):
        return getattr(self.store, name)

    def record_items(self, items) -> None:
        if not self.failed:
            self.failed = True
            raise sqlite3.OperationalError("disk I/O error (injected)")
        self.store.record_items(items)


def test_g4_a_node_that_wrote_then_failed_repeats_without_duplicates(tmp_path: Path, tiny_sources) -> None:
    cache = StoreCache()
    wrapped: dict[str, FailingOnce] = {}

    def store(ctx: Context):
        return wrapped.setdefault(ctx.db, FailingOnce(cache(ctx)))

    deps = default_deps(store=store)
    graph = build_pipeline_graph(deps, checkpointer=InMemorySaver())
    ctx = Context(
        client_id="acme",
        sources=tiny_sources,
        db=str(tmp_path / "kb.db"),
        workspace_root=str(tmp_path / "ws"),
        isolation="process",
    )
    config = {"configurable": {"thread_id": "g4"}}
    try:
        with pytest.raises(sqlite3.OperationalError, match="injected"):
            graph.invoke({}, config, context=ctx)
        partial = len(cache(ctx).entries("acme"))
        assert partial > 0  # the entries were written before the failure
        final = graph.invoke(None, config, context=ctx)
        entries = cache(ctx).entries("acme")
        assert len(entries) == partial == len({e.content_hash for e in entries})
        assert final["report"]["entries"]["inserted"] == 0 and cache(ctx).items("acme")
    finally:
        cache.close_all()


def test_g5_a_deferred_read_then_write_fails_where_begin_immediate_waits(tmp_path: Path) -> None:
    path = tmp_path / "kb.db"
    store = SqliteStore(path)
    store.upsert_entries("acme", [draft(0)], "r0")
    holder = sqlite3.connect(path, isolation_level=None, timeout=5, check_same_thread=False)
    deferred = sqlite3.connect(path, isolation_level=None, timeout=5)
    deferred.execute("BEGIN")
    deferred.execute("SELECT COUNT(*) FROM knowledge_entries").fetchone()
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("UPDATE knowledge_entries SET title = title")
    holder.execute("COMMIT")  # the snapshot the deferred reader holds is now stale
    with pytest.raises(sqlite3.OperationalError, match="locked|busy"):
        deferred.execute("UPDATE knowledge_entries SET title = title")  # no wait can save it
    deferred.execute("ROLLBACK")
    holder.execute("BEGIN IMMEDIATE")
    released = threading.Timer(0.3, lambda: holder.execute("COMMIT"))
    released.start()
    result = store.upsert_entries("acme", [draft(1)], "r1")  # waits for the lock instead of failing
    released.join()
    assert result.inserted == 1
    holder.close(), deferred.close(), store.close()


def test_g6_sixteen_concurrent_writers_lose_and_duplicate_nothing(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "kb.db")
    errors: list[BaseException] = []

    def writer(w: int) -> None:
        try:
            for n in range(25):
                store.upsert_entries("acme", [draft(n % 10), draft(100 * w + n, item=f"w{w}")], f"run{w}")
                # Anonymous posts raise the support each time; a client's, only on its first sighting.
                store.post_forum(
                    [ForumDraft("gmail", "explore", "eml", "Threads", "Replies quote the first mail.")],
                    client_id=f"client-{w % 4}" if n == 0 else None,
                )
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    entries = store.entries("acme")
    assert len(entries) == 10 + 16 * 25 == len({e.content_hash for e in entries})
    [post] = store.search_forum()
    assert post.support_count == 16 * 24 + 4  # one hot row, bumped by every writer, no update lost
    assert len(store.search_forum(min_clients=4)) == 1 and store.search_forum(min_clients=5) == []
    store.close()


def test_g7_the_same_mail_ingested_twice_is_one_row(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "kb.db")
    first = store.upsert_entries("acme", [draft(1)], "run-1")
    second = store.upsert_entries("acme", [draft(1)], "run-2")  # a retry, a duplicate delivery, a second agent
    assert (first.inserted, second.inserted, second.unchanged) == (1, 0, 1)  # "already ingested"
    assert first.entry_ids == second.entry_ids and len(store.entries("acme")) == 1
    store.close()


def test_g8_an_unusable_checkpoint_store_stops_the_run_before_it_starts(tmp_path: Path, tiny_sources, capsys) -> None:
    (tmp_path / "not-a-dir").write_text("a file where the checkpoint folder should be")
    args = [
        "run",
        "--client",
        "acme",
        "--db",
        str(tmp_path / "kb.db"),
        "--workspace-root",
        str(tmp_path / "ws"),
        "--isolation",
        "process",
        "--checkpoints",
        str(tmp_path / "not-a-dir" / "cp.db"),
        "--json",
    ]
    for source in tiny_sources:
        args += ["--source", f"{source['type']}={source['path']}"]
    assert grove(args) == 2
    assert "grove run:" in capsys.readouterr().err
    store = SqliteStore(tmp_path / "kb.db")
    assert store.entries("acme") == [] and store.items("acme") == []
    store.close()


def test_g10_a_full_disk_during_commit_rolls_back_and_a_retry_succeeds(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "kb.db")
    store.upsert_entries("acme", [draft(0)], "r0")
    with store._db.read() as conn:  # this thread's connection: the one the next write uses
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages + 2}")
    big = [EntryDraft(**{**draft(n).to_dict(), "content": f"{n} " + "x" * 20_000}) for n in range(1, 40)]
    with pytest.raises(sqlite3.OperationalError, match="full"):
        store.upsert_entries("acme", big, "r1")
    with store._db.read() as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert not conn.in_transaction
        conn.execute("PRAGMA max_page_count = 1073741823")
    assert [e.title for e in store.entries("acme")] == ["Invoice 0"]
    assert store.upsert_entries("acme", big, "r2").inserted == len(big)
    assert len(store.entries("acme")) == len(big) + 1
    store.close()


def test_reducers_of_parallel_branches_are_order_free() -> None:
    merge = merge_by("name")
    a, b = [{"name": "b", "v": 1}], [{"name": "a", "v": 2}]
    assert merge(a, b) == merge(b, a) == sorted(a + b, key=operator.itemgetter("name"))
