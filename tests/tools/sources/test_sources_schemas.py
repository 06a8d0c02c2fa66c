"""The shipped schemas: allow-listed read tools only, faithful to the real Composio tools."""

from __future__ import annotations

import json

import pytest
from composio.types import Tool
from sources_support import REFERENCE

from tools.sources.toolkits import READ_TOOLS, SOURCE_TOOLKIT, load_tool_specs, toolkit_for

# Composio's docs mark spreadsheet_id optional here but describe it as required.
REQUIRED_OVERRIDES = {"GOOGLESHEETS_GET_SPREADSHEET_INFO": {"spreadsheet_id"}}
COPIED = ("type", "anyOf", "items", "default", "enum", "minimum", "maximum", "minLength")


def test_source_toolkits_and_allow_lists():
    assert SOURCE_TOOLKIT == {
        "gmail": "gmail",
        "drive": "googledrive",
        "sheets": "googlesheets",
        "slack": "slack",
        "notion": "notion",
        "xero": "xero",
    }
    assert set(READ_TOOLS) == set(SOURCE_TOOLKIT.values())
    for toolkit, slugs in READ_TOOLS.items():
        assert 4 <= len(slugs) <= 6 and all(s.startswith(toolkit.upper() + "_") for s in slugs)
    with pytest.raises(
        ValueError, match="unknown source type 'dropbox'; known: drive, gmail, notion, sheets, slack, xero"
    ):
        toolkit_for("dropbox")


@pytest.mark.parametrize("toolkit", sorted(READ_TOOLS))
def test_specs_load_as_composio_tools(toolkit):
    tools = load_tool_specs(toolkit)
    assert all(isinstance(t, Tool) for t in tools)
    assert tuple(t.slug for t in tools) == READ_TOOLS[toolkit]
    for tool in tools:
        assert tool.toolkit.slug == toolkit and tool.description and tool.input_parameters["properties"]
        for name, prop in tool.input_parameters["properties"].items():
            assert prop.get("description"), (tool.slug, name)


@pytest.mark.skipif(not REFERENCE.is_dir(), reason="reference schemas not present")
@pytest.mark.parametrize("toolkit", sorted(READ_TOOLS))
def test_specs_match_the_reference(toolkit):
    reference = {t["slug"]: t for t in json.loads((REFERENCE / f"{toolkit}.json").read_text())}
    for tool in load_tool_specs(toolkit):
        assert tool.slug in reference, tool.slug
        ref = reference[tool.slug]
        assert ref["read_only"] is True, tool.slug
        ref_params = ref["input_parameters"]["properties"]
        ours = tool.input_parameters
        for name, prop in ours["properties"].items():
            assert name in ref_params, (tool.slug, name)
            for key in COPIED:
                if key == "anyOf":
                    continue
                assert prop.get(key) == ref_params[name].get(key), (tool.slug, name, key)
            assert prop["description"] != ref_params[name].get("description"), (tool.slug, name)
        ref_required = set(ref["input_parameters"].get("required") or [])
        assert set(ours["required"]) == ref_required | REQUIRED_OVERRIDES.get(tool.slug, set())
        dropped = set(ref_params) - set(ours["properties"])
        assert not dropped & ref_required, (tool.slug, dropped)
        assert tool.description != ref["description"]
