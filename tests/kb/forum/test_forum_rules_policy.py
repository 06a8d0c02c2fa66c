"""The sharing policy of forum rules: generic folder words and regulators' domains go, client data never."""

from __future__ import annotations

import json

import pytest

from kb.forum.rules import clean_rule, public_domain, rule_origin_hash
from kb.models import ForumDraft
from kb.scrub import scrub_drafts


def rule_draft(kind: str, rule: dict, source_type: str = "drive", phase: str = "structure") -> ForumDraft:
    return ForumDraft(source_type, phase, "", "agent title Jane Doe 555-0199", "agent body", kind, json.dumps(rule))


@pytest.mark.parametrize("folder", ["Legal", "HR", "Market Research", "legal  documents", "Finance/"])
def test_generic_folder_names_are_shared(folder):
    assert clean_rule("folder_domain", {"folder": folder, "domain": "Legal"})["folder"] == " ".join(
        folder.lower().replace("/", " ").split()
    )


@pytest.mark.parametrize(
    "folder",
    ["Project Falcon", "Jane Doe", "Onboarding 2002", "Acme Corp Legal", "Legal Finance HR Sales Tax", "", "Awkward"],
)
def test_folder_names_with_client_words_numbers_or_too_long_are_refused(folder):
    assert clean_rule("folder_domain", {"folder": folder, "domain": "Legal"}) is None


def test_a_domain_outside_the_generic_vocabulary_is_refused():
    assert clean_rule("folder_domain", {"folder": "Legal", "domain": "Falcon Deals"}) is None


@pytest.mark.parametrize(
    "domain, shared",
    [
        ("ferc.gov", "ferc.gov"),
        ("mail.ferc.gov", "ferc.gov"),
        ("sec.gov", "sec.gov"),
        ("hmrc.gov.uk", "hmrc.gov.uk"),
        ("impots.gouv.fr", "impots.gouv.fr"),
        ("ec.europa.eu", "ec.europa.eu"),
        ("army.mil", "army.mil"),
        ("who.int", "who.int"),
        ("enron.com", ""),
        ("acme.co.uk", ""),
        ("corp.local", ""),
        ("gov", ""),
        ("harvard.edu", ""),
        ("bad_label.gov", ""),
    ],
)
def test_only_public_sector_sender_domains_are_shared(domain, shared):
    assert public_domain(domain) == shared
    cleaned = clean_rule("sender_domain", {"sender_domain": domain, "domain": "Regulatory"})
    assert (cleaned or {}).get("sender_domain", "") == shared


@pytest.mark.parametrize(
    "ext, ok", [("p7s", True), (".ICS", True), ("tar.gz", False), ("averylongext", False), ("", False)]
)
def test_skip_rules_take_short_alphanumeric_extensions(ext, ok):
    assert (clean_rule("skip_type", {"extension": ext}) is not None) == ok


def test_stored_rules_are_written_from_the_payload_and_identified_by_it():
    drafts = [
        rule_draft("folder_domain", {"folder": "Legal", "domain": "Legal"}),
        rule_draft("folder_domain", {"folder": " legal ", "domain": "Legal", "extra": "Jane Doe"}),
        rule_draft("folder_domain", {"folder": "Jane Doe", "domain": "Legal"}),
        rule_draft("unknown_kind", {"x": 1}),
        ForumDraft("drive", "structure", "", "t", "b", "folder_domain", "{not json"),
    ]
    kept = scrub_drafts(drafts)
    assert len(kept) == 2
    (first, h1), (second, h2) = kept
    assert (
        h1 == h2 == rule_origin_hash("drive", "structure", "", "folder_domain", {"folder": "legal", "domain": "Legal"})
    )
    assert first.rule == '{"domain":"Legal","folder":"legal"}'
    assert "Jane" not in first.title + first.body + first.rule and "555" not in first.title
    assert first.title == "Drive folder names map to domains: legal → Legal"


def test_identity_ignores_wording_and_case_but_not_the_target():
    a = rule_origin_hash(
        "gmail", "structure", "", "sender_domain", {"sender_domain": "ferc.gov", "domain": "Regulatory"}
    )
    b = rule_origin_hash(
        "gmail", "structure", "", "sender_domain", {"sender_domain": "FERC.gov", "domain": "regulatory"}
    )
    c = rule_origin_hash("gmail", "structure", "", "sender_domain", {"sender_domain": "ferc.gov", "domain": "Legal"})
    assert a == b != c
