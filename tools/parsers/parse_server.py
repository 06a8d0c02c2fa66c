"""The process that forks one capped child per isolated parse (started by tools.parsers.isolated).

It imports the parser libraries once, then listens on a Unix socket in a private directory.
Each connection gets a fresh fork, which reports its pid, caps its own memory, runs the
named function and answers in JSON (never pickle: the child has read untrusted bytes, so
its answer is data, not code). The server exits when the orchestrator closes its stdin.
"""

from __future__ import annotations

import importlib
import json
import os
import resource
import selectors
import signal
import socket
import struct
import sys

_PR_SET_PDEATHSIG = 1
_HEADER = struct.Struct("!I")
MAX_MESSAGE = 256 << 20


def send_message(conn: socket.socket, value: object) -> None:
    """Send one length-prefixed JSON message."""
    data = json.dumps(value, ensure_ascii=False).encode("utf-8")
    conn.sendall(_HEADER.pack(len(data)) + data)


def receive_message(conn: socket.socket) -> object:
    """Receive one length-prefixed JSON message; EOFError when the peer is gone first."""
    (size,) = _HEADER.unpack(_receive_exactly(conn, _HEADER.size))
    if size > MAX_MESSAGE:
        raise ValueError(f"message of {size} bytes refused")
    return json.loads(_receive_exactly(conn, size).decode("utf-8"))


def _receive_exactly(conn: socket.socket, size: int) -> bytes:
    chunks, left = [], size
    while left:
        chunk = conn.recv(min(left, 1 << 20))
        if not chunk:
            raise EOFError("connection closed")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def serve(address: str, preload: list[str]) -> None:
    """Accept requests on `address` until stdin closes; fork a child for each."""
    for name in preload:
        importlib.import_module(name)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the kernel reaps finished children
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(address)
    listener.listen(64)
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    # Nobody reads the pipe after this line: a chatty parser library must not fill it and block.
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    os.close(null)
    with selectors.DefaultSelector() as selector:
        selector.register(listener, selectors.EVENT_READ)
        selector.register(sys.stdin, selectors.EVENT_READ)
        while True:
            for key, _ in selector.select():
                if key.fileobj is sys.stdin:
                    if not os.read(sys.stdin.fileno(), 1024):
                        return  # the orchestrator is gone
                    continue
                conn, _ = listener.accept()
                if os.fork() == 0:
                    listener.close()
                    _child(conn)
                conn.close()


def _child(conn: socket.socket) -> None:
    """Run one request: report the pid, cap memory, call the function, answer, exit."""
    code = 0
    try:
        _die_with_server()
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # converters run by the parser need their status
        request = receive_message(conn)
        send_message(conn, {"pid": os.getpid()})
        memory = int(request["memory"])
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        function = getattr(importlib.import_module(request["module"]), request["name"])
        try:
            answer = {"ok": function(*request["args"])}
        except MemoryError:
            answer = {"error": "MemoryError", "detail": ""}
        except BaseException as exc:  # noqa: BLE001 - every failure goes back as data
            answer = {"error": type(exc).__name__, "detail": getattr(exc, "reason", None) or str(exc)[:500]}
        send_message(conn, answer)
    except BaseException:  # noqa: BLE001 - the parent sees the closed connection
        code = 1
    finally:
        os._exit(code)


def _die_with_server() -> None:
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    except (OSError, AttributeError):
        pass
