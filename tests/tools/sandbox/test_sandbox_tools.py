"""The LangChain tools over a sandbox: right names, readable payloads, errors returned not raised."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from langchain_core.messages import ToolMessage
from langchain_core.tools import BaseTool

from tools.sandbox.sandbox import Sandbox
from tools.sandbox.tools import MAX_LIST_ENTRIES, SANDBOX_TOOL_NAMES, sandbox_tools


@pytest.fixture
def tools(sandbox: Sandbox) -> dict[str, BaseTool]:
    return {tool.name: tool for tool in sandbox_tools(sandbox)}


def test_tool_names_and_descriptions(tools: dict[str, BaseTool]) -> None:
    assert SANDBOX_TOOL_NAMES == {"workspace_list", "workspace_read", "workspace_write", "run_command"}
    assert set(tools) == SANDBOX_TOOL_NAMES
    for tool in tools.values():
        assert len(tool.description) > 80
    assert "network" in tools["run_command"].description


def test_write_read_list_round_trip(tools: dict[str, BaseTool]) -> None:
    assert tools["workspace_write"].invoke({"path": "notes/a.txt", "content": "héllo"}) == {
        "ok": True,
        "path": "notes/a.txt",
        "bytes": 6,
    }
    assert tools["workspace_read"].invoke({"path": "notes/a.txt"}) == {
        "ok": True,
        "path": "notes/a.txt",
        "text": "héllo",
        "truncated": False,
    }
    assert tools["workspace_read"].invoke({"path": "notes/a.txt", "max_chars": 2})["truncated"] is True
    listing = tools["workspace_list"].invoke({})
    assert listing["ok"] and [entry["path"] for entry in listing["entries"]] == ["notes", "notes/a.txt"]


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("workspace_write", {"path": "../x", "content": "x"}),
        ("workspace_write", {"path": "/etc/x", "content": "x"}),
        ("workspace_read", {"path": "../x"}),
        ("workspace_read", {"path": "missing.txt"}),
        ("workspace_list", {"path": "../.."}),
    ],
)
def test_refusals_come_back_as_error_payloads(tools: dict[str, BaseTool], name: str, args: dict) -> None:
    result = tools[name].invoke(args)
    assert result["ok"] is False
    assert args["path"] in result["error"]


def test_escape_message_is_readable(tools: dict[str, BaseTool]) -> None:
    assert tools["workspace_write"].invoke({"path": "../x", "content": "x"}) == {
        "ok": False,
        "error": "path escapes the workspace: ../x",
    }


def test_symlink_out_is_an_error_payload(tools: dict[str, BaseTool], sandbox: Sandbox, outside: Path) -> None:
    os.symlink(outside / "secret.txt", sandbox.workspace / "link")
    result = tools["workspace_read"].invoke({"path": "link"})
    assert result["ok"] is False and "symlink" in result["error"]
    assert "top secret" not in json.dumps(result)


def test_binary_file_is_refused_with_a_hint(tools: dict[str, BaseTool], sandbox: Sandbox) -> None:
    sandbox.write_bytes("blob.bin", b"\x00\x01\x02binary")
    result = tools["workspace_read"].invoke({"path": "blob.bin"})
    assert result["ok"] is False and "run_command" in result["error"]


def test_run_command_reports_results_and_timeouts(tools: dict[str, BaseTool]) -> None:
    done = tools["run_command"].invoke({"command": "echo out; echo err >&2; exit 2"})
    assert done == {
        "ok": False,
        "exit_code": 2,
        "stdout": "out\n",
        "stderr": "err\n",
        "truncated": False,
        "timed_out": False,
    }
    slow = tools["run_command"].invoke({"command": "sleep 30", "timeout_seconds": 0.5})
    assert slow["ok"] is False and slow["timed_out"] is True and "timed out" in slow["error"]
    assert tools["run_command"].invoke({"command": "true", "timeout_seconds": 10_000})["ok"] is True


def test_bad_arguments_do_not_raise(tools: dict[str, BaseTool]) -> None:
    message = tools["run_command"].invoke(
        {"type": "tool_call", "id": "call-1", "name": "run_command", "args": {"cmd": "ls"}}
    )
    assert isinstance(message, ToolMessage)
    assert json.loads(message.content) == {"ok": False, "error": "invalid arguments: command: Field required"}
    assert json.loads(tools["workspace_read"].invoke({"path": 3}))["ok"] is False


def test_tool_call_content_is_json(tools: dict[str, BaseTool]) -> None:
    message = tools["workspace_read"].invoke(
        {"type": "tool_call", "id": "call-2", "name": "workspace_read", "args": {"path": "../secret"}}
    )
    assert json.loads(message.content) == {"ok": False, "error": "path escapes the workspace: ../secret"}


def test_long_listings_are_cut(tools: dict[str, BaseTool]) -> None:
    count = MAX_LIST_ENTRIES + 10
    tools["run_command"].invoke({"command": f"mkdir many && cd many && touch $(seq -f f%04g {count})"})
    listing = tools["workspace_list"].invoke({"path": "many"})
    assert listing["truncated"] is True and listing["total"] == count
    assert len(listing["entries"]) == MAX_LIST_ENTRIES


def test_tools_on_a_closed_sandbox_still_answer(tools: dict[str, BaseTool], sandbox: Sandbox) -> None:
    sandbox.cleanup()
    calls = [("run_command", {"command": "true"}), ("workspace_list", {}), ("workspace_read", {"path": "a"})]
    for name, args in calls:
        result = tools[name].invoke(args)
        assert result["ok"] is False and "closed" in result["error"]
