"""The source registry: one declaration per source type, read by every part that serves a source.

A `SourceType` names its Composio toolkit and allow-listed read tools, the local export
connector that answers those tools offline, how the offline brain walks it, how the model
brain's download calls map to items, and the prompt text that teaches a model its tools.
`register()` adds one (a plug-in or a test can add its own); everything else looks types up here.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from tools.sources.downloads import DownloadSink

SCHEMAS = Path(__file__).parent / "schemas"

# A local connector: built over an export path and a download sink, it has `execute(slug, args) -> envelope`.
ConnectorFactory = Callable[[str | Path, DownloadSink], Any]


class Hands(Protocol):
    """What a walk may use of the explorer that runs it (nodes.explorer.base.ExplorerBase provides it)."""

    ctx: Any  # the run's Context (page_size, limits)
    key: str  # the source key, for progress events
    listed: int  # items listed so far (the walk keeps it up to date)
    items: list[dict]  # items kept so far
    state: dict  # scratch space for lookups the walk caches

    def call(self, name: str, args: dict) -> dict: ...  # one tool call, envelope unwrapped; raises ToolFailure
    def pages(self, name: str, args: dict, token_arg: str, token_keys: tuple[str, ...]) -> Iterator[dict]: ...
    def wanted(self, item_id: str) -> bool: ...
    def unchanged_since_last_run(self, item_id: str, revision: str) -> bool: ...
    def keep_bytes(self, item: dict, rel: str, blob: bytes) -> bool: ...
    def keep_download(self, item: dict, file: dict, rel: str, size: int = 0) -> bool: ...
    def fail(self, item_id: str, locator: str, reason: str) -> None: ...
    def skip(self, item_id: str, locator: str, reason: str) -> None: ...
    def emit(self, event: str, **data: Any) -> None: ...


# An offline walk over a whole source, or the fetch of one listed unit, done with the explorer's hands.
Walk = Callable[[Hands], None]
UnitFetch = Callable[[Hands, str], None]


@dataclass(frozen=True)
class Prompts:
    """How the model explorer is told to list, sample and download this source's items."""

    listing: str
    sample: str
    download: str


@dataclass(frozen=True)
class ModelHooks:
    """What the model brain needs for a source its built-in catalogue does not know.

    `units(tool, args, data)` names the downloadable units a successful tool result lists
    ({unit id: readable name}); `download(tool, args)` says which call is a download (the unit
    id) and which is a sample (None); `fetch(hands, unit_id)` downloads one unit as the offline
    walk does, so both brains record the same items.
    """

    units: Callable[[str, dict, dict], dict[str, str]]
    download: Callable[[str, dict], str | None]
    fetch: UnitFetch


@dataclass(frozen=True)
class SourceType:
    """Everything grove knows about one kind of source, in one declaration."""

    name: str  # the source type users write: "slack"
    toolkit: str  # Composio toolkit slug: "slack"
    label: str  # readable toolkit name: "Slack"
    read_tools: tuple[str, ...]  # allow-listed read tool slugs, in the order shown to models
    local: ConnectorFactory  # the local export connector implementing those slugs
    walk: Walk  # the offline brain's walk over the source
    prompts: Prompts
    export: str  # what a local path points at, for help and errors
    model: ModelHooks | None = None  # None: the model brain's built-in catalogue handles it
    tool_specs: tuple[dict, ...] = ()  # inline tool schemas; empty: schemas/<toolkit>.json
    list_keys: tuple[str, ...] = ()  # result keys holding lists a long result may be cut in

    def specs(self) -> list[dict]:
        """The read tools' schemas (slug, name, description, input/output parameters), in read_tools order."""
        specs = list(self.tool_specs) or json.loads((SCHEMAS / f"{self.toolkit}.json").read_text(encoding="utf-8"))
        by_slug = {s["slug"]: s for s in specs}
        missing = [slug for slug in self.read_tools if slug not in by_slug]
        if missing:
            raise ValueError(f"source type {self.name!r}: no schema for {', '.join(missing)}")
        return [by_slug[slug] for slug in self.read_tools]

    @property
    def prefix(self) -> str:
        """The tool name prefix of this toolkit (GMAIL_, SLACK_, ...)."""
        return f"{self.toolkit.upper()}_"


_TYPES: dict[str, SourceType] = {}
# Live views other modules import: updated in place by register() and unregister().
SOURCE_TOOLKIT: dict[str, str] = {}
READ_TOOLS: dict[str, tuple[str, ...]] = {}


def register(source: SourceType) -> SourceType:
    """Add (or replace) a source type; its toolkit may serve only this type."""
    other = next((t for t in _TYPES.values() if t.toolkit == source.toolkit and t.name != source.name), None)
    if other is not None:
        raise ValueError(f"toolkit {source.toolkit!r} already serves source type {other.name!r}")
    bad = [slug for slug in source.read_tools if not slug.startswith(source.prefix)]
    if bad:
        raise ValueError(f"source type {source.name!r}: read tools must start with {source.prefix}: {', '.join(bad)}")
    _TYPES[source.name] = source
    SOURCE_TOOLKIT[source.name] = source.toolkit
    READ_TOOLS[source.toolkit] = tuple(source.read_tools)
    return source


def unregister(name: str) -> None:
    """Remove a source type (tests that registered their own)."""
    source = _TYPES.pop(name, None)
    if source is not None:
        SOURCE_TOOLKIT.pop(name, None)
        READ_TOOLS.pop(source.toolkit, None)


def source_types() -> tuple[str, ...]:
    """Names of every registered source type, sorted."""
    _load_builtins()
    return tuple(sorted(_TYPES))


def source_type(name: str) -> SourceType:
    """The declaration of `name`; ValueError names the known types."""
    _load_builtins()
    try:
        return _TYPES[name]
    except KeyError:
        raise ValueError(f"unknown source type {name!r}; known: {', '.join(sorted(_TYPES))}") from None


def by_toolkit(toolkit: str) -> SourceType:
    """The declaration whose Composio toolkit is `toolkit`."""
    _load_builtins()
    for source in _TYPES.values():
        if source.toolkit == toolkit:
            return source
    raise ValueError(f"no source type uses toolkit {toolkit!r}")


def all_types() -> list[SourceType]:
    """Every declaration, sorted by name."""
    _load_builtins()
    return [_TYPES[name] for name in sorted(_TYPES)]


_loaded = False


def _load_builtins() -> None:
    global _loaded
    if not _loaded:
        import tools.sources.declared  # noqa: F401 - registers the built-in source types

        _loaded = True
