"""Which Composio toolkit serves each source, its allow-listed read tools, and their schemas."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the SDK is heavy to import; only tool building needs it
    from composio.types import Tool

SOURCE_TOOLKIT: dict[str, str] = {"gmail": "gmail", "drive": "googledrive", "sheets": "googlesheets"}

READ_TOOLS: dict[str, tuple[str, ...]] = {
    "gmail": (
        "GMAIL_FETCH_EMAILS",
        "GMAIL_FETCH_MESSAGE_BY_MESSAGE_ID",
        "GMAIL_FETCH_MESSAGE_BY_THREAD_ID",
        "GMAIL_GET_ATTACHMENT",
        "GMAIL_LIST_LABELS",
    ),
    "googledrive": (
        "GOOGLEDRIVE_LIST_FILES",
        "GOOGLEDRIVE_FIND_FILE",
        "GOOGLEDRIVE_GET_FILE_METADATA",
        "GOOGLEDRIVE_DOWNLOAD_FILE",
    ),
    "googlesheets": (
        "GOOGLESHEETS_SEARCH_SPREADSHEETS",
        "GOOGLESHEETS_GET_SPREADSHEET_INFO",
        "GOOGLESHEETS_GET_SHEET_NAMES",
        "GOOGLESHEETS_VALUES_GET",
        "GOOGLESHEETS_BATCH_GET",
    ),
}

_SCHEMAS = Path(__file__).parent / "schemas"
_TOOLKIT_NAMES = {"gmail": "Gmail", "googledrive": "Google Drive", "googlesheets": "Google Sheets"}


def toolkit_for(source_type: str) -> str:
    """Return the toolkit slug of a source type; ValueError names the known types."""
    try:
        return SOURCE_TOOLKIT[source_type]
    except KeyError:
        known = ", ".join(sorted(SOURCE_TOOLKIT))
        raise ValueError(f"unknown source type {source_type!r}; known: {known}") from None


def load_tool_specs(toolkit: str) -> list[Tool]:
    """Return the allow-listed tools of `toolkit` as Composio `Tool` models, from schemas/."""
    if toolkit not in READ_TOOLS:
        raise ValueError(f"no read tools for toolkit {toolkit!r}")
    specs = json.loads((_SCHEMAS / f"{toolkit}.json").read_text(encoding="utf-8"))
    tools = [_tool(toolkit, spec) for spec in specs if spec["slug"] in READ_TOOLS[toolkit]]
    return sorted(tools, key=lambda tool: READ_TOOLS[toolkit].index(tool.slug))


def _tool(toolkit: str, spec: dict) -> Tool:
    from composio.types import Tool

    meta = {"logo": "", "name": _TOOLKIT_NAMES.get(toolkit, toolkit), "slug": toolkit}
    return Tool.model_validate({
        "slug": spec["slug"],
        "name": spec["name"],
        "description": spec["description"],
        "human_description": spec["description"],
        "input_parameters": spec["input_parameters"],
        "output_parameters": spec["output_parameters"],
        "toolkit": meta,
        "version": "local",
        "available_versions": ["local"],
        "deprecated": {"available_versions": ["local"], "displayName": spec["name"],
                       "is_deprecated": False, "toolkit": {"logo": ""}, "version": "local"},
        "is_deprecated": False,
        "no_auth": True,
        "scopes": [],
        "tags": ["readOnlyHint"],
    })
