"""Claiming a workspace directory, naming it, and removing it whatever a command left in it."""

from __future__ import annotations

import errno
import fcntl
import hashlib
import os
import re
import shutil
import stat
from pathlib import Path

from tools.sandbox.types import SandboxError

_SAFE_ID = re.compile(r"[^A-Za-z0-9.-]")
_MAX_ID = 40


def claim_workspace(workspace: Path) -> int:
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


def workspace_name(run_id: str, agent_id: str) -> str:
    """The directory name of one agent's workspace in one run: sandbox_<run>_<agent>."""
    return f"sandbox_{safe_id(run_id)}_{safe_id(agent_id)}"


def remove_run_workspaces(root: Path, run_id: str) -> list[Path]:
    """Remove every workspace of run `run_id` beneath `root` (best effort); return the ones that were there.

    safe_id never leaves an underscore in an id, so the pattern matches this run's workspaces only.
    """
    found = sorted(root.glob(f"sandbox_{safe_id(run_id)}_*"))
    for path in found:
        shutil.rmtree(path, ignore_errors=True)
    return found


def make_writable_and_retry(function, path, _error) -> None:
    """rmtree error handler: give the owner back rwx on the parent (and the directory), then retry."""
    # A command may leave a directory without write or search permission; as a
    # non-root user rmtree would otherwise stop there.
    parent = os.path.dirname(path)
    os.chmod(parent, stat.S_IRWXU)
    if os.path.isdir(path) and not os.path.islink(path):
        os.chmod(path, stat.S_IRWXU)
    function(path)
