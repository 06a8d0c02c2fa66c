"""Supervisor node after the structurers: merge duplicate entries, place each topic once, gather lone ones.

Batches are structured apart, so a thread cut by a batch boundary, an attachment sent twice or a
message quoted in every reply can only be seen whole here, before the KB node writes.
"""

from __future__ import annotations

from langgraph.runtime import Runtime

from nodes.consolidation.dedup_drafts import merge_duplicates
from nodes.consolidation.topic_groups import gather_lone_topics, place_topic, readable_name, topic_key
from nodes.context import Context, context_of
from nodes.deps import Deps
from nodes.progress import emit
from nodes.state import PipelineState

MAX_NAME = 200


def _storable(draft: dict) -> dict:
    """A draft whose text can be stored: a name read from a non-UTF-8 file system carries lone
    surrogates, which no UTF-8 store accepts (the whole batch's write would fail)."""

    def fix(value):
        if isinstance(value, str):
            return value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        if isinstance(value, list):
            return [fix(v) for v in value]
        return value

    return {k: fix(v) for k, v in draft.items()}


def consolidate(state: PipelineState, runtime: Runtime[Context], *, deps: Deps) -> dict:
    """Rewrite every batch's drafts: duplicates merged (locators kept), one place and name per topic."""
    ctx = context_of(runtime)
    records = state.get("structures") or []
    if not any(r.get("drafts") for r in records):
        return {}
    items: dict[str, dict] = {}
    model_items: set[str] = set()
    tagged: list[dict] = []
    for n, record in enumerate(records):
        for p in record.get("parsed") or []:
            items[p["item_id"]] = p
        for d in record.get("drafts") or []:
            tagged.append({**d, "_record": n})
            if record.get("brain") == "model":
                model_items.add(d["item_id"])
    drafts, merged = merge_duplicates(sorted((_storable(d) for d in tagged), key=lambda d: (d["locator"], d["title"])))
    topics: dict[str, list[dict]] = {}
    for d in drafts:
        topics.setdefault(topic_key(d, items), []).append(d)
    taxonomy = deps.taxonomy(ctx)
    summary: dict[str, dict] = {}
    for key, members in sorted(topics.items()):
        domain, skill, why = place_topic(members, items, taxonomy, any(d["item_id"] in model_items for d in members))
        name = readable_name(members, items)
        summary[key] = {
            "place": (domain, skill),
            "name": name,
            "why": why,
            "size": len(members),
            "text": " ".join(d["content"][:1500] for d in members[:3]),
        }
    for key, (name, why) in gather_lone_topics(summary).items():
        summary[key]["name"], summary[key]["why"] = name, f"{summary[key]['why']}; {why}"
    by_record: dict[int, list[dict]] = {n: [] for n in range(len(records))}
    for key, members in topics.items():
        t = summary[key]
        for d in members:
            n = d.pop("_record")
            by_record[n].append(
                {
                    **d,
                    "domain": t["place"][0],
                    "skill": t["place"][1],
                    "group": t["name"][:MAX_NAME],
                    "group_description": t["why"][:300],
                }
            )
    out = [
        {**record, "drafts": sorted(by_record[n], key=lambda d: (d["locator"], d["title"]))}
        for n, record in enumerate(records)
    ]
    groups = len({(t["place"], t["name"]) for t in summary.values()})
    emit(runtime, "consolidated", drafts=len(drafts), merged=merged, topics=len(topics), groups=groups)
    return {"structures": out}
