"""Run a command-line converter safely: argv list, bare environment, own process group."""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess

from tools.parsers.types import Deadline, ParseFailure

_OUTPUT_CAP = 256 * 1024 * 1024
MEMORY_BYTES = 1 << 30


def run_tool(argv: list[str], deadline: Deadline) -> tuple[int, bytes, bytes]:
    """Run `argv` until the deadline; return (exit code, stdout, stderr).

    Raises ParseFailure("tool missing: <tool>") when the program is absent and
    ParseFailure("timeout") after killing its whole process group.
    """
    program = shutil.which(argv[0])
    if program is None:
        raise ParseFailure(f"tool missing: {argv[0]}")
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8"}
    proc = subprocess.Popen(
        [program, *argv[1:]], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, env=env, start_new_session=True,
    )
    try:
        # Set on the running child (not in a preexec_fn, unsafe with threads); the converter
        # is still loading when this lands, long before it reads the document.
        resource.prlimit(proc.pid, resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
    except (ProcessLookupError, PermissionError, OSError):
        pass  # already gone: its exit status tells
    try:
        out, err = proc.communicate(timeout=max(0.1, deadline.remaining()))
    except subprocess.TimeoutExpired as exc:
        _kill_group(proc)
        proc.communicate()
        raise ParseFailure("timeout") from exc
    except BaseException:
        _kill_group(proc)
        raise
    return proc.returncode, out[:_OUTPUT_CAP], err[:64 * 1024]


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        proc.kill()
