"""Trusted rules decide placements and skips; a run's observations become rules only when they agree."""

from __future__ import annotations

import json

from kb.taxonomy import load_taxonomy
from nodes.forum.apply_hints import prompt_hints, trusted_rules
from nodes.forum.learn_rules import consolidate, observe
from nodes.structurer.prompts import batch_prompt

TAXONOMY = load_taxonomy()


def hint(kind: str, rule: dict, support: int = 2, source_type: str = "drive") -> dict:
    return {
        "title": f"{kind} {rule}",
        "body": "",
        "file_type": "",
        "support": support,
        "kind": kind,
        "rule": rule,
        "source_type": source_type,
    }


def drive_item(path: str) -> dict:
    return {
        "item_id": path,
        "source_type": "drive",
        "kind": "file",
        "name": path.rsplit("/", 1)[-1],
        "locator": f"drive:{path}",
    }


def test_the_deepest_folder_rule_places_the_item_and_the_skill_comes_from_its_text():
    rules = trusted_rules(
        [
            hint("folder_domain", {"folder": "hr", "domain": "HR"}),
            hint("folder_domain", {"folder": "legal", "domain": "Legal"}),
        ]
    )
    decided = rules.decide(drive_item("HR/Legal/fees.txt"), {}, "the court ruled on the lawsuit", [], TAXONOMY)
    assert (decided.domain, decided.skill) == ("Legal", "Litigation & Disputes")
    assert "legal" in decided.why
    assert rules.decide(drive_item("Recipes/bread.txt"), {}, "flour", [], TAXONOMY) is None


def test_conflicting_rules_keep_the_better_supported_and_unknown_domains_are_ignored():
    rules = trusted_rules(
        [
            hint("folder_domain", {"folder": "legal", "domain": "Finance"}, support=2),
            hint("folder_domain", {"folder": "legal", "domain": "Legal"}, support=5),
            hint("folder_domain", {"folder": "sales", "domain": "Marketing"}),
        ]
    )
    assert rules.decide(drive_item("Legal/a.txt"), {}, "", [], TAXONOMY).domain == "Legal"
    assert rules.decide(drive_item("Sales/a.txt"), {}, "", [], TAXONOMY) is None  # not in this taxonomy


def test_sender_rules_read_the_parsed_sender_of_messages_only():
    rules = trusted_rules(
        [hint("sender_domain", {"sender_domain": "ferc.gov", "domain": "Regulatory"}, source_type="gmail")]
    )
    message = {"item_id": "m1", "source_type": "gmail", "kind": "message", "locator": "gmail:m1"}
    assert rules.decide(message, {"sender": "Ann <ann@staff.ferc.gov>"}, "", [], TAXONOMY).domain == "Regulatory"
    assert rules.decide(message, {"sender": "bob@enron.com"}, "", [], TAXONOMY) is None
    attachment = {**message, "kind": "attachment"}
    assert rules.decide(attachment, {"sender": "ann@ferc.gov"}, "", [], TAXONOMY) is None


def test_skip_rules_apply_to_their_source_type():
    rules = trusted_rules([hint("skip_type", {"extension": "p7s"}, source_type="gmail")])
    assert rules.skipped("gmail", "smime.P7S").startswith("forum rule")
    assert rules.skipped("drive", "smime.p7s") == "" and rules.skipped("gmail", "a.pdf") == ""
    # A rule about a type the parsers read now (learned where they could not) does not apply.
    assert trusted_rules([hint("skip_type", {"extension": "pdf"}, source_type="gmail")]).skipped("gmail", "a.pdf") == ""


def parsed(path: str, ok: bool = True, reason: str = "") -> dict:
    return {"item": drive_item(path), "ok": ok, "reason": reason, "meta": {}}


def test_rules_are_kept_only_when_the_runs_items_agree():
    items = [
        parsed("Legal/a.txt"),
        parsed("Legal/b.txt"),
        parsed("Legal/c.txt"),
        parsed("HR/d.txt"),
        parsed("Project Falcon/e.txt"),
        parsed("Finance/f.txt"),
        parsed("Finance/g.txt"),
    ]
    placed = {
        "Legal/a.txt": "Legal",
        "Legal/b.txt": "Legal",
        "Legal/c.txt": "Finance",
        "HR/d.txt": "HR",
        "Project Falcon/e.txt": "Legal",
        "Finance/f.txt": "Finance",
        "Finance/g.txt": "Tax",
    }
    drafts = consolidate(observe(items, placed))
    # legal: 2 of 3 agree; hr: one item only; finance: a tie; Project Falcon is client data.
    assert [(d.kind, json.loads(d.rule)) for d in drafts] == [("folder_domain", {"domain": "Legal", "folder": "legal"})]


def test_a_type_is_skipped_only_when_every_item_of_it_was_unsupported():
    unsupported = "unsupported format: .p7s (unknown binary data)"
    twice = [parsed("x/a.p7s", False, unsupported), parsed("x/b.p7s", False, unsupported)]
    assert [d.rule for d in consolidate(observe(twice, {}))] == ['{"extension":"p7s"}']
    assert consolidate(observe(twice[:1], {})) == []
    assert consolidate(observe(twice + [parsed("x/c.p7s")], {})) == []  # one of them read fine
    assert consolidate(observe([parsed("x/a.pdf", False, "corrupt"), parsed("x/b.pdf", False, "corrupt")], {})) == []


def test_a_model_reads_the_best_supported_rules_as_text():
    hints = [hint("folder_domain", {"folder": f"f{n}", "domain": "Legal"}, support=n) for n in range(30)]
    hints.append({"title": "Scans need OCR", "body": "Run OCR first.", "file_type": "pdf", "support": 1})
    shown = prompt_hints(hints)
    assert len(shown) == 21 and shown[0]["title"] == "Scans need OCR" and shown[1]["support"] == 29
    prompt = batch_prompt(
        [],
        [],
        TAXONOMY,
        [
            hint("sender_domain", {"sender_domain": "ferc.gov", "domain": "Regulatory"})
            | {"title": "Mail from ferc.gov senders is Regulatory"}
        ],
        1000,
    )
    assert "Mail from ferc.gov senders is Regulatory" in prompt
