"""Duplicate entries merge with their locators kept; topics get readable names and one place."""

from kb.taxonomy import load_taxonomy
from nodes.consolidation.dedup_drafts import merge_duplicates
from nodes.consolidation.group_names import clean_name, group_name
from nodes.consolidation.topic_groups import common_phrase, gather_lone_topics, place_topic, topic_key

LETTER = (
    "The board approved the 2002 capital budget of 4.2 million for the Houston pipeline expansion, "
    "with construction to start in March and end before the winter peak."
)


def _draft(locator: str, content: str, item_id: str, file_type: str = "eml", **extra) -> dict:
    return {
        "locator": locator,
        "content": content,
        "item_id": item_id,
        "file_type": file_type,
        "title": locator,
        "group": "g",
        "domain": "General",
        "skill": "Correspondence",
        "source_type": "gmail",
        **extra,
    }


def test_a_quoted_copy_merges_into_the_original_and_short_notes_stay_apart():
    drafts = [
        _draft("gmail:a#body", f"From: ann@x.com\nDate: 2002-01-02\n\n{LETTER}", "a"),
        _draft("gmail:b#body;quoted=1", f"From: Ann\nSent: Jan 2\n\n{LETTER.replace(',', '')}", "b"),
        _draft("gmail:c#body", "From: bob@x.com\n\nThanks", "c"),
        _draft("gmail:d#body", "From: eve@x.com\n\nThanks", "d"),
    ]
    kept, merged = merge_duplicates(drafts)
    assert merged == 1 and [d["locator"] for d in kept] == ["gmail:a#body", "gmail:c#body", "gmail:d#body"]
    assert kept[0]["also_at"] == ["gmail:b#body;quoted=1"]


def test_the_same_attachment_twice_is_one_entry_with_both_locators():
    page = "Section 4. Payment terms. " + LETTER * 3
    drafts = [
        _draft("gmail:m1/terms.pdf#page=1", page, "m1/terms.pdf", "pdf"),
        _draft("gmail:m2/terms.pdf#page=1", page, "m2/terms.pdf", "pdf"),
    ]
    kept, merged = merge_duplicates(drafts)
    assert merged == 1 and len(kept) == 1 and kept[0]["also_at"] == ["gmail:m2/terms.pdf#page=1"]


def test_group_names_are_readable():
    assert clean_name("Re: FW: Re: Q3 budget") == "Q3 budget"
    assert clean_name("(no subject)") == "" and clean_name("attachment-2.bin") == ""
    assert clean_name("EOL_All_Swaps.xls") == "EOL All Swaps"
    assert clean_name("http://www.stanford.edu/~wolak/") == "Link: stanford.edu/~wolak"
    long_link = "http://www.pserc.wisc.edu/ecow/get/publicatio/specialepr/westernstatessynthesi1.pdf"
    assert group_name([""], [f"From: a@x.com\n\n{long_link}\n"], "x") == "Link: " + long_link[11:]
    assert clean_name("http://www.housingfinance.org/Country%20Specific%20Information") == (
        "Link: housingfinance.org/Country Specific Information"
    )
    assert (
        group_name(["(no subject)"], ["From: a@x.com\n\nPipeline outage on Friday night"], "x")
        == "Pipeline outage on Friday night"
    )
    # A subjectless mail is named by what it says, not by its greeting or a one-word note.
    greeted = "From: v@x.com\nTo: f@y.edu\n\nFrank,\n\nfyi\n\nI have given your name to the conference organiser."
    assert group_name(["(no subject)"], [greeted], "x") == "I have given your name to the conference organiser"
    assert group_name([""], ["Hi all,\nThe Q3 forecast is attached for review."], "x").startswith("The Q3 forecast")
    assert group_name([""], ["Thanks."], "x") == "Thanks"  # nothing longer: the short line stands
    assert group_name([""], ["Thanks. I shall join the panel in May."], "x") == "I shall join the panel in May"


def test_a_thread_is_placed_once_from_all_it_holds_and_attachments_join_it():
    items = {
        "m1": {"group_key": "thread:t1", "evidence": ["Sempra et al. v. ENA et al. ATTORNEY CLIENT"]},
        "m2": {"group_key": "thread:t1", "evidence": ["Re: Sempra"]},
    }
    attachment = _draft("gmail:m1/brief.pdf#page=1", "Exhibit A", "m1/brief.pdf", "pdf")
    assert topic_key(attachment, items) == "thread:t1"
    drafts = [
        _draft("gmail:m1#body", "We should discuss the customer accounts.", "m1"),
        _draft("gmail:m2#body", "Counsel will file the brief with the court.", "m2"),
    ]
    domain, skill, why = place_topic(drafts, items, load_taxonomy(), by_model=False)
    assert (domain, skill) == ("Legal", "Litigation & Disputes") and "attorney client" in why


def test_lone_topics_join_a_related_one_or_share_a_new_one():
    place = ("HR", "Recruiting & Onboarding")
    topics = {
        "t1": {
            "place": place,
            "name": "Tammy Hopkins resume",
            "size": 1,
            "text": "resume attached for the analyst role",
        },
        "t2": {"place": place, "name": "Resume for Andy", "size": 1, "text": "his resume for the analyst role"},
        "t3": {"place": place, "name": "Welcome lunch", "size": 1, "text": "lunch for new hires on monday"},
        "t4": {"place": ("Finance", "Tax"), "name": "W-4 form", "size": 1, "text": "resume analyst role"},
    }
    moves = gather_lone_topics(topics)
    assert set(moves) == {"t1", "t2"} and moves["t1"][0] == moves["t2"][0] == "Resume"


def test_lone_topics_sharing_a_person_or_one_chance_word_stay_apart():
    place = ("General", "Correspondence")
    topics = {
        "a": {"place": place, "name": "Declined: Mtg w/Vince Kaminski", "size": 1, "text": "Kaminski declined"},
        "b": {"place": place, "name": "Kaminski on the web", "size": 1, "text": "the page of Kaminski"},
        "c": {"place": place, "name": "Pfandbrief", "size": 1, "text": "the address for the pfandbrief offering"},
        "d": {"place": place, "name": "Moving", "size": 1, "text": "my new address from monday"},
    }
    for n in range(6):  # the rest of the client's KB, so that the words above are rare
        topics[f"o{n}"] = {"place": ("HR", "Payroll"), "name": f"Payroll run {n}", "size": 2, "text": f"payroll {n}"}
    assert not {"a", "b", "c", "d"} & set(gather_lone_topics(topics))


def test_gathered_links_are_named_by_their_link_not_by_host_words():
    place = ("General", "Correspondence")
    same = "Link: stanford.edu/~wolak"
    topics = {
        "a": {"place": place, "name": same, "size": 1, "text": "the economist's page: power market papers"},
        "b": {"place": place, "name": same, "size": 1, "text": "his page again: power market papers"},
        "c": {"place": place, "name": "Link: pserc.wisc.edu/ecow/report.pdf", "size": 1, "text": "pserc.wisc.edu"},
        "d": {"place": place, "name": "Link: pserc.wisc.edu/index.html", "size": 1, "text": "pserc.wisc.edu"},
    }
    for n in range(6):
        topics[f"o{n}"] = {"place": ("HR", "Payroll"), "name": f"Payroll run {n}", "size": 2, "text": f"payroll {n}"}
    moves = gather_lone_topics(topics)
    # Two topics of one name share their group (a group is its place and name) under that name.
    assert not {"a", "b"} & set(moves)
    assert not {"c", "d"} & set(moves)  # hosts and file types are no topic


def test_words_common_across_the_kb_do_not_make_two_topics_one():
    """Within one skill "confidential" and "draft" look rare; across the client's KB they are everywhere."""
    place = ("Legal", "Contracts & Agreements")
    topics = {
        "a": {"place": place, "name": "Confidential draft", "size": 1, "text": "confidential draft of the lease terms"},
        "b": {
            "place": place,
            "name": "Draft - confidential",
            "size": 1,
            "text": "confidential draft of the trip agenda",
        },
    }
    for n in range(12):  # the rest of the KB, under other skills, says the same words
        topics[f"other{n}"] = {
            "place": ("HR", f"Skill {n % 3}"),
            "name": f"Confidential draft {n}",
            "size": 2,
            "text": f"confidential draft number {n} of something else",
        }
    assert not {"a", "b"} & set(gather_lone_topics(topics))


def test_a_shared_topic_is_named_by_the_phrase_its_names_share():
    assert common_phrase(["Confidential Employee Information/Lenhart", "confidential employee information"]) == (
        "Confidential Employee Information"
    )
    assert common_phrase(["Penn. conference call", "Department meeting conference call. 800-283-1805"]) == (
        "Conference call"
    )
    assert common_phrase(["Budget for the fair", "the fair of the budget"]) in {"Budget", "Fair"}
    assert common_phrase(["Re: one", "Re: two"]) == ""  # only a stop word in common
    assert common_phrase(["Fact book 99.pdf", "Another PDF with charts"]) == ""  # a file type is no topic


def test_a_name_with_lone_surrogates_becomes_storable():
    from nodes.consolidation.consolidate import _storable

    draft = _storable(
        _draft(
            "drive:Reference/umlauts-non-utf8-\udcfc.md#paragraphs=1",
            "Gr\udcfc\udcdfe",
            "x",
            also_at=["drive:a-\udcfc.md"],
        )
    )
    for value in (draft["locator"], draft["content"], draft["also_at"][0]):
        value.encode("utf-8")  # raises on a lone surrogate
    assert draft["content"] == "Gr\ufffd\ufffde"
