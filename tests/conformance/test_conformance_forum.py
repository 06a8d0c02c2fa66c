"""Every backend keeps one shared forum: scrubbed bodies, support counts, filtered search."""

from __future__ import annotations

import pytest

from kb.models import ForumDraft, forum_origin_hash
from kb.scrub import scrub


def draft(
    body: str, source_type: str = "gmail", phase: str = "explore", file_type: str = "eml", title: str = "Hint"
) -> ForumDraft:
    return ForumDraft(source_type=source_type, phase=phase, file_type=file_type, title=title, body=body)


def test_bodies_are_scrubbed_before_they_are_stored(store):
    body = (
        "Invoices from Jane Doe <jane.doe@acme.example> arrive as PDF; "
        "call +1 415 555 0199 or see account no. 12345678."
    )
    [post] = store.post_forum([draft(body)], names=["Jane Doe"])
    assert post.body == scrub(body, ["Jane Doe"]).strip()
    for raw in ("jane.doe@acme.example", "Jane", "555", "12345678"):
        assert raw not in post.body
    [found] = store.search_forum("invoices")
    assert found.body == post.body


def test_a_repeated_pattern_raises_its_support(store):
    [first] = store.post_forum([draft("Threads repeat quoted replies.")])
    assert first.support_count == 1
    assert first.id == forum_origin_hash("gmail", "explore", "eml", "Hint", first.body)[:32]
    again = store.post_forum([draft("threads   repeat quoted replies!"), draft("Threads repeat quoted replies.")])
    assert [p.id for p in again] == [first.id, first.id]
    assert [p.support_count for p in again] == [3, 3]
    [other] = store.post_forum([draft("Threads repeat quoted replies.", phase="structure")])
    assert other.id != first.id and other.support_count == 1


def test_drafts_that_scrub_to_nothing_are_dropped_and_phases_are_checked(store):
    assert store.post_forum([draft("  ", title=" ")]) == []
    with pytest.raises(ValueError):
        store.post_forum([draft("body", phase="publish")])


@pytest.fixture
def forum(store):
    store.post_forum(
        [
            draft("Scanned forms need OCR before parsing.", source_type="drive", file_type="pdf"),
            draft("Quoted replies repeat the forms of the first message."),
            draft("Invoices group by vendor and month.", source_type="sheets", phase="structure", file_type="xlsx"),
            draft("Signatures carry titles and phone numbers.", phase="structure"),
        ]
    )
    for _ in range(2):
        store.post_forum([draft("Quoted replies repeat the forms of the first message.")])
    return store


def bodies(posts):
    return sorted(p.body for p in posts)


def test_search_without_words_lists_the_most_supported_first(forum):
    posts = forum.search_forum()
    assert len(posts) == 4
    assert posts[0].body.startswith("Quoted replies") and posts[0].support_count == 3
    assert len(forum.search_forum(limit=2)) == 2
    assert forum.search_forum(limit=0) == []


def test_filters_apply_with_and_without_words(forum):
    assert bodies(forum.search_forum(source_type="gmail")) == [
        "Quoted replies repeat the forms of the first message.",
        "Signatures carry titles and phone numbers.",
    ]
    assert bodies(forum.search_forum(source_type="gmail", phase="structure")) == [
        "Signatures carry titles and phone numbers."
    ]
    assert bodies(forum.search_forum(file_type="xlsx")) == ["Invoices group by vendor and month."]
    assert bodies(forum.search_forum("forms")) == [
        "Quoted replies repeat the forms of the first message.",
        "Scanned forms need OCR before parsing.",
    ]
    assert bodies(forum.search_forum("forms", source_type="drive")) == ["Scanned forms need OCR before parsing."]
    assert forum.search_forum("forms", phase="structure") == []
    assert forum.search_forum("forms", file_type="csv") == []
    assert forum.search_forum(phase="publish") == []


def test_equal_support_lists_the_oldest_first(store):
    for body in ("First pattern.", "Second pattern.", "Third pattern.", "Fourth pattern."):
        store.post_forum([draft(body)])
    store.post_forum([draft("Third pattern."), draft("Second pattern.")])
    store.post_forum([draft("Third pattern.")])
    order = ["Third pattern.", "Second pattern.", "First pattern.", "Fourth pattern."]
    assert [p.body for p in store.search_forum()] == order
    assert [p.body for p in store.search_forum(limit=3)] == order[:3]
    assert [p.body for p in store.search_forum("pattern")] == order
    store.post_forum([draft("Sheet pattern.", source_type="sheets", file_type="xlsx")] * 3)
    for filters in (
        {"source_type": "gmail", "phase": "explore"},
        {"source_type": "gmail", "phase": "explore", "file_type": "eml"},
        {"file_type": "eml"},
    ):
        assert [p.body for p in store.search_forum(**filters)] == order, filters
    assert [p.body for p in store.search_forum(phase="explore", limit=2)] == [order[0], "Sheet pattern."]


def test_rules_keep_kind_and_payload_merge_across_clients_and_follow_the_policy(store):
    import json

    def rule(folder: str, domain: str = "Legal") -> ForumDraft:
        return ForumDraft(
            "drive",
            "structure",
            "",
            "any title",
            "any body",
            "folder_domain",
            json.dumps({"folder": folder, "domain": domain}),
        )

    [first] = store.post_forum([rule("Legal")], client_id="acme")
    [second] = store.post_forum([rule(" LEGAL "), rule("Project Falcon")], client_id="globex")
    assert first.id == second.id and second.support_count == 2
    assert second.kind == "folder_domain" and second.rule_data() == {"domain": "Legal", "folder": "legal"}
    assert second.title == "Drive folder names map to domains: legal → Legal"
    [found] = store.search_forum("", source_type="drive", phase="structure", min_clients=2)
    assert found == second
    assert [p.kind for p in store.search_forum("folder names")] == ["folder_domain"]
