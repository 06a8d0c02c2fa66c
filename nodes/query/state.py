"""State schemas of the kb_query graph: a question in, an answer with source locators out."""

from __future__ import annotations

from typing_extensions import NotRequired, TypedDict


class QueryInput(TypedDict):
    """A question about one client's KB, optionally within a subtree."""

    question: str
    under: NotRequired[str]  # "Domain", "Domain/Skill" or "Domain/Skill/Group"; empty: the whole tree
    client_id: NotRequired[str]  # empty: the run settings' client_id
    limit: NotRequired[int]  # most hits (default 5)


class QueryState(TypedDict, total=False):
    question: str
    under: str
    client_id: str
    limit: int
    hits: list[dict]  # search_kb hits: title, path, snippet, excerpt, locator, entry_id, score
    error: str
    answer: str
    sources: list[str]  # the hits' locators, best first


class QueryOutput(TypedDict, total=False):
    client_id: str
    question: str
    under: str
    answer: str
    hits: list[dict]
    sources: list[str]
