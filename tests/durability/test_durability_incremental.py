"""Incremental runs: unchanged sources cost nothing; edits replace, deletions remove, additions add."""

from __future__ import annotations

import mailbox
import os
import time
from email.message import EmailMessage

from nodes.context import Context
from nodes.deps import default_deps


def run(tmp_path, sources, **settings):
    from graphs.pipeline import build_pipeline_graph

    deps = default_deps()
    ctx = Context(
        client_id="inc",
        sources=sources,
        db=str(tmp_path / "kb.db"),
        workspace_root=str(tmp_path / "ws"),
        isolation="process",
        **settings,
    )
    report = build_pipeline_graph(deps).invoke({}, context=ctx)["report"]
    store = deps.store(ctx)
    entries = {e.locator: e for e in store.entries("inc")}
    tree = {n.id: n for n in store.tree("inc")}
    deps.store.close_all()
    return report, entries, tree


def touch_later(path):
    later = time.time() + 5
    os.utime(path, (later, later))


def test_second_run_over_unchanged_sources_parses_and_writes_nothing(tmp_path, tiny_sources):
    first, entries, tree = run(tmp_path, tiny_sources)
    second, entries2, tree2 = run(tmp_path, tiny_sources)
    assert second["items"]["downloaded"] == 0 and second["batches"]["total"] == 0
    assert second["items"]["unchanged"] == first["items"]["downloaded"]
    assert second["entries"]["inserted"] == 0 and entries2.keys() == entries.keys() and tree2.keys() == tree.keys()


def test_an_edited_document_replaces_its_entries_and_keeps_its_tree_nodes(tmp_path, tiny_sources):
    _, before, tree = run(tmp_path, tiny_sources)
    handbook = next(p for p in (tmp_path / "export" / "drive").rglob("handbook.md"))
    handbook.write_text("# Leave policy\n\nEmployees get 30 days of paid leave from 2025.")
    touch_later(handbook)
    report, after, tree_after = run(tmp_path, tiny_sources)
    assert report["items"]["downloaded"] == 1 and report["entries"]["replaced_items"] == 1
    old = [e for loc, e in before.items() if loc.startswith("drive:HR/handbook.md")]
    new = [e for loc, e in after.items() if loc.startswith("drive:HR/handbook.md")]
    assert new and all("30 days" in e.content for e in new)
    assert not any("25 days" in e.content for e in after.values())
    assert {e.tree_node_id for e in new} == {e.tree_node_id for e in old}, "the entry group keeps its id"
    assert set(tree) == set(tree_after)


def test_a_touched_but_identical_file_is_downloaded_but_not_parsed(tmp_path, tiny_sources):
    run(tmp_path, tiny_sources)
    touch_later(next((tmp_path / "export" / "drive").rglob("nda.txt")))
    report, _, _ = run(tmp_path, tiny_sources)
    assert report["items"]["downloaded"] == 0 and report["items"]["unchanged"] >= 1
    assert report["batches"]["total"] == 0


def test_a_deleted_item_loses_its_entries_and_empty_nodes_are_pruned(tmp_path, tiny_sources):
    _, before, tree = run(tmp_path, tiny_sources)
    next((tmp_path / "export" / "drive").rglob("nda.txt")).unlink()
    report, after, tree_after = run(tmp_path, tiny_sources)
    assert report["items"]["deleted"] == 1 and report["entries"]["deleted"] >= 1
    assert not any(loc.startswith("drive:Legal/nda.txt") for loc in after)
    nda_group = {e.tree_node_id for loc, e in before.items() if loc.startswith("drive:Legal/nda.txt")}
    assert not nda_group & set(tree_after), "the emptied entry group is pruned"
    assert len(after) == len(before) - sum(loc.startswith("drive:Legal/nda.txt") for loc in before)


def test_added_mail_and_files_are_the_only_new_work(tmp_path, tiny_sources):
    first, before, _ = run(tmp_path, tiny_sources)
    box = mailbox.mbox(str(tmp_path / "export" / "mail.mbox"))
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "carol@example.com", "ann@example.com", "Office move"
    msg["Message-ID"], msg["Date"] = "<m9@example.com>", "Tue, 09 Jan 2024 09:00:00 +0000"
    msg.set_content("The office moves to the fourth floor on 1 March.")
    box.add(msg)
    box.close()
    (tmp_path / "export" / "drive" / "Legal" / "lease.txt").write_text("The lease runs until 2030 at 4,000 a month.")
    report, after, _ = run(tmp_path, tiny_sources)
    assert report["items"]["downloaded"] == 2
    assert report["entries"]["inserted"] == len(after) - len(before) >= 2
    assert any("fourth floor" in e.content for e in after.values())


def test_full_refresh_ignores_the_ledger_but_adds_nothing_twice(tmp_path, tiny_sources):
    first, before, _ = run(tmp_path, tiny_sources)
    report, after, _ = run(tmp_path, tiny_sources, full_refresh=True)
    assert report["items"]["downloaded"] == first["items"]["downloaded"]
    assert report["entries"]["inserted"] == 0 and after.keys() == before.keys()


def test_a_second_run_still_reports_items_the_ledger_holds_as_failed(tmp_path, tiny_sources):
    drive = tmp_path / "export" / "drive"
    (drive / "HR" / "blank.txt").write_bytes(b"")
    first, _, _ = run(tmp_path, tiny_sources)
    second, _, _ = run(tmp_path, tiny_sources)
    assert first["status"] == "partial"
    assert [f["locator"] for f in first["failures"]] == ["drive:HR/blank.txt"]
    assert second["items"]["downloaded"] == 0, "a known failure is not tried again"
    assert second["status"] == "partial"
    [known] = second["failures"]
    assert (known["locator"], known["reason"], known["since_run"]) == (
        "drive:HR/blank.txt",
        "empty file",
        first["run_id"],
    )
    assert second["items"]["failed"] == 1
    (drive / "HR" / "blank.txt").unlink()
    third, _, _ = run(tmp_path, tiny_sources)
    assert (third["status"], third["failures"]) == ("ok", []), (
        "a failing item gone from the source is no longer reported"
    )
