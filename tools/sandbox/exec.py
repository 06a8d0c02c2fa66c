"""Spawn one sandbox command, cap its output, enforce its wall-clock limit and kill it whole."""

from __future__ import annotations

import json
import os
import selectors
import signal
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path

from tools.sandbox.types import CommandResult, SandboxLimits

_SUPERVISOR = Path(__file__).with_name("supervisor.py")
_STOP_GRACE = 2.0  # seconds the supervisor gets to sweep its descendants before SIGKILL
_DRAIN_GRACE = 0.5  # seconds spent reading what is left in the pipes once the command is gone
_READ_SIZE = 1 << 16


def execute(
    argv: list[str],
    *,
    cwd: Path,
    env: Mapping[str, str],
    limits: SandboxLimits,
    timeout: float,
    isolation: str,
    run_as: tuple[int, int] | None = None,
    unshare_network: bool = False,
) -> CommandResult:
    """Run `argv` under the supervisor in a new session and collect a capped result.

    `run_as` (uid, gid) is the unprivileged identity the supervisor switches to just before
    exec; `unshare_network` gives the command an empty network namespace first.
    """
    uid = run_as[0] if run_as else os.getuid()
    spec = {
        "parent_pid": os.getpid(),
        "limits": rlimits(limits, uid),
        "run_as": list(run_as or ()),
        "unshare_network": unshare_network,
    }
    stdout, stderr = CappedStream(limits.output_cap // 2), CappedStream(limits.output_cap // 2)
    with subprocess.Popen(
        [sys.executable, "-I", "-S", str(_SUPERVISOR), json.dumps(spec), *argv],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=cwd,
        env=dict(env),
        start_new_session=True,
        close_fds=True,
    ) as proc:
        sinks = {proc.stdout: stdout, proc.stderr: stderr}
        try:
            finished = _pump(proc.pid, sinks, time.monotonic() + timeout)
        except BaseException:
            _stop(proc.pid)  # an interrupted caller must not leave the command running
            raise
        if not finished:
            _stop(proc.pid)
            _pump(proc.pid, sinks, time.monotonic() + _DRAIN_GRACE)
        _kill_group(proc.pid)  # the leader is not reaped yet, so its group id cannot be reused
        returncode = proc.wait()
    return CommandResult(
        exit_code=128 - returncode if returncode < 0 else returncode,
        stdout=stdout.text(),
        stderr=stderr.text(),
        truncated=stdout.dropped > 0 or stderr.dropped > 0,
        timed_out=not finished,
        isolation=isolation,
    )


def rlimits(limits: SandboxLimits, uid: int | None = None) -> dict[str, list[int]]:
    """Translate `limits` into the (soft, hard) pairs the supervisor applies before exec."""
    # RLIMIT_NPROC counts every task of the real uid, not just this command's, so the
    # budget is added to what that user already runs. The kernel ignores it for root.
    nproc = _tasks_of_user(os.getuid() if uid is None else uid) + limits.max_processes
    return {
        "RLIMIT_CPU": [limits.cpu_seconds, limits.cpu_seconds + 1],  # SIGXCPU first, SIGKILL a second later
        "RLIMIT_AS": [limits.memory_bytes, limits.memory_bytes],
        "RLIMIT_FSIZE": [limits.file_bytes, limits.file_bytes],
        "RLIMIT_NPROC": [nproc, nproc],
        "RLIMIT_CORE": [0, 0],
    }


class CappedStream:
    """Keep the first and last `limit / 2` bytes of a stream and count what falls between."""

    def __init__(self, limit: int) -> None:
        self.head_limit = limit - limit // 2
        self.tail_limit = limit // 2
        self.head = bytearray()
        self.tail = bytearray()
        self.dropped = 0

    def feed(self, chunk: bytes) -> None:
        room = self.head_limit - len(self.head)
        if room > 0:
            self.head += chunk[:room]
            chunk = chunk[room:]
        if not chunk:
            return
        self.tail += chunk
        excess = len(self.tail) - self.tail_limit
        if excess > 0:
            del self.tail[:excess]
            self.dropped += excess

    def text(self) -> str:
        if not self.dropped:
            return (self.head + self.tail).decode("utf-8", errors="replace")
        return (
            self.head.decode("utf-8", errors="replace")
            + f"\n[... {self.dropped} bytes omitted ...]\n"
            + self.tail.decode("utf-8", errors="replace")
        )


def _pump(pid: int, sinks: dict, deadline: float) -> bool:
    """Read the pipes into their sinks until both close; False if the deadline came first."""
    leader_gone = False
    with selectors.DefaultSelector() as selector:
        for stream, sink in sinks.items():
            if not stream.closed:
                selector.register(stream, selectors.EVENT_READ, sink)
        while selector.get_map():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return leader_gone
            for key, _ in selector.select(min(remaining, 0.1)):
                chunk = os.read(key.fd, _READ_SIZE)
                if chunk:
                    key.data.feed(chunk)
                else:
                    selector.unregister(key.fileobj)
            if not leader_gone and _has_exited(pid):
                # A background job left in the group would hold the pipes open until the
                # deadline: end it, then give the pipes a moment to drain.
                leader_gone = True
                _kill_group(pid)
                deadline = min(deadline, time.monotonic() + _DRAIN_GRACE)
    # Closing its output is not finishing: wait for the command itself.
    while not leader_gone and not _has_exited(pid):
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.02)
    return True


def _stop(pid: int) -> None:
    """Ask the supervisor to sweep its descendants; SIGKILL the group if it takes too long."""
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    give_up = time.monotonic() + _STOP_GRACE
    while time.monotonic() < give_up and not _has_exited(pid):
        time.sleep(0.02)
    _kill_group(pid)


def _has_exited(pid: int) -> bool:
    # WNOWAIT leaves the leader a zombie, which keeps its process group id reserved for killpg.
    try:
        return os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None
    except ChildProcessError:
        return True


def _kill_group(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _tasks_of_user(uid: int) -> int:
    """Count the threads and processes owned by `uid` (0 when /proc is not there)."""
    total = 0
    try:
        names = os.listdir("/proc")
    except OSError:
        return 0
    for name in names:
        if not name.isdigit():
            continue
        try:
            if os.stat(f"/proc/{name}").st_uid == uid:
                total += len(os.listdir(f"/proc/{name}/task"))
        except OSError:
            continue
    return total
