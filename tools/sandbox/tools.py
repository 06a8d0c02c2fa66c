"""LangChain tools that let an agent list, read, write and run commands in its own sandbox."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable

from langchain_core.tools import BaseTool, StructuredTool
from pydantic import BaseModel, ValidationError

from tools.sandbox.sandbox import Sandbox, SandboxError

SANDBOX_TOOL_NAMES = frozenset({"workspace_list", "workspace_read", "workspace_write", "run_command"})
MAX_LIST_ENTRIES = 500
MAX_READ_CHARS = 100_000


# Argument models, declared once: inferring them from each sandbox's closures costs a few
# milliseconds of pydantic work per agent, which sixteen explorers starting together pay in turn.
class ListArgs(BaseModel):
    path: str = "."


class ReadArgs(BaseModel):
    path: str
    max_chars: int = 20000


class WriteArgs(BaseModel):
    path: str
    content: str


class CommandArgs(BaseModel):
    command: str
    timeout_seconds: float | None = None


_ARGS: dict[str, type[BaseModel]] = {
    "workspace_list": ListArgs,
    "workspace_read": ReadArgs,
    "workspace_write": WriteArgs,
    "run_command": CommandArgs,
}


def sandbox_tools(sandbox: Sandbox) -> list[BaseTool]:
    """Return the four workspace tools bound to `sandbox`; they report errors, never raise."""

    def workspace_list(path: str = ".") -> dict:
        entries = sandbox.list(path)
        return {
            "ok": True,
            "path": path,
            "entries": entries[:MAX_LIST_ENTRIES],
            "total": len(entries),
            "truncated": len(entries) > MAX_LIST_ENTRIES,
        }

    def workspace_read(path: str, max_chars: int = 20000) -> dict:
        max_chars = max(1, min(int(max_chars), MAX_READ_CHARS))
        text = sandbox.read_text(path, max_chars=max_chars + 1)
        if "\x00" in text:
            return _error(
                f"{path} looks like a binary file; inspect or convert it with run_command (for example `file {path}`)"
            )
        return {"ok": True, "path": path, "text": text[:max_chars], "truncated": len(text) > max_chars}

    def workspace_write(path: str, content: str) -> dict:
        sandbox.write_text(path, content)
        return {"ok": True, "path": path, "bytes": len(content.encode("utf-8"))}

    def run_command(command: str, timeout_seconds: float | None = None) -> dict:
        limit = sandbox.limits.timeout
        timeout = limit if timeout_seconds is None else max(0.1, min(float(timeout_seconds), limit))
        result = sandbox.run(command, timeout=timeout)
        payload = {
            "ok": result.exit_code == 0 and not result.timed_out,
            "exit_code": result.exit_code,
            "stdout": result.stdout,
            "stderr": result.stderr,
            "truncated": result.truncated,
            "timed_out": result.timed_out,
        }
        if result.timed_out:
            payload["error"] = f"command timed out after {timeout:g} s; all its processes were killed"
        return payload

    limits = sandbox.limits
    walls = (
        "There is no network access. Only the workspace is writable, and /tmp where present, "
        "a small scratch area emptied after every command: keep results in the workspace."
        if sandbox.isolation == "bwrap"
        else "There is no network access; write only inside the workspace."
        if getattr(sandbox, "network", "host") == "none"
        else "Do not use the network, and write only inside the workspace."
    )
    descriptions = {
        "workspace_list": (
            "List the files and folders in your private workspace, recursively, with sizes in bytes. "
            "`path` is relative to the workspace root ('.' for everything). Returns "
            "{ok, entries: [{path, size, is_dir}], total, truncated}; at most "
            f"{MAX_LIST_ENTRIES} entries are returned, so pass a folder as `path` when truncated is true."
        ),
        "workspace_read": (
            "Read a text file from your workspace. `path` is relative to the workspace root; absolute "
            "paths, '..' and symlinks are refused. Returns {ok, path, text, truncated} with at most "
            f"`max_chars` characters (default 20000, max {MAX_READ_CHARS}). Binary files (PDF, XLSX, "
            "images) are refused: convert them with run_command first."
        ),
        "workspace_write": (
            "Create or overwrite a UTF-8 text file in your workspace; missing parent folders are created. "
            "`path` is relative to the workspace root. Returns {ok, path, bytes}. "
            f"The whole workspace may hold at most {limits.workspace_bytes} bytes."
        ),
        "run_command": (
            "Run one shell command line (/bin/sh -c) with your workspace as the current directory and "
            f"return {{ok, exit_code, stdout, stderr, truncated, timed_out}}. {walls} "
            "The environment holds only PATH, HOME (the workspace), LANG and TMPDIR; no credentials. "
            "Each call starts fresh: cd, variables and background jobs do not carry over, and anything "
            f"still running when the command ends is killed. Time limit {limits.timeout:g} s "
            "(`timeout_seconds` may lower it); each of stdout and stderr keeps about "
            f"{limits.output_cap // 2} bytes, the middle of longer output is omitted, so filter with "
            f"grep, head or tail. Files may not exceed {limits.file_bytes} bytes."
        ),
    }
    functions = [workspace_list, workspace_read, workspace_write, run_command]
    return [
        StructuredTool.from_function(
            func=_reporting_errors(function),
            name=function.__name__,
            description=descriptions[function.__name__],
            args_schema=_ARGS[function.__name__],
            handle_validation_error=_explain_bad_arguments,
        )
        for function in functions
    ]


def _reporting_errors(function: Callable[..., dict]) -> Callable[..., dict]:
    """Turn any exception into {"ok": false, "error": ...}: the model reads it and can try again."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs) -> dict:
        try:
            return function(*args, **kwargs)
        except SandboxError as exc:
            return _error(str(exc))
        except Exception as exc:  # a tool that raises would end the agent's turn
            return _error(f"{type(exc).__name__}: {exc}")

    return wrapper


def _error(message: str) -> dict:
    return {"ok": False, "error": message}


def _explain_bad_arguments(exc: ValidationError) -> str:
    problems = "; ".join(
        f"{'.'.join(str(part) for part in error['loc']) or 'arguments'}: {error['msg']}" for error in exc.errors()
    )
    return json.dumps(_error(f"invalid arguments: {problems}"))
