"""Who a workspace's commands run as, and whether they get a network, when the orchestrator is root.

As root, rlimits on process counts do not apply and every host file is readable, so a
root orchestrator runs each workspace's commands under a uid of its own: derived from the
workspace directory's inode, far above login, system and subordinate-id ranges, so
concurrent workspaces get different uids and none matches a real account. Process isolation
then also gets an empty network namespace, when the kernel lets the orchestrator make one.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

SANDBOX_UID_BASE = 1_000_000_000
_UID_SPAN = 1_000_000_000  # keeps uids below 2**31: some tools still read them as signed ints
CLONE_NEWNET = 0x40000000
_PROBE_TIMEOUT = 10.0

_lock = threading.Lock()
_netns_works: bool | None = None


def workspace_owner(workspace_fd: int) -> tuple[int, int] | None:
    """Return the (uid, gid) commands of this workspace run as, or None when not running as root."""
    if os.geteuid() != 0:
        return None
    uid = SANDBOX_UID_BASE + os.fstat(workspace_fd).st_ino % _UID_SPAN
    return uid, uid


def reachable_by_anyone(path: Path) -> bool:
    """Say whether a user with no groups can walk down to `path` (every ancestor searchable by others)."""
    for parent in path.parents:
        try:
            if not os.stat(parent).st_mode & stat.S_IXOTH:
                return False
        except OSError:
            return False
    return True


def can_unshare_network() -> bool:
    """Say (once per process) whether a child may enter a new, empty network namespace."""
    global _netns_works
    with _lock:
        if _netns_works is None:
            _netns_works = _probe_netns()
        return _netns_works


def _probe_netns() -> bool:
    # Tried in a throwaway child: unsharing here would move the orchestrator itself.
    code = (
        "import ctypes, sys; libc = ctypes.CDLL(None, use_errno=True); "
        f"sys.exit(0 if libc.unshare({CLONE_NEWNET}) == 0 else 1)"
    )
    try:
        done = subprocess.run(
            [sys.executable, "-I", "-S", "-c", code], capture_output=True, timeout=_PROBE_TIMEOUT, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0
