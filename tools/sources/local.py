"""Offline source tools: local connectors wrapped exactly as Composio wraps its own."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from langchain_core.tools import StructuredTool

from tools.sources.downloads import DownloadSink
from tools.sources.registry import source_type
from tools.sources.toolkits import load_tool_specs

if TYPE_CHECKING:  # the SDK is heavy to import; only tool building needs it
    from composio.types import Tool

# Composio's wrapped tool per (slug, description, input schema), built once per process. Turning a
# JSON schema into pydantic models is the costly part of wrapping (milliseconds per tool), and
# every explorer of a source type would otherwise pay it again for the same schemas.
_TEMPLATES: dict[tuple[str, str, str], StructuredTool] = {}


def local_source_tools(source_type_name: str, path: str | Path, downloads: DownloadSink) -> list[StructuredTool]:
    """Return the source's read tools over the export at `path`, files saved through `downloads`."""
    declared = source_type(source_type_name)
    connector = declared.local(path, downloads)
    return wrap_tools(load_tool_specs(declared.toolkit), connector.execute)


def wrap_tools(specs: list[Tool], execute: Callable[[str, dict], Any]) -> list[StructuredTool]:
    """Composio's LangGraph tools for `specs`, each calling `execute(slug, arguments)`.

    The tool (its argument model, description, error handling) is Composio's own, built once
    per schema; each call here gives it a function bound to this `execute`.
    """
    from composio.utils.shared import substitute_reserved_python_keywords
    from composio_langgraph import LanggraphProvider  # heavy import, paid only when a source is explored

    provider = LanggraphProvider()
    tools = []
    for spec in specs:
        key = (spec.slug, spec.description, json.dumps(spec.input_parameters, sort_keys=True))
        template = _TEMPLATES.get(key)
        if template is None:
            template = _TEMPLATES.setdefault(key, provider.wrap_tool(spec, _unbound))
        params, keywords = substitute_reserved_python_keywords(schema=spec.input_parameters)
        function = provider._wrap_action(  # Composio's own wrapper function, bound to `execute`
            tool=spec.slug, description=spec.description, schema_params=params, keywords=keywords, execute_tool=execute
        )
        tools.append(template.model_copy(update={"func": function}))
    return tools


def _unbound(slug: str, arguments: dict) -> dict:
    raise RuntimeError(f"{slug}: a template tool is never called; wrap_tools binds a copy")
