"""Offline source tools: local connectors wrapped exactly as Composio wraps its own."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from langchain_core.tools import StructuredTool

from tools.sources.downloads import DownloadSink
from tools.sources.local_drive import LocalDrive
from tools.sources.local_gmail import LocalGmail
from tools.sources.local_sheets import LocalSheets
from tools.sources.toolkits import load_tool_specs, toolkit_for

Connector = Callable[[str | Path, DownloadSink], Any]

LOCAL_CONNECTORS: dict[str, Connector] = {
    "gmail": LocalGmail,
    "googledrive": LocalDrive,
    "googlesheets": lambda path, downloads: LocalSheets(path),
}


def local_source_tools(source_type: str, path: str | Path, downloads: DownloadSink) -> list[StructuredTool]:
    """Return the source's read tools over the export at `path`, files saved through `downloads`."""
    toolkit = toolkit_for(source_type)
    connector = LOCAL_CONNECTORS[toolkit](path, downloads)
    from composio_langgraph import LanggraphProvider  # heavy import, paid only when a source is explored

    return LanggraphProvider().wrap_tools(load_tool_specs(toolkit), connector.execute)
