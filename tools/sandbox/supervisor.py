"""Run one sandbox command under rlimits and leave none of its processes behind.

Started by `tools.sandbox.exec` as `python -I -S sandbox_supervisor.py SPEC COMMAND...` in a
session of its own. It applies the rlimits in the forked child just before exec, so the
orchestrator never needs a `preexec_fn` (unsafe with threads, and LangGraph runs nodes in
threads). On Linux it makes itself a child subreaper, so descendants that called `setsid`
or lost their parent are re-parented to it instead of to init, and it kills every
descendant when the command exits, when it receives SIGTERM, or when the orchestrator dies.
Only the standard library is used: it runs with site-packages disabled.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import sys
import time
import warnings  # noqa: F401 - os.execvp imports it lazily, after the uid drop may have hidden the stdlib

_PR_SET_PDEATHSIG = 1
_PR_SET_CHILD_SUBREAPER = 36
_CLONE_NEWNET = 0x40000000
_STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)


def main(argv: list[str]) -> int:
    """Run `argv[2:]` with the limits in the JSON spec `argv[1]`; return its shell-style exit code."""
    spec = json.loads(argv[1])
    command = argv[2:]
    for signum in _STOP_SIGNALS:
        signal.signal(signum, _stop)
    _watch_parent(spec["parent_pid"])
    child = os.fork()
    if child == 0:
        _exec(command, spec)
    while True:
        # Waiting on any child also reaps orphans re-parented here, so they cannot pile up.
        pid, status = os.waitpid(-1, 0)
        if pid == child:
            break
    kill_descendants()
    code = os.waitstatus_to_exitcode(status)
    return 128 - code if code < 0 else code


def kill_descendants() -> None:
    """SIGKILL every process below this one until none is left, reaping as it goes."""
    me = os.getpid()
    for _ in range(1000):
        living = descendants(me)
        for pid in living:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        _reap()
        if not living:
            return
        time.sleep(0.005)


def descendants(root: int) -> list[int]:
    """Return the pids of the living (non-zombie) descendants of `root`, read from /proc."""
    children: dict[int, list[int]] = {}
    zombies: set[int] = set()
    try:
        names = os.listdir("/proc")
    except OSError:
        return []  # no procfs: the orchestrator's killpg is the only sweep
    for name in names:
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
        except (OSError, IndexError):
            continue
        pid = int(name)
        children.setdefault(int(fields[1]), []).append(pid)
        if fields[0] == b"Z":
            zombies.add(pid)
    found, stack = [], list(children.get(root, ()))
    while stack:
        pid = stack.pop()
        if pid not in zombies:
            found.append(pid)
        stack.extend(children.get(pid, ()))
    return found


def _exec(command: list[str], spec: dict) -> None:
    try:
        if spec.get("unshare_network"):
            _unshare_network()
        for name, (soft, hard) in spec["limits"].items():
            which = getattr(resource, name)
            _, ceiling = resource.getrlimit(which)
            if ceiling != resource.RLIM_INFINITY:  # an unprivileged user may only lower the ceiling
                soft, hard = min(soft, ceiling), min(hard, ceiling)
            resource.setrlimit(which, (soft, hard))
        if spec.get("run_as"):
            # Groups first, uid last: once the uid is dropped nothing else may be changed.
            uid, gid = spec["run_as"]
            os.setgroups([])
            os.setresgid(gid, gid, gid)
            os.setresuid(uid, uid, uid)
        for signum in _STOP_SIGNALS:
            signal.signal(signum, signal.SIG_DFL)
        os.execvp(command[0], command)
    except OSError as exc:
        os.write(2, f"sandbox: cannot run {command[0]}: {exc.strerror or exc}\n".encode())
    finally:
        os._exit(127)


def _unshare_network() -> None:
    """Move this child into a new network namespace: only a downed loopback, so no connection works."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    if libc.unshare(_CLONE_NEWNET) != 0:
        # Fail closed: the command was promised no network.
        errno = ctypes.get_errno()
        raise OSError(errno, f"cannot isolate the network: {os.strerror(errno)}")


def _stop(signum: int, _frame: object) -> None:
    kill_descendants()
    os._exit(128 + signum)


def _watch_parent(parent_pid: int) -> None:
    """Become a subreaper, and get SIGTERM (hence a full sweep) if the orchestrator dies."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
        libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0)
    except (ImportError, OSError, AttributeError):
        return  # not Linux: the orchestrator's killpg still covers the process group
    if os.getppid() != parent_pid:  # the orchestrator died before the death signal was armed
        _stop(signal.SIGTERM, None)


def _reap() -> None:
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


if __name__ == "__main__":
    sys.exit(main(sys.argv))
