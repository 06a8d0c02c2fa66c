"""Structurer node: place each item in the tree (domain -> skill -> entry group) and draft its entries."""

from __future__ import annotations

import re

from langgraph.runtime import Runtime

from kb.models import EntryDraft
from nodes.context import Context, context_of
from nodes.deps import Deps
from nodes.forum.apply_hints import trusted_rules
from nodes.state import BatchRecord, StructurerState


def _reuse(name: str, known: dict[str, str]) -> str:
    """Prefer the spelling already in the client's tree for the same name."""
    return known.get(name.strip().lower(), name.strip())


def evidence(parsed: dict) -> list[str]:
    """What classifies an item besides its text: source hints, name, folders, sender and recipient domains."""
    item, meta = parsed["item"], parsed.get("meta") or {}
    found = list(item.get("hints") or []) + [item.get("name", "")]
    if item.get("source_type") == "drive":
        found += item.get("locator", "").split(":", 1)[-1].split("/")[:-1]
    people = " ".join(str(meta.get(k) or "") for k in ("sender", "to", "cc"))
    found += sorted({d.lower() for d in re.findall(r"@([\w.-]+\.[a-z]{2,})", people, re.I)})
    found += [str(x) for x in meta.get("sheets") or []][:20]
    return [f for f in found if f]


def propose_paths(state: StructurerState, runtime: Runtime[Context], *, deps: Deps) -> dict:
    """Classify every parsed item and draft its entries; an unexpected error fails the batch, not the run."""
    try:
        return {"record": propose_offline(state, context_of(runtime), deps)}
    except Exception as exc:
        reason = f"{type(exc).__name__}: {exc}"
        failures = [
            {
                "item_id": p["item"]["item_id"],
                "source_type": p["item"]["source_type"],
                "locator": p["item"]["locator"],
                "reason": f"batch failed: {reason}",
            }
            for p in state["parsed"]
        ]
        return {
            "record": BatchRecord(
                batch_id=state["batch"]["batch_id"],
                status="failed",
                reason=reason,
                drafts=[],
                failures=failures,
                parsed=[],
            )
        }


def propose_offline(state: StructurerState, ctx: Context, deps: Deps) -> BatchRecord:
    """The offline brain: classify with the taxonomy, group by thread, document or sheet."""
    taxonomy = deps.taxonomy(ctx)
    known: dict[str, str] = {}
    for row in state.get("tree") or []:
        for key in ("domain", "skill", "group"):
            if row.get(key):
                known.setdefault(row[key].strip().lower(), row[key])
    drafts, failures, parsed = [], [], []
    rules = trusted_rules(state.get("hints") or [])
    for p in state["parsed"]:
        item = p["item"]
        status, reason = ("ok", "") if p["ok"] and p["entries"] else ("failed", p["reason"] or "no text")
        hints = evidence(p)
        parsed.append(
            {
                "item_id": item["item_id"],
                "source_type": item["source_type"],
                "locator": item["locator"],
                "sha256": item.get("sha256", ""),
                "revision": item.get("revision", ""),
                "file_type": p["file_type"],
                "status": status,
                "reason": reason,
                "sections": len(p["sections"]),
                "entries": len(p["entries"]),
                "group_key": item.get("group_key", ""),
                "group_name": item.get("group_name", ""),
                "evidence": hints,
            }
        )
        if status == "failed":
            failures.append(
                {
                    "item_id": item["item_id"],
                    "source_type": item["source_type"],
                    "locator": item["locator"],
                    "reason": reason,
                }
            )
            continue
        text = "\n".join(e["content"] for e in p["entries"])
        domain, skill, _ = taxonomy.classify(hints, text)
        if decided := rules.decide(item, p.get("meta") or {}, text, hints, taxonomy):  # a trusted forum rule
            domain, skill = decided.domain, decided.skill
            parsed[-1]["placed_by"] = decided.why
        group = _reuse(item.get("group_name") or item.get("name") or item["item_id"], known)
        for e in p["entries"]:
            drafts.append(
                EntryDraft(
                    domain=_reuse(domain, known),
                    skill=_reuse(skill, known),
                    group=group[:200],
                    title=f"{item.get('name', '')} — {e['title']}"[:300],
                    content=e["content"],
                    source_type=item["source_type"],
                    file_type=p["file_type"] or item.get("file_type", ""),
                    locator=f"{item['locator']}#{e['locator']}",
                    item_id=item["item_id"],
                    group_description=f"{item.get('kind', 'item')} group from {item['source_type']}",
                    group_key=item.get("group_key", ""),
                ).to_dict()
            )
    return BatchRecord(
        batch_id=state["batch"]["batch_id"], status="ok", reason="", drafts=drafts, failures=failures, parsed=parsed
    )
