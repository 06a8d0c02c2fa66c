"""One agent's workspace: path-checked file access and isolated command execution."""

from __future__ import annotations

import errno
import fcntl
import hashlib
import logging
import os
import re
import shutil
import stat
import sys
import weakref
from pathlib import Path

from tools import sandbox_paths
from tools.sandbox_bwrap import SANDBOX_PATH, Bubblewrap, find_bubblewrap
from tools.sandbox_exec import execute
from tools.sandbox_types import (
    CommandResult,
    PathEscapeError,
    SandboxError,
    SandboxFileNotFound,
    SandboxLimits,
    SandboxTimeout,
    SandboxUnavailable,
)

__all__ = [
    "CommandResult",
    "PathEscapeError",
    "Sandbox",
    "SandboxError",
    "SandboxFileNotFound",
    "SandboxLimits",
    "SandboxTimeout",
    "SandboxUnavailable",
    "safe_id",
]

ISOLATIONS = ("auto", "strict", "process")
_SAFE_ID = re.compile(r"[^A-Za-z0-9.-]")
_MAX_ID = 40
_log = logging.getLogger(__name__)


class Sandbox:
    """A private workspace directory for one agent of one run, and the only door into it.

    `isolation` is the level asked for: "auto" (bubblewrap when usable, else process),
    "strict" (bubblewrap or SandboxUnavailable) or "process" (stripped environment,
    rlimits and a supervised process group, without a filesystem or network boundary).
    The attribute `isolation` then holds the level in force: "bwrap" or "process".
    File methods take paths relative to the workspace and never follow a symlink.
    """

    def __init__(
        self,
        root: str | Path,
        run_id: str,
        agent_id: str,
        *,
        isolation: str = "auto",
        limits: SandboxLimits = SandboxLimits(),
    ) -> None:
        if isolation not in ISOLATIONS:
            raise ValueError(f"isolation must be one of {ISOLATIONS}, got {isolation!r}")
        self.limits = limits
        root_dir = Path(os.path.realpath(root))
        root_dir.mkdir(parents=True, exist_ok=True)
        self._bwrap = _choose_bubblewrap(isolation, root_dir)
        self.isolation = "bwrap" if self._bwrap else "process"
        self.workspace = root_dir / f"sandbox_{safe_id(run_id)}_{safe_id(agent_id)}"
        self._fd = _claim(self.workspace)
        self._release = weakref.finalize(self, os.close, self._fd)

    def resolve(self, rel: str) -> Path:
        """Return the absolute path `rel` names inside the workspace, or raise PathEscapeError."""
        self._check_open()
        return sandbox_paths.resolve(self.workspace, rel)

    def write_bytes(self, rel: str, data: bytes) -> Path:
        """Write `data` to `rel`, creating parent directories, within the workspace quota."""
        self._check_open()
        sandbox_paths.write_file(self._fd, rel, bytes(data), self.limits.workspace_bytes)
        return self.workspace.joinpath(*sandbox_paths.split_relative(rel))

    def write_text(self, rel: str, text: str) -> Path:
        """Write `text` as UTF-8 to `rel`."""
        return self.write_bytes(rel, text.encode("utf-8"))

    def read_bytes(self, rel: str, max_bytes: int | None = None) -> bytes:
        """Read the regular file at `rel`, at most `max_bytes` of it."""
        self._check_open()
        return sandbox_paths.read_file(self._fd, rel, max_bytes)

    def read_text(self, rel: str, max_chars: int = 20000) -> str:
        """Read at most `max_chars` characters of `rel` as UTF-8 (undecodable bytes replaced)."""
        # Four bytes per character at most, so the cut never lands inside the kept text.
        data = self.read_bytes(rel, max_bytes=max_chars * 4)
        return data.decode("utf-8", errors="replace")[:max_chars]

    def list(self, rel: str = ".") -> list[dict]:
        """List files and directories at or under `rel` as {"path", "size", "is_dir"}, sorted by path."""
        self._check_open()
        return sandbox_paths.list_tree(self._fd, rel)

    def exists(self, rel: str) -> bool:
        """Say whether anything is at `rel`."""
        self._check_open()
        return sandbox_paths.exists(self._fd, rel)

    def run(self, command: str | list[str], timeout: float | None = None) -> CommandResult:
        """Run a shell command line (str) or an argv (list) in the workspace.

        A timeout does not raise: the result has `timed_out=True` and the output so far.
        """
        self._check_open()
        argv = ["/bin/sh", "-c", command] if isinstance(command, str) else [str(arg) for arg in command]
        if not argv or not argv[0]:
            raise SandboxError("empty command")
        timeout = self.limits.timeout if timeout is None else float(timeout)
        if timeout <= 0:
            raise SandboxError(f"timeout must be positive, got {timeout}")
        self._check_workspace_in_place()
        tmp = self.workspace / "tmp"
        try:
            os.mkdir("tmp", 0o700, dir_fd=self._fd)
        except FileExistsError:
            pass
        env = {"PATH": SANDBOX_PATH, "HOME": str(self.workspace), "LANG": "C.UTF-8", "TMPDIR": str(tmp)}
        if self._bwrap:
            argv = self._bwrap.argv(self.workspace, argv, env)
        try:
            return execute(
                argv, cwd=self.workspace, env=env, limits=self.limits, timeout=timeout, isolation=self.isolation
            )
        except OSError as exc:
            raise SandboxError(f"could not start the command: {exc}") from exc

    def close(self) -> None:
        """Release the workspace (other sandboxes may then claim it); its files stay."""
        self._release()

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *_exc: object) -> None:
        # Closing, not cleaning up: later phases read the files an agent leaves behind.
        self.close()

    def cleanup(self) -> None:
        """Remove the workspace and everything in it, then release it (a no-op once closed)."""
        if self._release.alive:
            self._check_workspace_in_place()
            # `onerror` is deprecated from 3.12 on in favour of `onexc` (same call shape here).
            handler = "onexc" if sys.version_info >= (3, 12) else "onerror"
            shutil.rmtree(self.workspace, **{handler: _make_writable_and_retry})
        self._release()

    def _check_open(self) -> None:
        if not self._release.alive:
            raise SandboxError(f"sandbox is closed: {self.workspace}")

    def _check_workspace_in_place(self) -> None:
        """Refuse to act on the workspace path if it no longer names the directory we hold."""
        try:
            current = os.stat(self.workspace, follow_symlinks=False)
        except FileNotFoundError:
            raise SandboxError(f"workspace was removed: {self.workspace}") from None
        held = os.fstat(self._fd)
        if (current.st_dev, current.st_ino) != (held.st_dev, held.st_ino):
            raise SandboxError(f"workspace was moved or replaced: {self.workspace}")


def _choose_bubblewrap(isolation: str, probe_dir: Path) -> Bubblewrap | None:
    if isolation == "process":
        return None
    bwrap, reason = find_bubblewrap(probe_dir)
    if bwrap is None and isolation == "strict":
        raise SandboxUnavailable(f"strict isolation needs bubblewrap: {reason}")
    if bwrap is None:
        _log.warning("sandbox falls back to process isolation: %s", reason)
    return bwrap


def _claim(workspace: Path) -> int:
    """Create the workspace 0o700 and lock it, so no second Sandbox (thread or process) shares it."""
    try:
        os.mkdir(workspace, 0o700)
    except FileExistsError:
        pass
    try:
        fd = os.open(workspace, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.ENOTDIR):
            raise SandboxError(f"workspace path is not a plain directory: {workspace}") from None
        raise
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise SandboxError(f"workspace is already in use by another sandbox: {workspace}") from None
    os.fchmod(fd, 0o700)
    return fd


def safe_id(value: str) -> str:
    """Make a run or agent id a filename part (workspace names are sandbox_<run>_<agent>).

    An id that had to be altered gets a hash suffix, so distinct ids stay distinct.
    """
    text = str(value)
    if not text:
        raise ValueError("run and agent ids must not be empty")
    cleaned = _SAFE_ID.sub("-", text)[:_MAX_ID]
    if cleaned == text:
        return text
    return f"{cleaned}-{hashlib.sha256(text.encode('utf-8', 'surrogatepass')).hexdigest()[:10]}"


def _make_writable_and_retry(function, path, _error) -> None:
    # A command may leave a directory without write or search permission; as a
    # non-root user rmtree would otherwise stop there.
    parent = os.path.dirname(path)
    os.chmod(parent, stat.S_IRWXU)
    if os.path.isdir(path) and not os.path.islink(path):
        os.chmod(path, stat.S_IRWXU)
    function(path)
