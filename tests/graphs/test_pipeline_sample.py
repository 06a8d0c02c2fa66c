"""The whole pipeline, offline, on the bundled sample: counts, three levels, locators, idempotency, search."""

from __future__ import annotations

import mailbox
import re
from pathlib import Path

import pytest

from kb.eval.metrics import duplicates, single_entry_groups

SAMPLE_DIR = Path(__file__).resolve().parents[2] / "examples" / "client-a-enron"

pytestmark = pytest.mark.slow


def test_every_source_is_explored_and_the_report_is_complete(sample_run):
    report, store, _ = sample_run
    by_type = {s["type"]: s for s in report["sources"]}
    assert set(by_type) == {"gmail", "drive", "sheets"}
    assert all(s["status"] == "ok" for s in by_type.values())
    assert by_type["gmail"]["listed"] == 225
    assert by_type["gmail"]["downloaded"] >= 225  # messages plus their attachments
    assert by_type["drive"]["downloaded"] == 27
    assert by_type["sheets"]["downloaded"] >= 6  # one item per worksheet
    assert report["brain"] == "offline"
    assert report["entries"]["inserted"] == report["entries"]["total"] > 500
    assert report["tree"]["domains"] >= 5 and report["tree"]["entry_groups"] > 50
    assert report["forum"]["posted"] > 0


def test_entries_are_units_without_duplicates_or_split_rows(sample_run):
    report, store, _ = sample_run
    entries = store.entries("a")
    dup = duplicates(entries)
    assert dup["exact"] == 0 and dup["near_rate"] <= 0.01
    tables = [e for e in entries if "rows=" in e.locator]
    assert tables and not any(";part=" in e.locator for e in tables), "a table row was cut across entries"
    assert not any(re.search(r"\(part \d+/\d+\)", e.title) for e in entries)
    swaps = [e for e in entries if e.locator.startswith("drive:Awkward/EOL_All_Swaps.xls#")]
    assert 2 <= len(swaps) <= 120 and any(e.locator.endswith(";summary") for e in swaps)
    merged = [e for e in entries if e.also_at]
    assert merged and all(loc != e.locator for e in merged for loc in e.also_at)


def test_groups_are_readable_topics_placed_once(sample_run):
    report, store, _ = sample_run
    nodes = {n.id: n for n in store.tree("a")}
    entries = store.entries("a")
    groups = [n for n in nodes.values() if n.level == "entry_group"]
    assert single_entry_groups(list(nodes.values()), entries)["rate"] <= 0.40
    assert not [
        g.name
        for g in groups
        if g.name.lower() in ("(no subject)", "no subject") or re.match(r"^(re|fw|fwd)\s*:", g.name, re.I)
    ]
    assert all(g.description for g in groups), "every group records why it is there"
    places: dict[str, set] = {}
    for e in entries:
        places.setdefault(e.item_id, set()).add(e.tree_node_id)
    assert all(len(p) == 1 for p in places.values()), "an item lives in one place"

    def path_of(fragment: str) -> tuple[str, str]:
        group = next(g for g in groups if fragment in g.name)
        skill = nodes[group.parent_id]
        return nodes[skill.parent_id].name, skill.name

    assert path_of("Sempra et al. v. ENA") == ("Legal", "Litigation & Disputes")
    assert path_of("Concur Expense Document")[0] == "Finance"


def test_awkward_files_fail_alone_with_their_reason(sample_run):
    report, _, _ = sample_run
    failures = {f["locator"]: f["reason"] for f in report["failures"]}
    assert failures["drive:Awkward/11926.htm"] == "empty file"
    assert all(reason for reason in failures.values())
    assert report["items"]["parsed"] >= report["items"]["downloaded"] - len(failures)


def test_tree_has_exactly_three_levels_and_entries_sit_on_groups(sample_run):
    report, store, _ = sample_run
    nodes = {n.id: n for n in store.tree("a")}
    for node in nodes.values():
        if node.level == "domain":
            assert node.parent_id is None
        else:
            parent = nodes[node.parent_id]
            assert (parent.level, node.level) in {("domain", "skill"), ("skill", "entry_group")}
    entries = store.entries("a")
    assert len(entries) == report["entries"]["total"]
    for e in entries:
        group = nodes[e.tree_node_id]
        assert group.level == "entry_group"
        assert nodes[group.parent_id].id == e.skill_id and nodes[e.skill_id].parent_id == e.domain_id


def test_every_locator_resolves_to_a_real_item(sample_run, tmp_path):
    _, store, _ = sample_run
    from tools.sources.gmail.local import LocalGmail

    gmail = LocalGmail(SAMPLE_DIR / "gmail" / "All mail.mbox", downloads=None)  # metadata calls download nothing
    sheets = {p.stem for p in (SAMPLE_DIR / "sheets").iterdir()}
    seen_ids: dict[str, bool] = {}
    for e in store.entries("a"):
        where, _, _section = e.locator.partition("#")
        kind, _, ref = where.partition(":")
        if kind == "drive":
            assert (SAMPLE_DIR / "drive" / ref).is_file(), e.locator
        elif kind == "sheets":
            book, _, sheet = ref.partition("/")
            assert sheet and book.rsplit(".", 1)[0] in sheets | {book}, e.locator
        elif kind == "gmail":
            mid = ref.split("/", 1)[0]
            if mid not in seen_ids:
                seen_ids[mid] = gmail.execute(
                    "GMAIL_FETCH_MESSAGE_BY_MESSAGE_ID", {"message_id": mid, "format": "minimal"}
                )["successful"]
            assert seen_ids[mid], e.locator
        else:
            pytest.fail(f"unknown locator kind: {e.locator}")
    assert len(seen_ids) >= 200
    assert len(mailbox.mbox(str(SAMPLE_DIR / "gmail" / "All mail.mbox"))) == 225


def test_running_again_adds_no_entries(sample_run, pipeline):
    report, store, tmp = sample_run
    run_pipeline, sample_sources = pipeline

    again, deps = run_pipeline(tmp, sample_sources())
    try:
        second = again["report"]
        assert second["entries"]["inserted"] == 0 and second["entries"]["deleted"] == 0
        assert second["items"]["downloaded"] == 0, "an unchanged source is not downloaded or parsed again"
        assert second["items"]["unchanged"] >= report["items"]["downloaded"]
        assert second["entries"]["total"] == report["entries"]["total"]
        assert second["tree"] == report["tree"]
        assert second["batches"]["total"] == 0
    finally:
        deps.store.close_all()


def test_a_plain_question_finds_the_entry_holding_the_fact(sample_run):
    _, store, _ = sample_run
    hits = store.search("a", "how much does the fitness center membership cost per month for an employee?", limit=3)
    assert hits, "no hit"
    top = hits[0]
    assert top.entry.locator.startswith("drive:HR/Forms/Employee Payroll Activation Form.doc#")
    assert "$30/month" in top.entry.content


def test_subtree_search_stays_inside_its_domain(sample_run):
    _, store, _ = sample_run
    hits = store.search("a", "docket extension of time to construct facilities", under=["Regulatory"], limit=5)
    assert hits and all(h.path[0] == "Regulatory" for h in hits)
    assert any("TWFERCExtension.doc" in h.entry.locator for h in hits)


def test_workspaces_are_removed_after_the_run(sample_run):
    _, _, tmp = sample_run
    assert not list((tmp / "ws").glob("sandbox_*"))
