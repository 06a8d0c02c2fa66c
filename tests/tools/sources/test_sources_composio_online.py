"""Online tools come from Composio; offline here, with its HTTP layer answered in-process."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import httpx
import pytest
from langchain_core.tools import StructuredTool

from tools.scoping import ToolRunner, scope_tools
from tools.sources.composio_online import composio_source_tools
from tools.sources.errors import MissingCredentials, ToolNotAllowed
from tools.sources.toolkits import READ_TOOLS


def test_without_a_key_it_names_the_variable(monkeypatch):
    monkeypatch.delenv("COMPOSIO_API_KEY", raising=False)
    with pytest.raises(MissingCredentials, match="COMPOSIO_API_KEY"):
        composio_source_tools("gmail", "client-a")


def recorded_schemas(toolkit: str) -> dict[str, dict]:
    """Tool schemas as Composio's API serves them (recorded: read tools plus one write tool)."""
    path = Path(__file__).parent / "recorded" / f"{toolkit}_tools.json"
    return {t["slug"]: t for t in json.loads(path.read_text())}


def api_item(schema: dict, toolkit: str) -> dict:
    return {
        "slug": schema["slug"],
        "name": schema.get("name", schema["slug"]),
        "description": schema.get("description", ""),
        "input_parameters": schema["input_parameters"],
        "output_parameters": schema.get("output_parameters", {}),
        "toolkit": {"logo": "", "name": toolkit, "slug": toolkit},
        "version": "20260101_00",
        "available_versions": ["20260101_00"],
        "is_deprecated": False,
        "no_auth": False,
        "deprecated": {
            "available_versions": [],
            "displayName": schema["slug"],
            "is_deprecated": False,
            "toolkit": {"logo": ""},
            "version": "20260101_00",
        },
        "scopes": [],
        "tags": [],
    }


def test_online_tools_with_a_fake_key_and_no_network(monkeypatch):
    monkeypatch.setenv("COMPOSIO_API_KEY", "test-key-not-real")
    schemas = recorded_schemas("gmail")
    requests = []

    def answer(self, request: httpx.Request) -> httpx.Response:
        requests.append(request)
        asked = parse_qs(urlparse(str(request.url)).query).get("tool_slugs", [""])[0].split(",")
        # A server that also sends a write tool: scoping must still keep it out.
        items = [api_item(schemas[s], "gmail") for s in asked + ["GMAIL_SEND_EMAIL"] if s in schemas]
        return httpx.Response(
            200,
            json={"items": items, "total_items": len(items), "total_pages": 1, "current_page": 1, "next_cursor": None},
            request=request,
        )

    monkeypatch.setattr(httpx.HTTPTransport, "handle_request", answer)
    # The SDK reports usage from a background thread; keep those events in-process too.
    events = []
    monkeypatch.setattr("composio.core.models.base.push_event", lambda event: events.append(event))
    tools = composio_source_tools("gmail", "client-a")
    assert len(requests) == 1 and requests[0].headers.get("x-api-key") == "test-key-not-real"
    asked = parse_qs(urlparse(str(requests[0].url)).query)["tool_slugs"][0].split(",")
    assert sorted(asked) == sorted(READ_TOOLS["gmail"])
    assert all(isinstance(t, StructuredTool) for t in tools)
    assert {t.name for t in tools} == set(READ_TOOLS["gmail"]) | {"GMAIL_SEND_EMAIL"}
    scoped = scope_tools("gmail", tools, [])
    assert [t.name for t in scoped] == sorted(READ_TOOLS["gmail"])
    with pytest.raises(ToolNotAllowed, match="GMAIL_SEND_EMAIL"):
        ToolRunner(scoped).invoke("GMAIL_SEND_EMAIL", {"recipient_email": "a@example.org"})
