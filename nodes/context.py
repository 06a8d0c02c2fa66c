"""Run settings: the graphs' `context_schema`, JSON-serialisable and fully defaulted."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

from tools.sources.registry import source_types

CONNECTIONS = ("local", "composio")


def _doc(text: str, **kwargs: Any) -> Any:
    return field(metadata={"description": text}, **kwargs)


@dataclass(frozen=True)
class Context:
    """Everything one pipeline run needs; a LangGraph server run can be started with only these."""

    client_id: str = _doc("Client whose data is ingested; every KB read and write is scoped by it.", default="default")
    sources: list[dict] = _doc(
        'Sources to explore: [{"type": "gmail"|"drive"|"sheets"|"slack"|"notion"|"xero" (any registered type), '
        '"path": "...", '
        '"connection": "local"|"composio"}]. "path" is a local export for local sources.',
        default_factory=list,
    )
    db: str = _doc(
        "KB location: a SQLite file path (empty: $GROVE_DB, else ~/.grove/grove.db), or 'convex'.", default=""
    )
    kb: str = _doc(
        "KB backend: 'sqlite' or 'convex' (empty: $GROVE_KB, else sqlite; convex reads CONVEX_URL).", default=""
    )
    model: str = _doc("Chat model as 'provider:model' for the agents; empty runs the offline brain.", default="")
    workspace_root: str = _doc(
        "Folder under which each agent gets its own sandbox workspace (empty: system temp).", default=""
    )
    isolation: str = _doc(
        "Sandbox isolation: 'auto' (bubblewrap when usable), 'strict' (bubblewrap or fail), 'process'.", default="auto"
    )
    batch_size: int = _doc("Items per structurer batch.", default=16)
    max_items_per_source: int = _doc("Most items an explorer downloads from one source.", default=2000)
    max_bytes_per_source: int = _doc("Most bytes an explorer downloads from one source.", default=512 * 1024 * 1024)
    max_item_bytes: int = _doc("Largest single item downloaded or parsed, in bytes.", default=64 * 1024 * 1024)
    page_size: int = _doc("Page size the explorers ask listing tools for.", default=50)
    max_steps: int = _doc("Most tool calls one explorer makes.", default=20000)
    max_tokens: int = _doc("Token budget of one run for model-driven agents (0: unlimited).", default=0)
    entry_chars: int = _doc("Longest entry content in characters; longer sections are split.", default=3000)
    composio_user_id: str = _doc(
        "Composio user id whose connected accounts online sources use (empty: client_id).", default=""
    )
    taxonomy: str = _doc(
        "Path of a taxonomy JSON replacing the built-in business taxonomy (empty: built-in).", default=""
    )
    run_id: str = _doc("Run id to use (empty: generated); names the sandboxes and ledger rows.", default="")
    keep_workspaces: bool = _doc("Keep sandbox workspaces after the run (for inspection).", default=False)
    only_items: list[str] = _doc(
        "Process only these items, as 'source_type:item_id' (used to retry failed items); empty: all.",
        default_factory=list,
    )
    full_refresh: bool = _doc("Ignore the item ledger: download and parse every item again.", default=False)
    abort_min_failures: int = _doc(
        "The run aborts after a phase only if more than this many of its items failed (and the ratio below is passed).",
        default=3,
    )
    abort_failure_ratio: float = _doc(
        "The run aborts after a phase only if more than this share of its items failed "
        "(and the count above is passed).",
        default=0.10,
    )
    forum_hints: int = _doc("Forum hints each agent reads before working.", default=5)
    base_url: str = _doc(
        "OpenAI-compatible server URL for the models, e.g. http://127.0.0.1:8080/v1 "
        "(empty: $OPENAI_BASE_URL, else the provider's own API).",
        default="",
    )
    explorer_model: str = _doc("Chat model of the explorers as 'provider:model' (empty: `model`).", default="")
    structurer_model: str = _doc("Chat model of the structurers as 'provider:model' (empty: `model`).", default="")
    max_model_calls: int = _doc("Most model calls (turns) one explorer makes before it must finish.", default=40)
    max_agent_tokens: int = _doc("Token budget of one agent (0: unlimited).", default=0)
    max_cost: float = _doc("Cost budget of one run, in the price table's currency (0: unlimited).", default=0.0)
    price_table: dict = _doc(
        'Model prices per million tokens: {"gpt-4o-mini": {"input": 0.15, "output": 0.6}}, '
        "keyed by model name with or without its provider.",
        default_factory=dict,
    )
    prompt_chars_per_item: int = _doc("Most characters of one item's text a structurer model reads.", default=6000)
    forum_min_clients: int = _doc(
        "A forum pattern is shown to other clients only once this many distinct clients saw it (k-anonymity).",
        default=2,
    )

    def __post_init__(self) -> None:
        problems = list(validate_sources(self.sources))
        if not self.client_id.strip():
            problems.append("client_id is empty")
        if self.batch_size < 1:
            problems.append(f"batch_size must be at least 1, got {self.batch_size}")
        if problems:
            raise ValueError("invalid run settings: " + "; ".join(problems))

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def field_names(cls) -> list[str]:
        return [f.name for f in fields(cls)]


def validate_sources(sources: Any) -> list[str]:
    """Return readable problems with a `sources` list (empty when it is valid)."""
    if not isinstance(sources, list):
        return [f"sources must be a list, got {type(sources).__name__}"]
    problems = []
    for i, src in enumerate(sources):
        if not isinstance(src, dict):
            problems.append(f"sources[{i}] must be an object")
            continue
        kind = src.get("type")
        known = source_types()
        if kind not in known:
            problems.append(f"sources[{i}].type must be one of {', '.join(known)}, got {kind!r}")
        conn = src.get("connection", "local")
        if conn not in CONNECTIONS:
            problems.append(f"sources[{i}].connection must be 'local' or 'composio', got {conn!r}")
        if conn == "local" and not src.get("path"):
            problems.append(f"sources[{i}] ({kind}) is local but has no path")
    return problems


def source_key(source: dict, index: int) -> str:
    """Name a source uniquely within a run, e.g. 'gmail-0'."""
    return str(source.get("name") or f"{source.get('type', 'source')}-{index}")


def context_of(runtime: Any) -> Context:
    """Return the run's Context; a run started without one gets the defaults."""
    ctx = getattr(runtime, "context", None)
    if ctx is None:
        return Context()
    if isinstance(ctx, dict):
        return Context(**ctx)
    return ctx
