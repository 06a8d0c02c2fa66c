"""Toolkits and allow-listed read tools of the registered source types, and their Composio `Tool` models."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tools.sources.registry import READ_TOOLS, SOURCE_TOOLKIT, by_toolkit, source_type, source_types

if TYPE_CHECKING:  # the SDK is heavy to import; only tool building needs it
    from composio.types import Tool

__all__ = ["READ_TOOLS", "SOURCE_TOOLKIT", "load_tool_specs", "toolkit_for"]

source_types()  # the live views above hold every built-in type once this module is imported


def toolkit_for(source_type_name: str) -> str:
    """Return the toolkit slug of a source type; ValueError names the known types."""
    return source_type(source_type_name).toolkit


def load_tool_specs(toolkit: str) -> list[Tool]:
    """Return the allow-listed tools of `toolkit` as Composio `Tool` models."""
    try:
        declared = by_toolkit(toolkit)
    except ValueError:
        raise ValueError(f"no read tools for toolkit {toolkit!r}") from None
    return [_tool(declared.toolkit, declared.label, spec) for spec in declared.specs()]


def _tool(toolkit: str, label: str, spec: dict) -> Tool:
    from composio.types import Tool

    meta = {"logo": "", "name": label, "slug": toolkit}
    return Tool.model_validate(
        {
            "slug": spec["slug"],
            "name": spec["name"],
            "description": spec["description"],
            "human_description": spec["description"],
            "input_parameters": spec["input_parameters"],
            "output_parameters": spec["output_parameters"],
            "toolkit": meta,
            "version": "local",
            "available_versions": ["local"],
            "deprecated": {
                "available_versions": ["local"],
                "displayName": spec["name"],
                "is_deprecated": False,
                "toolkit": {"logo": ""},
                "version": "local",
            },
            "is_deprecated": False,
            "no_auth": True,
            "scopes": [],
            "tags": ["readOnlyHint"],
        }
    )
