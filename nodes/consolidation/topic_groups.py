"""Place each topic once and gather related lone items into shared topics.

A topic is a thread (with its attachments), a document or a sheet: all its entries land in one
domain, skill and entry group, classified once from the whole topic (every item's hints, sender
and recipient domains, folders and the text of all its entries). Topics left with a single
entry join the most similar topic of the same skill (TF-IDF cosine over names and text), or
form a new shared topic with other lone ones, named by the words they share.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict

from kb.taxonomy import Taxonomy
from nodes.consolidation.group_names import group_name
from nodes.consolidation.text_shingles import body_of

TEXT_PER_ENTRY = 1500
SIMILAR = 0.18  # cosine of two topics' term vectors to share a group
NAME_TERMS = 3
_EDGE = frozenset("a an the of for to and or in on at by with from as is are".split())
_STOP = frozenset(
    """a about above after again all also am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further had has have
having he her here hers him his how i if in into is it its just me more most my no nor not now of off on
once only or other our out over own same she should so some such than that the their them then there
these they this those through to too under until up very was we were what when where which while who whom
why will with would you your yours fyi thanks thank please regards hi hello dear re fw fwd pm am cc sent
subject message messages email mail com www http https html net org enron ect hou corp ees original
forwarded attached attachment see let know call new one two get like would could also week today
tomorrow yesterday link pdf doc docx xls xlsx ppt pptx htm html txt csv zip jpg png gif
monday tuesday wednesday thursday friday saturday sunday""".split()
)


def topic_key(draft: dict, items: dict[str, dict]) -> str:
    """The topic of a draft: its item's group key; a mail attachment joins its message's thread."""
    item_id = draft["item_id"]
    if draft.get("source_type") == "gmail" and "/" in item_id:
        parent = items.get(item_id.split("/", 1)[0])
        if parent and parent.get("group_key"):
            return parent["group_key"]
    return draft.get("group_key") or (items.get(item_id) or {}).get("group_key") or f"group:{draft['group']}"


def place_topic(drafts: list[dict], items: dict[str, dict], taxonomy: Taxonomy, by_model: bool) -> tuple[str, str, str]:
    """(domain, skill, reason) for a whole topic: a trusted forum rule's place, the model's majority,
    or the taxonomy on all of it."""
    ruled = [d for d in drafts if (items.get(d["item_id"]) or {}).get("placed_by")]
    if ruled:
        votes = Counter((d["domain"], d["skill"]) for d in ruled)
        (domain, skill), _ = min(votes.items(), key=lambda kv: (-kv[1], kv[0]))
        first = next(d for d in ruled if (d["domain"], d["skill"]) == (domain, skill))
        return domain, skill, items[first["item_id"]]["placed_by"]
    if by_model:
        votes = Counter((d["domain"], d["skill"]) for d in drafts)
        (domain, skill), n = min(votes.items(), key=lambda kv: (-kv[1], kv[0]))
        return domain, skill, f"placed by the model ({n} of {len(drafts)} entries)"
    ids = sorted({d["item_id"] for d in drafts})
    hints = [h for i in ids for h in (items.get(i) or {}).get("evidence") or []]
    ordered = sorted(drafts, key=lambda d: (";quoted=" in d["locator"], d["locator"]))
    text = "\n".join(body_of(d["content"])[:TEXT_PER_ENTRY] for d in ordered)
    domain, skill, _ = taxonomy.classify(hints, text)
    found = taxonomy.explain(hints, text, domain, skill)
    why = f"matched {', '.join(repr(k) for k in found)}" if found else "no keyword matched: general correspondence"
    return domain, skill, why


# Addresses and links name people and hosts, not topics ("Link: ssrn.com", "www.x.org/a.pdf").
_ADDRESS = re.compile(r"\S+@\S+|https?://\S+|\b(www\.)?[\w-]+(\.[\w-]+)*\.(com|org|edu|net|gov|int|[a-z]{2})\b(/\S*)?")


def _terms(text: str) -> list[str]:
    text = _ADDRESS.sub(" ", text)
    return [w for w in re.findall(r"[a-z][a-z\-']{2,}", text.lower()) if w not in _STOP]


def _vectors(docs: dict[str, str]) -> dict[str, dict[str, float]]:
    counts = {k: Counter(_terms(t)) for k, t in docs.items()}
    df = Counter(w for c in counts.values() for w in c)
    n = len(docs)
    out = {}
    for k, c in counts.items():
        v = {w: (1 + math.log(f)) * math.log((1 + n) / (1 + df[w])) for w, f in c.items() if df[w] > 1}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        out[k] = {w: x / norm for w, x in v.items()}
    return out


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(x * b.get(w, 0.0) for w, x in a.items())


def _proper(term: str, texts: list[str]) -> bool:
    """A term written capitalised most of the time is a name (a person, a place): a poor topic label."""
    found = [m.group() for t in texts for m in re.finditer(rf"\b{re.escape(term)}\b", t, re.I)]
    return bool(found) and sum(1 for f in found if f[:1].isupper()) > 0.6 * len(found)


def common_phrase(names: list[str]) -> str:
    """The longest run of words every name holds, as the first name spells it ("" if none has a topic word).

    "Confidential Employee Information/Lenhart" and "confidential employee information" share
    "Confidential Employee Information": kept in its order, not re-ranked word by word.
    """
    tokenised = [re.findall(r"[\w'&]+", n) for n in names]
    if not tokenised or not all(tokenised):
        return ""
    first, others = (
        tokenised[0],
        [
            {" ".join(w.lower() for w in t[i : i + n]) for n in range(1, len(t) + 1) for i in range(len(t) - n + 1)}
            for t in tokenised[1:]
        ],
    )
    for size in range(len(first), 0, -1):
        for start in range(len(first) - size + 1):
            words = first[start : start + size]
            phrase = " ".join(w.lower() for w in words)
            if all(phrase in grams for grams in others) and any(_terms(w) for w in words):
                while words[0].lower() in _EDGE:  # no function word at either end: "The fair" -> "Fair"
                    words = words[1:]
                while words[-1].lower() in _EDGE:
                    words = words[:-1]
                text = " ".join(words)
                return text[:1].upper() + text[1:]
    return ""


def shared_name(
    members: list[str], names: dict[str, str], texts: dict[str, str], vectors: dict[str, dict[str, float]]
) -> str:
    """Name a gathered topic by the phrase or words its members' names share, else by two words
    their texts share; "" when they share no such words (then they are not one topic).

    Names of people and places ("Kaminski", "Stanford") name no topic, and one word shared by
    texts alone ("think", "address") is a coincidence, not a topic.
    """
    if len({names[m] for m in members}) == 1:  # one name for all: that is the topic's name
        return names[members[0]]
    member_texts = [names[m] + "\n" + texts[m] for m in members]
    phrase = common_phrase([names[m] for m in members])
    if phrase and (" " in phrase or not _proper(phrase, member_texts)):
        return phrase
    in_names = Counter(w for m in members for w in set(_terms(names[m])))
    weight: Counter = Counter()
    for m in members:
        for w, x in vectors[m].items():
            weight[w] += x
    terms = [
        w
        for w, n in sorted(in_names.items(), key=lambda kv: (-kv[1], -weight[kv[0]], kv[0]))
        if n >= 2 and not _proper(w, member_texts)
    ]
    if not terms:
        terms = [
            w
            for w, _ in weight.most_common(30)
            if sum(1 for m in members if w in vectors[m]) >= 2 and not _proper(w, member_texts)
        ][:2]
        if len(terms) < 2:
            return ""
    terms = terms[:NAME_TERMS]
    spelled = []
    for t in terms:
        forms = Counter(
            m.group() for n in (names[m] for m in members) for m in re.finditer(rf"\b{re.escape(t)}\b", n, re.I)
        )
        spelled.append(forms.most_common(1)[0][0] if forms else t)
    head = spelled[0][:1].upper() + spelled[0][1:]
    if len(spelled) == 1:
        return head
    if len(spelled) == 2:
        return f"{head} and {spelled[1]}"
    return f"{head}, {', '.join(spelled[1:-1])} and {spelled[-1]}"


def gather_lone_topics(topics: dict[str, dict]) -> dict[str, tuple[str, str]]:
    """Map each lone topic to (topic it joins, reason): a similar topic of its skill, or a new shared one.

    `topics` maps a key to {"place": (domain, skill), "name", "text", "size"}; only topics of
    one entry move. Returns {key: (new name, reason)} for the topics that moved.
    """
    moves: dict[str, tuple[str, str]] = {}
    by_skill: dict[tuple[str, str], list[str]] = defaultdict(list)
    for key in sorted(topics):
        by_skill[topics[key]["place"]].append(key)
    # Term weights over the client's every topic: a word common across the KB ("confidential",
    # "draft") says little about which topic an item belongs to, however rare within one skill.
    vectors = _vectors({k: (topics[k]["name"] + " ") * 3 + topics[k]["text"] for k in topics})
    for place, keys in sorted(by_skill.items()):
        lone = [k for k in keys if topics[k]["size"] == 1]
        if not lone:
            continue
        parent = {k: k for k in keys}

        def find(k: str) -> str:
            while parent[k] != k:
                k = parent[k]
            return k

        for k in lone:
            best, score = None, SIMILAR
            for other in keys:
                if other != k and (s := _cosine(vectors[k], vectors[other])) >= score:
                    best, score = other, s
            if best is not None:
                a, b = find(k), find(best)
                if a != b:
                    parent[max(a, b)] = min(a, b)
        clusters: dict[str, list[str]] = defaultdict(list)
        for k in keys:
            clusters[find(k)].append(k)
        names = {k: topics[k]["name"] for k in keys}
        for members in clusters.values():
            if len(members) < 2:
                continue
            big = max(members, key=lambda k: (topics[k]["size"], -len(k)))
            if topics[big]["size"] > 1:
                name, why = topics[big]["name"], f"related to {topics[big]['name']!r}"
            else:
                name = shared_name(sorted(members), names, {k: topics[k]["text"] for k in keys}, vectors)
                if not name:  # nothing a reader would call their topic: each stays on its own
                    continue
                why = f"{len(members)} related items sharing the words in the name"
            for k in members:
                if topics[k]["name"] != name:
                    moves[k] = (name, why)
    return moves


def readable_name(drafts: list[dict], items: dict[str, dict]) -> str:
    """A topic's name from its items' group names, else from the opening words of its text."""
    candidates = [(items.get(d["item_id"]) or {}).get("group_name") or d["group"] for d in drafts]
    ordered = sorted(drafts, key=lambda d: (";quoted=" in d["locator"], d["locator"]))
    return group_name(candidates, [d["content"] for d in ordered], fallback=drafts[0]["group"] or "Untitled")
