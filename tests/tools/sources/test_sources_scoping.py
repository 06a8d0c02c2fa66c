"""Scoping: an explorer sees its own source's read tools and the sandbox, and nothing else."""

from __future__ import annotations

import pytest
from langchain_core.tools import BaseTool, tool
from sources_support import SAMPLE

from tools.scoping import ToolRunner, build_source_tools, scope_tools
from tools.sources.errors import ToolNotAllowed
from tools.sources.local import local_source_tools
from tools.sources.toolkits import READ_TOOLS


@tool
def workspace_read(path: str) -> str:
    """Read a file from the workspace."""
    return f"read {path}"


@tool
def run_command(command: str) -> str:
    """Run a shell command in the workspace."""
    return f"ran {command}"


@tool
def GMAIL_SEND_EMAIL(to: str, body: str) -> str:  # noqa: N802 - named like the Composio slug
    """Send an email."""
    return "sent"


SANDBOX: list[BaseTool] = [workspace_read, run_command]


def every_source_tool(sink) -> list[BaseTool]:
    return [t for source in ("gmail", "drive", "sheets") for t in local_source_tools(source, SAMPLE / source, sink)]


def test_gmail_explorer_sees_only_gmail_reads_and_sandbox(sink):
    scoped = scope_tools("gmail", every_source_tool(sink) + [GMAIL_SEND_EMAIL], SANDBOX)
    names = [t.name for t in scoped]
    assert names == sorted(list(READ_TOOLS["gmail"]) + ["run_command", "workspace_read"])
    assert not any(n.startswith(("GOOGLEDRIVE_", "GOOGLESHEETS_")) or n == "GMAIL_SEND_EMAIL" for n in names)


def test_sandbox_tools_cannot_smuggle_source_tools(sink):
    scoped = scope_tools("drive", every_source_tool(sink), SANDBOX + [GMAIL_SEND_EMAIL])
    assert [t.name for t in scoped] == sorted(list(READ_TOOLS["googledrive"]) + ["run_command", "workspace_read"])


def test_runner_refuses_names_outside_its_list(sink):
    runner = ToolRunner(scope_tools("gmail", every_source_tool(sink), SANDBOX))
    assert "GMAIL_FETCH_EMAILS" in runner.names and "workspace_read" in runner.names
    assert runner.invoke("workspace_read", {"path": "notes.md"}) == "read notes.md"
    out = runner.invoke("GMAIL_FETCH_EMAILS", {"max_results": 1, "ids_only": True})
    assert out["successful"] and len(out["data"]["messages"]) == 1
    for name in ("GOOGLEDRIVE_LIST_FILES", "GMAIL_SEND_EMAIL", "GOOGLESHEETS_VALUES_GET"):
        with pytest.raises(ToolNotAllowed, match=name):
            runner.invoke(name, {})


def test_build_source_tools_dispatches_on_connection(sink, monkeypatch):
    local = build_source_tools(
        {"type": "sheets", "connection": "local", "path": str(SAMPLE / "sheets")}, sink, user_id="client-a"
    )
    assert tuple(t.name for t in local) == READ_TOOLS["googlesheets"]
    seen = []
    monkeypatch.setattr(
        "tools.scoping.composio_source_tools", lambda source_type, user_id: seen.append((source_type, user_id)) or []
    )
    assert build_source_tools({"type": "gmail", "connection": "composio"}, sink, user_id="client-a") == []
    assert seen == [("gmail", "client-a")]
    with pytest.raises(ValueError, match="ftp"):
        build_source_tools({"type": "gmail", "connection": "ftp"}, sink, user_id="client-a")
    with pytest.raises(ValueError, match="dropbox"):
        scope_tools("dropbox", [], SANDBOX)
