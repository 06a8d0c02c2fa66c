"""Offline source tools: local connectors wrapped exactly as Composio wraps its own."""

from __future__ import annotations

from pathlib import Path

from langchain_core.tools import StructuredTool

from tools.sources.downloads import DownloadSink
from tools.sources.registry import source_type
from tools.sources.toolkits import load_tool_specs


def local_source_tools(source_type_name: str, path: str | Path, downloads: DownloadSink) -> list[StructuredTool]:
    """Return the source's read tools over the export at `path`, files saved through `downloads`."""
    declared = source_type(source_type_name)
    connector = declared.local(path, downloads)
    from composio_langgraph import LanggraphProvider  # heavy import, paid only when a source is explored

    return LanggraphProvider().wrap_tools(load_tool_specs(declared.toolkit), connector.execute)
