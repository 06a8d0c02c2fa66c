"""Placement quality: labelled items filed under the domain (and skill) a reader expects."""

from __future__ import annotations

import json

import pytest

from cli.main import main
from kb.eval.placements import Placement, load_placements, placement
from kb.models import EntryDraft


def _draft(domain: str, skill: str, item: str, locator: str, text: str) -> EntryDraft:
    return EntryDraft(
        domain=domain,
        skill=skill,
        group=item,
        title=text[:20],
        content=text,
        source_type=locator.split(":")[0],
        file_type="txt",
        locator=locator,
        item_id=item,
    )


@pytest.fixture
def filed(store):
    store.upsert_entries(
        "acme",
        [
            _draft("Legal", "Litigation", "m1", "gmail:m1#body", "the settlement of the claim was signed"),
            _draft("Legal", "Litigation", "m1", "gmail:m1#body;part=2", "the court accepted the settlement"),
            _draft("Sales", "Deals", "m1/a.pdf", "gmail:m1/a.pdf#page=1", "a price list attached to the thread"),
            _draft("Finance", "Payroll", "f1", "drive:HR/pay.pdf#page=1", "salaries are paid on the first day"),
        ],
        "r1",
    )
    return store.tree("acme"), store.entries("acme")


def test_an_item_counts_where_most_of_its_entries_sit(filed):
    tree, entries = filed
    report = placement(
        tree,
        entries,
        [
            Placement("gmail:m1", "Legal", "Litigation"),  # 2 of its 3 entries are under Legal › Litigation
            Placement("drive:HR/pay.pdf", "HR"),  # filed under Finance: wrong domain
            Placement("drive:Nowhere/x.pdf", "Legal"),  # not in the KB: listed, not counted
        ],
    )
    assert (report["labelled"], report["found"], report["missing"]) == (3, 2, ["drive:Nowhere/x.pdf"])
    assert report["domain_rate"] == 0.5
    assert (report["skill_rate"], report["skills_labelled"]) == (1.0, 1)
    assert report["wrong"] == [{"item": "drive:HR/pay.pdf", "expected": "HR", "placed": "Finance › Payroll"}]


def test_a_right_domain_with_the_wrong_skill_fails_only_the_skill(filed):
    tree, entries = filed
    report = placement(tree, entries, [Placement("gmail:m1", "legal", "Contracts")])
    assert report["domain_rate"] == 1.0 and report["skill_rate"] == 0.0
    assert report["wrong"][0]["placed"] == "Legal › Litigation"


def test_the_placements_file_skips_comments_and_names_a_bad_line(tmp_path):
    good = tmp_path / "p.jsonl"
    good.write_text('// where items belong\n{"item": "gmail:m1", "domain": "Legal", "skill": "Litigation"}\n\n')
    assert load_placements(good) == [Placement("gmail:m1", "Legal", "Litigation")]
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"item": "gmail:m1", "domain": "Legal"}\n{"item": "gmail:m2"}\n')
    with pytest.raises(ValueError, match=r"bad.jsonl:2: expected \{'item', 'domain'\}"):
        load_placements(bad)


def test_grove_eval_reports_placement_and_fails_its_threshold(tmp_path, store, filed, capsys):
    labels = tmp_path / "p.jsonl"
    labels.write_text(
        "\n".join(
            json.dumps(p)
            for p in ({"item": "gmail:m1", "domain": "Legal"}, {"item": "drive:HR/pay.pdf", "domain": "HR"})
        )
    )
    store.close()
    argv = ["eval", "--client", "acme", "--db", str(tmp_path / "kb.db"), "--placements", str(labels)]
    assert main([*argv, "--json", "--min-placement", "0.9"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["placement"]["domain_rate"] == 0.5
    assert report["failed_thresholds"] == ["placement (domain) 0.500 < 0.9"]
    assert main(argv) == 0
    table = capsys.readouterr().out
    assert "placement (domain)" in table and "drive:HR/pay.pdf" in table and "expected HR" in table
