"""Run a parser in a throwaway child process with a memory cap and a wall-clock limit.

Risky formats (PDF, Office, Outlook) go through libraries that can be driven to exhaust
memory or loop by a crafted file; a thread cannot be stopped and a MemoryError can hit the
orchestrator anywhere. Each parse therefore runs in a fresh process forked from a
forkserver that has the parser libraries preloaded (about 10 ms per fork): the child caps
its own address space before it reads the file, and the parent kills it at the deadline.
"""

from __future__ import annotations

import multiprocessing
import resource
import signal
import threading
from collections.abc import Callable
from typing import Any

from tools.parsers.types import ParseFailure

MEMORY_BYTES = 1 << 30
_PRELOAD = ["tools.parsers.parse"]
_lock = threading.Lock()
_context: Any = None


def run_isolated(function: Callable[..., Any], args: tuple, *, timeout: float,
                 memory_bytes: int = MEMORY_BYTES) -> Any:
    """Return `function(*args)` computed in a capped child; raise ParseFailure when the child cannot finish.

    `function` must be importable by name and its result picklable. Reasons: "timeout" when
    the wall clock runs out, "too large: ..." when the child runs out of memory or is killed,
    and the child's own ParseFailure reason when it raises one.
    """
    ctx = _forkserver()
    receive, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_child, args=(send, function, args, memory_bytes), daemon=True,
                        name="grove-parse")
    child.start()
    send.close()
    try:
        if not receive.poll(max(0.1, timeout)):
            raise ParseFailure("timeout")
        try:
            status, value = receive.recv()
        except (EOFError, OSError):
            status, value = "died", None
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receive.close()
    if status == "ok":
        return value
    if status == "failed":
        raise ParseFailure(value)
    code = child.exitcode or 0
    what = signal.Signals(-code).name if code < 0 and -code in signal.valid_signals() else f"exit {code}"
    raise ParseFailure(f"too large: parser process ended ({what})")


def _forkserver():
    """The forkserver context, started on first use with the parser libraries imported once."""
    global _context
    with _lock:
        if _context is None:
            ctx = multiprocessing.get_context("forkserver")
            ctx.set_forkserver_preload(_PRELOAD)
            _context = ctx
        return _context


def _child(conn, function: Callable[..., Any], args: tuple, memory_bytes: int) -> None:
    """Cap this process, run the function and send back ("ok", value) or ("failed", reason)."""
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    try:
        outcome = ("ok", function(*args))
    except ParseFailure as exc:
        outcome = ("failed", exc.reason)
    except MemoryError:
        outcome = ("failed", f"too large: out of memory while parsing (cap {memory_bytes >> 20} MiB)")
    except RecursionError:
        outcome = ("failed", "corrupt: nesting too deep to parse")
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which decides
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        outcome = ("failed", (f"corrupt: {type(exc).__name__}" + (f": {detail}" if detail else ""))[:200])
    try:
        conn.send(outcome)
    except MemoryError:
        conn.send(("failed", "too large: result too large to return"))
    finally:
        conn.close()
