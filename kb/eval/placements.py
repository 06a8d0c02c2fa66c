"""Placement quality on a labels file: is each item filed where a business reader would file it?

A placements file holds JSON lines: {"item": LOCATOR-FRAGMENT, "domain": ..., "skill": ...?}.
An item's entries are those whose locator (or a merged duplicate's, in `also_at`) contains the
fragment (case-insensitive, as for questions). It is placed right when the domain its entries
sit under most is the expected one; its skill counts too when the label names one.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from kb.eval.questions import matches
from kb.models import Entry, TreeNode


@dataclass(frozen=True)
class Placement:
    """Where one item belongs: a domain, and a skill when the label is sure of it."""

    item: str
    domain: str
    skill: str = ""


def load_placements(path: str | Path) -> list[Placement]:
    """Read a JSON-lines placements file; a bad line raises ValueError naming its line number."""
    out = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("//"):
            continue
        try:
            row = json.loads(line)
            item, domain = str(row["item"]).strip(), str(row["domain"]).strip()
            if not item or not domain:
                raise ValueError("empty item or domain")
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{path}:{number}: expected {{'item', 'domain'}} JSON ({exc})") from None
        out.append(Placement(item, domain, str(row.get("skill", "")).strip()))
    return out


def placement(tree: Sequence[TreeNode], entries: Sequence[Entry], labels: Sequence[Placement]) -> dict:
    """Share of labelled items filed under their expected domain (and skill, where labelled)."""
    names = {n.id: n.name for n in tree}
    right_domain = right_skill = skills_labelled = 0
    wrong, missing = [], []
    for label in labels:
        places = Counter(
            (names.get(e.domain_id, ""), names.get(e.skill_id, ""))
            for e in entries
            if any(matches(loc, (label.item,)) for loc in (e.locator, *e.also_at))
        )
        if not places:
            missing.append(label.item)
            continue
        (domain, skill), _ = min(places.items(), key=lambda kv: (-kv[1], kv[0]))
        domain_ok = domain.casefold() == label.domain.casefold()
        skill_ok = not label.skill or (domain_ok and skill.casefold() == label.skill.casefold())
        right_domain += domain_ok
        if label.skill:
            skills_labelled += 1
            right_skill += skill_ok
        if not (domain_ok and skill_ok):
            wrong.append(
                {
                    "item": label.item,
                    "expected": " › ".join(filter(None, (label.domain, label.skill))),
                    "placed": f"{domain} › {skill}",
                }
            )
    found = len(labels) - len(missing)
    return {
        "labelled": len(labels),
        "found": found,
        "domain_rate": right_domain / found if found else None,
        "skill_rate": right_skill / skills_labelled if skills_labelled else None,
        "skills_labelled": skills_labelled,
        "wrong": wrong,
        "missing": missing,
    }
