"""A safe walk of a local folder tree: no symlinks out of the root, no special files."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class TreeEntry:
    """One folder or regular file under the root, by its POSIX path relative to it."""

    rel: str
    path: Path
    is_dir: bool
    size: int
    mtime: float


def walk_tree(root: str | Path) -> Iterator[TreeEntry]:
    """Yield folders and regular files under `root`, parents before children, sorted by name.

    Hidden entries (leading dot) are skipped, and so is every symlink that leaves
    the root or points at a folder (which could loop) and every special file.
    """
    base = Path(root).resolve()
    yield from _walk(base, base)


def _walk(base: Path, folder: Path) -> Iterator[TreeEntry]:
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return
    for name in names:
        if name.startswith("."):
            continue
        path = folder / name
        entry = _entry(base, path)
        if entry is None:
            continue
        yield entry
        if entry.is_dir:
            yield from _walk(base, path)


def _entry(base: Path, path: Path) -> TreeEntry | None:
    try:
        st = path.lstat()
        if stat.S_ISLNK(st.st_mode):
            target = path.resolve(strict=True)
            if not target.is_relative_to(base):
                return None
            st = target.stat()
            if not stat.S_ISREG(st.st_mode):
                return None
    except (OSError, RuntimeError):
        return None
    if not (stat.S_ISDIR(st.st_mode) or stat.S_ISREG(st.st_mode)):
        return None
    rel = path.relative_to(base).as_posix()
    return TreeEntry(rel, path, stat.S_ISDIR(st.st_mode), st.st_size, st.st_mtime)
