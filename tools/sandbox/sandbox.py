"""One agent's workspace: path-checked file access and isolated command execution."""

from __future__ import annotations

import dataclasses
import logging
import os
import shutil
import sys
import weakref
from pathlib import Path

from tools.sandbox import paths as sandbox_paths
from tools.sandbox.bwrap import SANDBOX_PATH, Bubblewrap, find_bubblewrap, works_unprivileged
from tools.sandbox.exec import execute
from tools.sandbox.types import (
    CommandResult,
    InvalidPath,
    PathEscapeError,
    SandboxError,
    SandboxFileNotFound,
    SandboxLimits,
    SandboxTimeout,
    SandboxUnavailable,
)
from tools.sandbox.user import can_unshare_network, reachable_by_anyone, workspace_owner
from tools.sandbox.workspace import claim_workspace as _claim
from tools.sandbox.workspace import make_writable_and_retry as _make_writable_and_retry
from tools.sandbox.workspace import safe_id, workspace_name

__all__ = [
    "CommandResult",
    "InvalidPath",
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
_log = logging.getLogger(__name__)


class Sandbox:
    """A private workspace directory for one agent of one run, and the only door into it.

    `isolation` is the level asked for: "auto" (bubblewrap when usable, else process),
    "strict" (bubblewrap or SandboxUnavailable) or "process" (stripped environment,
    rlimits and a supervised process group, without a filesystem or network boundary).
    The attribute `isolation` then holds the level in force: "bwrap" or "process".
    File methods take paths relative to the workspace and never follow a symlink.

    When the orchestrator is root and any user can walk down to the workspace (as under the
    default root in the system temp dir), commands run under the workspace's own
    unprivileged uid (`run_as`, see tools.sandbox.user), which owns the workspace: the
    kernel then refuses them host files and other workspaces, and counts their processes.
    Process isolation also gets an empty network namespace where the kernel allows it
    (`network` says "none" or "host").
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
        self.workspace = root_dir / workspace_name(run_id, agent_id)
        self._fd = _claim(self.workspace)
        self._release = weakref.finalize(self, os.close, self._fd)
        self.run_as = self._choose_owner()
        if os.geteuid() == 0 and self.run_as is None:  # a workspace reused from another mode changes back
            os.fchown(self._fd, 0, 0)
        unshare = self._bwrap is None and can_unshare_network()
        self._unshare_network = unshare
        self.network = "none" if self._bwrap is not None or unshare else "host"

    def resolve(self, rel: str) -> Path:
        """Return the absolute path `rel` names inside the workspace, or raise PathEscapeError."""
        self._check_open()
        return sandbox_paths.resolve(self.workspace, rel)

    def write_bytes(self, rel: str, data: bytes) -> Path:
        """Write `data` to `rel`, creating parent directories, within the workspace quota."""
        self._check_open()
        sandbox_paths.write_file(self._fd, rel, bytes(data), self.limits.workspace_bytes, owner=self.run_as)
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
            if self.run_as is not None:
                os.chown("tmp", *self.run_as, dir_fd=self._fd, follow_symlinks=False)
        except FileExistsError:
            pass
        env = {"PATH": SANDBOX_PATH, "HOME": str(self.workspace), "LANG": "C.UTF-8", "TMPDIR": str(tmp)}
        if self._bwrap:
            argv = self._bwrap.argv(self.workspace, argv, env)
        try:
            result = execute(
                argv,
                cwd=self.workspace,
                env=env,
                limits=self.limits,
                timeout=timeout,
                isolation=self.isolation,
                run_as=self.run_as,
                unshare_network=self._unshare_network,
            )
        except OSError as exc:
            raise SandboxError(f"could not start the command: {exc}") from exc
        used = sandbox_paths.disk_usage(self._fd)
        if used <= self.limits.workspace_bytes:
            return result
        # Per-file size is capped by RLIMIT_FSIZE while the command runs; the workspace total
        # can only be checked after it, and the next file-tool write is refused until it shrinks.
        note = f"\nsandbox: workspace quota exceeded: {used} of {self.limits.workspace_bytes} bytes used\n"
        return dataclasses.replace(result, stderr=result.stderr + note, quota_exceeded=True)

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

    def _choose_owner(self) -> tuple[int, int] | None:
        """The unprivileged (uid, gid) for commands, or None to run them as the orchestrator's user."""
        owner = workspace_owner(self._fd)
        if owner is None:
            return None
        # bubblewrap binds the workspace by its path, and shells resolve `cd` through $PWD:
        # both fail for a uid that cannot walk down to it (a private parent directory such as
        # a test's temp dir). Commands then run as root, inside whatever else isolates them.
        if not reachable_by_anyone(self.workspace):
            _log.warning("sandbox %s: parent directories are private, so commands run as root", self.workspace)
            return None
        try:
            os.fchown(self._fd, *owner)
        except OSError as exc:  # e.g. a root-squashed network share
            _log.warning(
                "sandbox %s: cannot hand the workspace to uid %d (%s), so commands run as root",
                self.workspace,
                owner[0],
                exc.strerror or exc,
            )
            return None
        if self._bwrap is None or works_unprivileged(self._bwrap, owner, self.workspace):
            return owner
        return None

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


# The reasons already given for running without bubblewrap in this process.
_FALLBACK_SAID: set[str] = set()


def _choose_bubblewrap(isolation: str, probe_dir: Path) -> Bubblewrap | None:
    if isolation == "process":
        return None
    bwrap, reason = find_bubblewrap(probe_dir)
    if bwrap is None and isolation == "strict":
        raise SandboxUnavailable(f"strict isolation needs bubblewrap: {reason}")
    if bwrap is None and reason not in _FALLBACK_SAID:  # said once per process, not once per agent
        _FALLBACK_SAID.add(reason)
        _log.warning("sandbox falls back to process isolation: %s", reason)
    return bwrap
