"""Write archive members beneath a destination descriptor: new files only, never through a link."""

from __future__ import annotations

import os
import shutil

from tools.archives.limits import ArchiveRejected, Budget

_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
_CHUNK = 1 << 16


def make_dirs(root_fd: int, parts: tuple[str, ...], member: str) -> int:
    """Create and open the directories `parts` under `root_fd` (never through a link); return the last fd."""
    fd = os.dup(root_fd)
    try:
        for name in parts:
            try:
                os.mkdir(name, 0o755, dir_fd=fd)
            except FileExistsError:
                pass
            try:
                next_fd = os.open(name, _DIR_FLAGS, dir_fd=fd)
            except OSError:
                raise ArchiveRejected(member, "a file and a folder share this name") from None
            os.close(fd)
            fd = next_fd
    except BaseException:
        os.close(fd)
        raise
    return fd


def write_member(root_fd: int, parts: tuple[str, ...], source, budget: Budget, member: str) -> int:
    """Stream `source` into a new file at `parts` (never replacing one); return the bytes written."""
    parent = make_dirs(root_fd, parts[:-1], member)
    try:
        try:
            fd = os.open(parts[-1], _NEW_FILE, 0o644, dir_fd=parent)
        except FileExistsError:
            raise ArchiveRejected(member, "appears twice") from None
        size = 0
        with os.fdopen(fd, "wb") as target:
            while chunk := source.read(_CHUNK):
                size += len(chunk)
                budget.claim(size, member)  # headers may lie: count what really comes out
                target.write(chunk)
        budget.bytes += size
        return size
    finally:
        os.close(parent)


def remove(parent_fd: int, name: str) -> None:
    """Remove `name` under `parent_fd` (a folder tree or a file), without following links."""
    try:
        shutil.rmtree(name, dir_fd=parent_fd)
    except FileNotFoundError:
        pass
    except NotADirectoryError:
        os.unlink(name, dir_fd=parent_fd)
