"""Both agents turn a model's lessons into forum drafts the same way."""

from dataclasses import dataclass

from nodes.forum.drafts import forum_drafts


@dataclass
class Note:
    file_type: str
    title: str
    body: str


def test_drafts_are_normalised_and_capped():
    notes = [Note(" .PDF ", "  Scanned   invoices ", "Run OCR\nfirst " * 100), Note("csv", " ", "no title")]
    drafts = forum_drafts(notes, "explore", lambda _type: "drive")
    assert drafts == [
        {
            "source_type": "drive",
            "phase": "explore",
            "file_type": "pdf",
            "title": "Scanned invoices",
            "body": " ".join(("Run OCR first " * 100).split())[:600],
        }
    ]


def test_a_lesson_about_a_type_the_batch_does_not_hold_is_dropped():
    held = {"xlsx": "sheets", "eml": "gmail"}
    notes = [Note("xlsx", "Totals row", "skip it"), Note("pdf", "Not here", "dropped"), Note(".EML", "Quotes", "cut")]
    drafts = forum_drafts(notes, "structure", held.get)
    assert [(d["source_type"], d["file_type"], d["phase"]) for d in drafts] == [
        ("sheets", "xlsx", "structure"),
        ("gmail", "eml", "structure"),
    ]
