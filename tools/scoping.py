"""Tool scoping: each explorer gets its source's read tools plus the sandbox, nothing else."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from langchain_core.tools import BaseTool

from tools.sources.composio_online import composio_source_tools
from tools.sources.downloads import DownloadSink
from tools.sources.errors import ToolNotAllowed
from tools.sources.local import local_source_tools
from tools.sources.registry import all_types, source_type

_log = logging.getLogger(__name__)


def scope_tools(
    source_type_name: str, source_tools: Sequence[BaseTool], sandbox_tools: Sequence[BaseTool]
) -> list[BaseTool]:
    """Keep the source's allow-listed read tools and the sandbox tools, sorted by name.

    A sandbox tool named like a source tool (GMAIL_*, GOOGLEDRIVE_*, ...) is dropped too,
    so no other source's tool and no write or send tool can slip in.
    """
    allowed = set(source_type(source_type_name).read_tools)
    prefixes = tuple(declared.prefix for declared in all_types())
    kept: dict[str, BaseTool] = {}
    for tool in source_tools:
        if tool.name in allowed:
            kept.setdefault(tool.name, tool)
    for tool in sandbox_tools:
        if not tool.name.upper().startswith(prefixes):
            kept.setdefault(tool.name, tool)
    return [kept[name] for name in sorted(kept)]


class ToolRunner:
    """Runs tools by name, refusing (and logging) every name outside the list it was built with.

    The refusal is the runner's, not the prompt's: whatever text a model was shown, a name
    outside the allow-list never reaches a tool. `agent` names the caller in logs and errors.
    """

    def __init__(self, tools: Sequence[BaseTool], agent: str = "") -> None:
        self._tools = {tool.name: tool for tool in tools}
        self.agent = agent

    @property
    def names(self) -> tuple[str, ...]:
        """The names this runner will run, sorted."""
        return tuple(sorted(self._tools))

    @property
    def tools(self) -> list[BaseTool]:
        """The tools, sorted by name (for binding to a model)."""
        return [self._tools[name] for name in self.names]

    def get(self, name: str) -> BaseTool:
        """Return the named tool; raise ToolNotAllowed for any other name."""
        if name not in self._tools:
            _log.warning("tool refused: agent=%s tool=%r (not in its allow-list)", self.agent or "?", name)
            raise ToolNotAllowed(name, self.names, agent=self.agent)
        return self._tools[name]

    def invoke(self, name: str, args: dict[str, Any]) -> Any:
        """Run the named tool with `args`; raise ToolNotAllowed for any other name."""
        return self.get(name).invoke(args)

    async def ainvoke(self, name: str, args: dict[str, Any]) -> Any:
        """Async form of invoke."""
        return await self.get(name).ainvoke(args)


def build_source_tools(source: dict[str, Any], downloads: DownloadSink, *, user_id: str) -> list[BaseTool]:
    """Return the tools for one source: connection 'local' (needs path) or 'composio'."""
    connection = source.get("connection", "local")
    if connection == "local":
        return list(local_source_tools(source["type"], source["path"], downloads))
    if connection == "composio":
        return list(composio_source_tools(source["type"], user_id))
    raise ValueError(f"unknown connection {connection!r} for source {source.get('type')!r}; use local or composio")
