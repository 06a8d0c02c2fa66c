"""Checks on a structurer model's answer: three named levels, real locators, faithful numbers and names."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from nodes.consolidation.group_names import clean_name
from nodes.structurer.plan import BatchPlan

MAX_ERRORS = 20
MAX_NAME = 120
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
NAME = re.compile(r"[A-Z][\w&'’-]*[A-Za-z0-9]")
# Capitalised words right after these are sentence starts, not names.
SENTENCE_START = re.compile(r"(^|[.!?:;]\s+|\n\s*|[\"'(\[*\-•]\s*)$")
SEPARATOR = re.compile(r"[/>\\|\n]")
PART_TITLE = re.compile(r"\bpart\s+\d+\s*(/|of)\s*\d+", re.I)
ROW_LINE = re.compile(r"^(\d+(?:-\d+ \(x\d+\))?) \| ")


@dataclass(frozen=True)
class SourceView:
    """What an answer about one document is checked against: its full text and its section locators."""

    text: str
    locators: frozenset[str]
    rows: dict = None  # row label -> the whole row lines of the source's tables ("12 | a | b")

    @property
    def folded(self) -> str:
        return self.text.casefold()


def numbers(text: str) -> set[str]:
    """Numbers in a text, thousands separators dropped ('12,500' and '12500' are the same number)."""
    return {n.replace(",", "") for n in NUMBER.findall(text)}


def names(text: str) -> list[str]:
    """Capitalised words that are not sentence starts: the names a faithful entry must not invent."""
    out = []
    for match in NAME.finditer(text):
        word = match.group()
        before = text[: match.start()]
        if len(word) >= 3 and (not before or before[-1].isspace()) and not SENTENCE_START.search(before):
            out.append(word)
    return out


def source_view(parsed: dict) -> SourceView:
    """Build the check's view of one parsed item (all its sections, not only what the prompt showed)."""
    sections = parsed.get("sections") or []
    locators = {s["locator"] for s in sections} | {e["locator"] for e in parsed.get("entries") or []}
    rows: dict[str, set[str]] = {}
    for s in sections:
        if s.get("kind") == "table":
            for line in s["text"].splitlines():
                if m := ROW_LINE.match(line):
                    rows.setdefault(m.group(1), set()).add(" ".join(line.split()))
    return SourceView("\n".join(s["text"] for s in sections), frozenset(locators), rows)


def check_plan(plan: BatchPlan, views: dict[str, SourceView]) -> list[str]:
    """Return readable problems with the answer, empty when it may be written."""
    errors: list[str] = []
    placed = Counter(p.item_id for p in plan.items)
    errors += [f"document {i!r} is missing: place every document exactly once" for i in sorted(views) if not placed[i]]
    for item_id, n in sorted(placed.items()):
        if item_id not in views:
            errors.append(f"{item_id!r} is not a document of this batch")
        elif n > 1:
            errors.append(f"document {item_id!r} is placed {n} times: place it once, with all its entries")
    for p in plan.items:
        view = views.get(p.item_id)
        if view is None:
            continue
        for level, name in (("domain", p.domain), ("skill", p.skill), ("entry_group", p.entry_group)):
            if not name.strip():
                errors.append(f"{p.item_id}: {level} is empty; the tree has exactly three named levels")
            elif SEPARATOR.search(name) or len(name) > MAX_NAME:
                errors.append(
                    f"{p.item_id}: {level} {name[:60]!r} must be one plain name (no '/', '>' or line "
                    f"breaks, at most {MAX_NAME} characters): the tree has exactly three levels"
                )
        if p.entry_group.strip() and not clean_name(p.entry_group):
            errors.append(
                f"{p.item_id}: entry_group {p.entry_group[:60]!r} is not a readable topic name "
                "(no 'Re:'/'Fw:' prefix, no '(no subject)' or bare attachment names)"
            )
        if not p.entries:
            errors.append(f"{p.item_id}: no entries; write at least one")
        for n, e in enumerate(p.entries, 1):
            label = f"{p.item_id} entry {n} ({e.title[:40]!r})"
            errors += _entry_problems(label, e.content, e.locator, view)
            errors += unit_problems(label, e.title, e.content, view)
    errors += _duplicate_problems(plan)
    return errors[:MAX_ERRORS]


def unit_problems(label: str, title: str, content: str, view: SourceView) -> list[str]:
    """The unit rules: a title that says what it holds, whole table rows, the header stated once."""
    problems = []
    if PART_TITLE.search(title):
        problems.append(f"{label}: title says 'part n' — say what the entry holds")
    rows = view.rows
    for line in content.splitlines():
        m = ROW_LINE.match(line)
        if m and m.group(1) in rows and " ".join(line.split()) not in rows[m.group(1)]:
            problems.append(f"{label}: row {m.group(1)} is cut or changed: give whole rows as in the section")
            break
    header = next((line for line in content.splitlines() if line.startswith("Row | ")), None)
    if header and content.count(header) > 1:
        problems.append(f"{label}: the table header is repeated: state it once, then the rows")
    return problems


def _duplicate_problems(plan: BatchPlan) -> list[str]:
    problems = []
    for p in plan.items:  # within one document: copies across documents are merged after the batch
        seen: dict[str, str] = {}
        for n, e in enumerate(p.entries, 1):
            key = e.locator + "\n" + " ".join(e.content.casefold().split())
            if len(key) > 40 and key in seen:
                problems.append(f"{p.item_id} entry {n}: the same text as {seen[key]}: write it once")
            seen.setdefault(key, f"{p.item_id} entry {n}")
    return problems


def _entry_problems(label: str, content: str, locator: str, view: SourceView) -> list[str]:
    problems = []
    if locator not in view.locators:
        known = ", ".join(sorted(view.locators)[:8])
        problems.append(f"{label}: locator {locator!r} is not a section of this document (use one of: {known})")
    if not content.strip():
        problems.append(f"{label}: content is empty")
    source_numbers = numbers(view.text)
    if missing := sorted(numbers(content) - source_numbers):
        problems.append(f"{label}: numbers not in the source: {', '.join(missing[:6])}")
    folded = view.folded
    if invented := sorted({w for w in names(content) if w.casefold() not in folded}):
        problems.append(f"{label}: names not in the source: {', '.join(invented[:6])}")
    return problems
