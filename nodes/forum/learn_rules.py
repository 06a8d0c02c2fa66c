"""Learn forum rules from a run: what each item's folder, sender and type said about where it went.

A structurer observes, per item, the rule it would support ("this file in a folder named
Legal went to Legal"); the KB node then keeps a rule only when the run's items agree: at
least MIN_ITEMS items and MIN_SHARE of those with the same key (folder, sender domain) went
to the same domain, and a file type is skipped only when every item of it failed as an
unsupported type. Observations carry no counts into the posts: the rule's identity is its
pattern, so clients that learn the same thing support the same post.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict

from kb.forum import rules as forum_rules
from kb.models import ForumDraft
from nodes.forum.apply_hints import READABLE, folders_of

MIN_ITEMS = 2
MIN_SHARE = 0.6


def _observation(source_type: str, kind: str, rule: dict, **extra) -> dict:
    return {
        "source_type": source_type,
        "phase": forum_rules.PHASE_OF[kind],
        "file_type": "",
        "title": kind,
        "body": "",
        "kind": kind,
        "rule": json.dumps(rule, sort_keys=True),
        **extra,
    }


def observe(parsed: list[dict], placed: dict[str, str]) -> list[dict]:
    """Observations of one batch: `parsed` as the structurer holds it, `placed` item id -> domain."""
    out = []
    for p in parsed:
        item = p["item"]
        source_type, domain = item.get("source_type", ""), placed.get(item["item_id"], "")
        if domain and source_type == "drive":
            for folder in folders_of(item):
                if key := forum_rules.generic_folder(folder):
                    out.append(_observation(source_type, forum_rules.FOLDER_DOMAIN, {"folder": key, "domain": domain}))
        if domain and source_type == "gmail" and item.get("kind") == "message":
            sender = forum_rules.sender_domain(str((p.get("meta") or {}).get("sender") or ""))
            if public := forum_rules.public_domain(sender):
                out.append(
                    _observation(source_type, forum_rules.SENDER_DOMAIN, {"sender_domain": public, "domain": domain})
                )
        name = str(item.get("name") or "")
        ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        if item.get("kind") in ("file", "attachment") and ext and ext not in READABLE:
            unsupported = not p.get("ok") and str(p.get("reason", "")).startswith("unsupported")
            out.append(_observation(source_type, forum_rules.SKIP_TYPE, {"extension": ext}, yielded=not unsupported))
    return out


def consolidate(drafts: list[dict]) -> list[ForumDraft]:
    """The run's forum drafts: text patterns once each, and the rules its observations agree on."""
    texts = {(d["source_type"], d["phase"], d["file_type"], d["title"], d["body"]) for d in drafts if not d.get("kind")}
    out = [ForumDraft(*t) for t in sorted(texts)]
    votes: dict[tuple, Counter] = defaultdict(Counter)
    skips: dict[tuple, list[bool]] = defaultdict(list)
    for d in drafts:
        if not d.get("kind"):
            continue
        rule = json.loads(d["rule"])
        if d["kind"] == forum_rules.SKIP_TYPE:
            skips[(d["source_type"], rule["extension"])].append(bool(d.get("yielded")))
            continue
        target = rule.pop("domain")
        votes[(d["source_type"], d["kind"], json.dumps(rule, sort_keys=True))][target] += 1
    for (source_type, kind, key), counts in sorted(votes.items()):
        (domain, n), total = counts.most_common(1)[0], sum(counts.values())
        if n >= MIN_ITEMS and n >= MIN_SHARE * total:
            rule = {**json.loads(key), "domain": domain}
            out.append(_draft(source_type, kind, rule))
    for (source_type, ext), yielded in sorted(skips.items()):
        if len(yielded) >= MIN_ITEMS and not any(yielded):
            out.append(_draft(source_type, forum_rules.SKIP_TYPE, {"extension": ext}))
    return out


def _draft(source_type: str, kind: str, rule: dict) -> ForumDraft:
    title, body = forum_rules.describe(kind, source_type, rule)
    return ForumDraft(source_type, forum_rules.PHASE_OF[kind], "", title, body, kind, forum_rules.rule_json(rule))
