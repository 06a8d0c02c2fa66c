"""Collaborators the nodes use, built by factories at run time and bound when a graph is built."""

from __future__ import annotations

import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from kb.open_store import open_store
from kb.store import Store
from kb.taxonomy import Taxonomy, load_taxonomy
from nodes.context import Context
from nodes.models import make_chat_model
from nodes.usage import UsageBook
from tools.sandbox.sandbox import Sandbox, SandboxLimits
from tools.sandbox.tools import sandbox_tools
from tools.scoping import ToolRunner, build_source_tools, scope_tools


@dataclass(frozen=True)
class Deps:
    """Factories for the store, sandboxes, tools and taxonomy; tests replace any of them."""

    store: Callable[[Context], Store]
    sandbox: Callable[[Context, str, str], Sandbox]
    explorer_tools: Callable[[Context, dict, Sandbox], ToolRunner]
    taxonomy: Callable[[Context], Taxonomy]
    # (ctx, role 'explorer'|'structurer') -> a chat model, built when an agent starts, never stored
    chat_model: Callable[[Context, str], Any] = make_chat_model
    usage: UsageBook = field(default_factory=UsageBook)


class StoreCache:
    """One open store per KB location per process, shared by all nodes and branches."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._stores: dict[str, Store] = {}

    def __call__(self, ctx: Context) -> Store:
        with self._lock:
            key = f"{ctx.kb}|{ctx.db}"
            store = self._stores.get(key)
            if store is None:
                store = self._stores[key] = open_store(ctx.db or None, ctx.kb or None)
            return store

    def close_all(self) -> None:
        with self._lock:
            for store in self._stores.values():
                store.close()
            self._stores.clear()


def workspace_root(ctx: Context) -> Path:
    """Where agent workspaces go: the configured root, else a folder in the system temp dir."""
    return Path(ctx.workspace_root) if ctx.workspace_root else Path(tempfile.gettempdir()) / "grove"


def make_sandbox(ctx: Context, run_id: str, agent_id: str) -> Sandbox:
    """Give one agent its own workspace under the run's workspace root."""
    root = workspace_root(ctx)
    root.mkdir(parents=True, exist_ok=True)
    limits = SandboxLimits(workspace_bytes=max(ctx.max_bytes_per_source * 2, 1 << 30))
    return Sandbox(root, run_id, agent_id, isolation=ctx.isolation, limits=limits)


def make_explorer_tools(ctx: Context, source: dict, sandbox: Sandbox) -> ToolRunner:
    """Bind an explorer to its own source's allow-listed read tools plus its sandbox tools."""
    source_tools = build_source_tools(source, sandbox, user_id=ctx.composio_user_id or ctx.client_id)
    return ToolRunner(scope_tools(source["type"], source_tools, sandbox_tools(sandbox)), agent=sandbox.workspace.name)


def default_deps(**overrides: Any) -> Deps:
    """Return the production factories, with any of them replaced by keyword."""
    base = dict(
        store=StoreCache(),
        sandbox=make_sandbox,
        explorer_tools=make_explorer_tools,
        taxonomy=lambda ctx: load_taxonomy(ctx.taxonomy),
    )
    base.update(overrides)
    return Deps(**base)
