"""Build the bubblewrap command line for a workspace, and find out once whether bubblewrap works here."""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

SANDBOX_UID = SANDBOX_GID = 1000
SANDBOX_PATH = "/usr/local/bin:/usr/bin:/bin"
# /tmp and /dev/shm are small private tmpfs mounts per command: models write to /tmp by
# habit, and binding a workspace directory there instead would let a command aim the next
# bind at a host path by replacing that directory with a symlink. Without a size, a tmpfs
# may grow to half the host's memory, so none is mounted when bwrap lacks --size.
_TMPFS_BYTES = 64 << 20
_MERGED_ROOT_DIRS = ("bin", "sbin", "lib", "lib32", "lib64", "libx32")
# Only what the dynamic loader and common tools read; never passwd, shadow, ssh or ssl keys.
_ETC_ENTRIES = ("alternatives", "ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime", "mime.types")
_OPTIONAL_FLAGS = ("--disable-userns", "--size")
_PROBE_TIMEOUT = 10.0

_probe_lock = threading.Lock()
_probe_results: dict[str, str | None] = {}
_unprivileged_results: dict[str, bool] = {}


@dataclass(frozen=True)
class Bubblewrap:
    """A bubblewrap binary known to work here, and the optional flags it supports."""

    path: str
    flags: frozenset[str]

    def argv(self, workspace: Path, command: list[str], env: Mapping[str, str]) -> list[str]:
        """Wrap `command` so it runs with no network, a read-only /usr and only `workspace` writable."""
        # As root, bubblewrap is a boundary only with a user namespace, an unprivileged uid
        # and no capabilities: without them a sandboxed root can remount a read-only bind rw.
        args = [
            self.path,
            "--unshare-all",
            "--unshare-user",
            "--unshare-pid",
            "--uid",
            str(SANDBOX_UID),
            "--gid",
            str(SANDBOX_GID),
            "--cap-drop",
            "ALL",
            "--die-with-parent",
            "--new-session",
            "--hostname",
            "sandbox",
        ]
        if "--disable-userns" in self.flags:
            args.append("--disable-userns")
        args += ["--ro-bind", "/usr", "/usr"]
        for name in _MERGED_ROOT_DIRS:
            host = Path("/", name)
            if host.is_symlink():
                args += ["--symlink", os.readlink(host), str(host)]
            elif host.is_dir():
                args += ["--ro-bind", str(host), str(host)]
        for name in _ETC_ENTRIES:
            args += ["--ro-bind-try", f"/etc/{name}", f"/etc/{name}"]
        args += ["--proc", "/proc", "--dev", "/dev"]
        if "--size" in self.flags:
            for scratch in ("/dev/shm", "/tmp"):
                args += ["--size", str(_TMPFS_BYTES), "--tmpfs", scratch]
        args += ["--bind", str(workspace), str(workspace)]
        # bwrap's own root and /dev are tmpfs mounts the sandbox uid owns: left writable,
        # a command could fill memory through them.
        args += ["--remount-ro", "/dev", "--remount-ro", "/"]
        args += ["--chdir", str(workspace), "--clearenv"]
        for key, value in env.items():
            args += ["--setenv", key, value]
        return [*args, "--", *command]


def find_bubblewrap(probe_dir: Path) -> tuple[Bubblewrap | None, str]:
    """Return a working bubblewrap, or None and the reason it cannot be used."""
    path = shutil.which("bwrap")
    if path is None:
        return None, "bwrap is not installed (apt-get install bubblewrap)"
    flags = _supported_flags(path)
    bwrap = Bubblewrap(path, flags)
    with _probe_lock:
        if path not in _probe_results:
            _probe_results[path] = _probe(bwrap, probe_dir)
        reason = _probe_results[path]
    return (None, reason) if reason else (bwrap, "")


def works_unprivileged(bwrap: Bubblewrap, owner: tuple[int, int], probe_dir: Path) -> bool:
    """Say (once per binary) whether bubblewrap starts when run under the unprivileged `owner`.

    Distributions may allow user namespaces to root only (AppArmor's userns restriction).
    `probe_dir` must be a directory `owner` can reach and write.
    """
    with _probe_lock:
        if bwrap.path not in _unprivileged_results:
            env = {"PATH": SANDBOX_PATH}
            try:
                done = subprocess.run(
                    bwrap.argv(probe_dir, ["true"], env),
                    capture_output=True,
                    timeout=_PROBE_TIMEOUT,
                    env=env,
                    check=False,
                    user=owner[0],
                    group=owner[1],
                    extra_groups=[],
                )
                _unprivileged_results[bwrap.path] = done.returncode == 0
            except (OSError, subprocess.TimeoutExpired):
                _unprivileged_results[bwrap.path] = False
        return _unprivileged_results[bwrap.path]


def _supported_flags(path: str) -> frozenset[str]:
    try:
        usage = subprocess.run(
            [path, "--help"], capture_output=True, text=True, timeout=_PROBE_TIMEOUT, check=False
        ).stdout
    except (OSError, subprocess.TimeoutExpired):
        return frozenset()
    return frozenset(flag for flag in _OPTIONAL_FLAGS if f"{flag} " in usage)


def _probe(bwrap: Bubblewrap, probe_dir: Path) -> str | None:
    """Run `true` in a full sandbox; None if it worked, else why not (user namespaces are often off)."""
    env = {"PATH": SANDBOX_PATH}
    try:
        done = subprocess.run(
            bwrap.argv(probe_dir, ["true"], env),
            capture_output=True,
            text=True,
            timeout=_PROBE_TIMEOUT,
            env=env,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"bwrap could not be started: {exc}"
    if done.returncode != 0:
        detail = done.stderr.strip() or f"exit code {done.returncode}"
        return f"bwrap failed ({detail}); user namespaces may be disabled"
    return None
