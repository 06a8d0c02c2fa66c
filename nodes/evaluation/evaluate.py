"""Evaluate one client's KB: coverage, duplicates, citations, groups, placement, hit@k; check thresholds."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from kb.eval.metrics import citations, coverage, duplicates, single_entry_groups
from kb.eval.placements import Placement, placement
from kb.eval.questions import Question, hit_at_k
from kb.store import Store
from nodes.context import Context
from nodes.evaluation.items import read_sources

# Items listed in the report with the lowest coverage (the full map stays out of it: it can be long).
LOWEST_ITEMS = 10
CITATIONS_LISTED = 20


@dataclass(frozen=True)
class Thresholds:
    """Optional pass marks; None skips a check."""

    min_coverage: float | None = None
    max_duplicates: float | None = None
    min_citations: float | None = None
    max_single_groups: float | None = None
    min_hit_rate: float | None = None
    min_placement: float | None = None


def evaluate(
    store: Store,
    client_id: str,
    sources: Sequence[dict] = (),
    questions: Sequence[Question] = (),
    k: int = 5,
    placements: Sequence[Placement] = (),
) -> dict:
    """Measure the client's KB; coverage and citations need `sources`, hit@k `questions`, placement labels."""
    entries = store.entries(client_id)
    tree = store.tree(client_id)
    report: dict = {
        "client_id": client_id,
        "entries": len(entries),
        "duplicates": duplicates(entries),
        "single_entry_groups": single_entry_groups(tree, entries),
        "coverage": None,
        "citations": None,
        "placement": placement(tree, entries, placements) if placements else None,
        "retrieval": None,
        "parse_failures": [],
    }
    if sources:
        found = read_sources(Context(client_id=client_id, sources=list(sources)), list(sources))
        cov = coverage(found.texts, entries)
        lowest = sorted(cov["items"].items(), key=lambda kv: (kv[1], kv[0]))[:LOWEST_ITEMS]
        report["coverage"] = {
            "mean": cov["mean"],
            "weighted": cov["weighted"],
            "items": len(cov["items"]),
            "lowest": [{"locator": loc, "share": share} for loc, share in lowest],
        }
        cites = citations(entries, found.locators)
        cites["unresolved"] = cites["unresolved"][:CITATIONS_LISTED]
        report["citations"] = cites
        report["parse_failures"] = found.failures
    if questions:
        report["retrieval"] = hit_at_k(store, client_id, questions, k)
    return report


def check(report: dict, limits: Thresholds) -> list[str]:
    """Return one line per failed threshold (empty when all given thresholds pass)."""
    # (label, report part and key, bound, direction, the option that makes the part measurable)
    checks = [
        ("coverage", ("coverage", "mean"), limits.min_coverage, min, "--source"),
        ("near-duplicate rate", ("duplicates", "near_rate"), limits.max_duplicates, max, ""),
        ("citations resolved", ("citations", "rate"), limits.min_citations, min, "--source"),
        ("single-entry groups", ("single_entry_groups", "rate"), limits.max_single_groups, max, ""),
        ("hit@k", ("retrieval", "rate"), limits.min_hit_rate, min, "--questions"),
        ("placement (domain)", ("placement", "domain_rate"), limits.min_placement, min, "--placements"),
    ]
    failed = []
    for label, (part, key), bound, kind, needs in checks:
        if bound is None:
            continue
        value = (report.get(part) or {}).get(key)
        if value is None:
            failed.append(f"{label}: not measured" + (f" (give {needs})" if needs else " (the KB is empty)"))
        elif (kind is min and value < bound) or (kind is max and value > bound):
            failed.append(f"{label} {value:.3f} {'<' if kind is min else '>'} {bound}")
    return failed
