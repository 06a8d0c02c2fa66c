"""The structurer model's answer: where each item goes in the tree and the entries it becomes."""

from __future__ import annotations

from pydantic import BaseModel, Field


class PlannedEntry(BaseModel):
    title: str = Field(description="A short, specific title for this piece of knowledge.")
    content: str = Field(
        description="The knowledge itself, faithful to the source: every number, date, amount "
        "and name exactly as written there, nothing added."
    )
    locator: str = Field(description="The locator of the <section> the content comes from, copied exactly.")


class ItemPlacement(BaseModel):
    item_id: str = Field(description="The id of the <document>, copied exactly.")
    domain: str = Field(description="Level 1: a broad business area, e.g. Finance.")
    skill: str = Field(description="Level 2: a capability within the domain, e.g. Budgeting.")
    entry_group: str = Field(
        description="Level 3: the topic, thread, document or sheet the entries belong to, "
        "named readably (no 'Re:'/'Fw:' prefixes, never '(no subject)')."
    )
    reason: str = Field(
        default="",
        description="Why it goes there, in a short phrase (what in the document points to this domain and skill).",
    )
    entries: list[PlannedEntry] = Field(description="The item's knowledge entries, at least one.")


class PatternNote(BaseModel):
    file_type: str = Field(description="The file type it is about (eml, pdf, csv...), as in the documents.")
    title: str = Field(description="A short headline.")
    body: str = Field(description="How such files are best structured; no client names, numbers or ids.")


class BatchPlan(BaseModel):
    """The placement and entries of every document in the batch."""

    items: list[ItemPlacement] = Field(description="One placement per document, each document exactly once.")
    patterns: list[PatternNote] = Field(description="At most 2 lessons for later structurers.")
