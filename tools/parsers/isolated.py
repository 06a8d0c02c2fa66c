"""Run a parser in a throwaway child process with a memory cap and a wall-clock limit.

Risky formats (PDF, Office, Outlook) go through libraries that a crafted file can drive to
exhaust memory or loop; a thread cannot be stopped, and a MemoryError may strike the
orchestrator anywhere. Each parse therefore runs in a fresh process forked from a small
server that has the parser libraries imported already (tools.parsers.parse_server), so a
parse costs a fork, not an interpreter start. The child caps its own address space before
it opens the file; the caller kills it at the deadline. Answers come back as JSON.
"""

from __future__ import annotations

import atexit
import json
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from typing import Any

from tools.parsers.parse_server import receive_message, send_message
from tools.parsers.types import ParseFailure

MEMORY_BYTES = 1 << 30
_PRELOAD = ["tools.parsers.parse"]
_BOOT = (
    "import json, sys; sys.path[:] = json.loads(sys.argv[2]); "
    "from tools.parsers.parse_server import serve; serve(sys.argv[1], json.loads(sys.argv[3]))"
)
_START_TIMEOUT = 60.0


def run_isolated(function: Callable[..., Any], args: tuple, *, timeout: float, memory_bytes: int = MEMORY_BYTES) -> Any:
    """Return `function(*args)` computed in a capped child; raise ParseFailure when it cannot finish.

    `function` must be importable by module and name; `args` and its result must be JSON.
    Reasons: "timeout" when the wall clock runs out, "too large: ..." when the child runs out
    of memory or dies, the child's own reason when it raises ParseFailure.
    """
    deadline = time.monotonic() + max(0.1, timeout)
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        conn.connect(_server().address)
        send_message(
            conn,
            {
                "module": function.__module__,
                "name": function.__qualname__,
                "args": list(args),
                "memory": int(memory_bytes),
            },
        )
        conn.settimeout(max(0.1, deadline - time.monotonic()))
        pid = None
        try:
            pid = receive_message(conn)["pid"]
            conn.settimeout(max(0.1, deadline - time.monotonic()))
            answer = receive_message(conn)
        except (socket.timeout, TimeoutError):
            _kill(pid)
            raise ParseFailure("timeout") from None
        except (EOFError, OSError, ValueError):
            _kill(pid)
            raise ParseFailure(f"too large: parser process died (memory cap {memory_bytes >> 20} MiB)") from None
    if "ok" in answer:
        return answer["ok"]
    if answer["error"] == "ParseFailure":
        raise ParseFailure(answer["detail"])
    if answer["error"] == "MemoryError":
        raise ParseFailure(f"too large: out of memory while parsing (cap {memory_bytes >> 20} MiB)")
    if answer["error"] == "RecursionError":
        raise ParseFailure("corrupt: nesting too deep to parse")
    detail = str(answer["detail"]).strip().splitlines()[0] if str(answer["detail"]).strip() else ""
    raise ParseFailure((f"corrupt: {answer['error']}" + (f": {detail}" if detail else ""))[:200])


def _kill(pid: int | None) -> None:
    if pid is None:
        return
    try:
        os.kill(int(pid), signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


class _Server:
    """The running parse server of this process: its socket in a private directory, and its stdin."""

    def __init__(self) -> None:
        self.folder = tempfile.mkdtemp(prefix="grove-parse-")  # 0700: no other user may ask it to parse
        self.address = os.path.join(self.folder, "socket")
        self.process = subprocess.Popen(
            [sys.executable, "-c", _BOOT, self.address, json.dumps(sys.path), json.dumps(_PRELOAD)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            close_fds=True,
            start_new_session=True,
        )
        ready, _, _ = select.select([self.process.stdout], [], [], _START_TIMEOUT)
        if not ready or self.process.stdout.readline().strip() != b"ready":
            self.stop()
            raise ParseFailure("parser error: the parse server did not start")

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        try:
            self.process.stdin.close()  # the server's signal to exit
            self.process.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


_lock = threading.Lock()
_current: _Server | None = None


def _server() -> _Server:
    global _current
    with _lock:
        if _current is None or not _current.alive():
            if _current is not None:
                _current.stop()
            _current = _Server()
        return _current


@atexit.register
def _stop_server() -> None:
    with _lock:
        if _current is not None:
            _current.stop()
