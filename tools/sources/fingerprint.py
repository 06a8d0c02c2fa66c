"""A cheap fingerprint of a local export: every entry's path, type, size and change times.

Nothing is read but directory entries and their metadata, so a large export costs a walk.
Any edit, addition, removal, rename, `touch` or symlink change alters the fingerprint
(the inode change time moves on every write and cannot be set back by hand).
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path


def _line(rel: str, st: os.stat_result, target: str = "") -> str:
    kind = "l" if stat.S_ISLNK(st.st_mode) else "d" if stat.S_ISDIR(st.st_mode) else "f"
    size = 0 if kind == "d" else st.st_size
    return f"{kind}\t{rel}\t{size}\t{st.st_mtime_ns}\t{st.st_ctime_ns}\t{st.st_ino}\t{target}\n"


def _walk(root: str, rel: str, digest) -> None:
    with os.scandir(os.path.join(root, rel) if rel else root) as entries:
        for entry in sorted(entries, key=lambda e: e.name):
            path_rel = f"{rel}/{entry.name}" if rel else entry.name
            st = entry.stat(follow_symlinks=False)
            target = os.readlink(entry.path) if entry.is_symlink() else ""
            digest.update(_line(path_rel, st, target).encode("utf-8", "surrogateescape"))
            if entry.is_dir(follow_symlinks=False):
                _walk(root, path_rel, digest)


def local_fingerprint(path: str | Path) -> str:
    """Return a hex digest that changes whenever anything under `path` (a file or folder) changes."""
    root = os.fspath(path)
    digest = hashlib.sha256()
    st = os.stat(root)  # follows a symlinked root, as the connectors do
    digest.update(_line(".", st).encode())
    if stat.S_ISDIR(st.st_mode):
        _walk(root, "", digest)
    return digest.hexdigest()
