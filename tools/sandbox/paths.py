"""Read, write and list files beneath a workspace directory fd without ever following a symlink.

Every operation walks the path one component at a time with `openat(O_NOFOLLOW)` from a
descriptor held on the workspace. A check-then-open on a string path (realpath, commonpath)
loses a race against a command that swaps a directory for a symlink in between; a walk of
descriptors does not, because each step opens exactly the directory it checked.
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tools.sandbox.names import split_relative
from tools.sandbox.types import PathEscapeError, SandboxError, SandboxFileNotFound

_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
# O_NONBLOCK: a FIFO swapped in after the type check must not hang the open.
_READ_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC
_TEMP_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
_CHUNK = 1 << 20

__all__ = ["disk_usage", "exists", "list_tree", "read_file", "resolve", "split_relative", "write_file"]


def resolve(workspace: Path, rel: str) -> Path:
    """Return the real path `rel` names, refusing one that lands outside `workspace` or on a special file."""
    parts = split_relative(rel)
    real = Path(os.path.realpath(workspace.joinpath(*parts)))
    if os.path.commonpath([real, workspace]) != str(workspace):
        raise PathEscapeError(f"path escapes the workspace: {rel}")
    try:
        mode = real.stat().st_mode
    except FileNotFoundError:
        return real
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        raise PathEscapeError(f"not a regular file or directory: {rel}")
    return real


def read_file(root_fd: int, rel: str, max_bytes: int | None) -> bytes:
    """Read up to `max_bytes` of the regular file at `rel`."""
    parts = _file_parts(rel)
    with _open_parent(root_fd, parts, rel, create=False) as parent:
        expected = _lstat(parent, parts[-1], rel)
        _require_regular(expected.st_mode, rel)
        fd = _open_at(parent, parts[-1], _READ_FLAGS, rel)
    try:
        actual = os.fstat(fd)
        if (actual.st_dev, actual.st_ino) != (expected.st_dev, expected.st_ino):
            raise PathEscapeError(f"file was replaced while opening: {rel}")
        if actual.st_nlink > 1:
            # A hard link may name a file outside the workspace that the command could not read.
            raise PathEscapeError(f"refusing a file with {actual.st_nlink} hard links: {rel}")
        chunks, remaining = [], max_bytes
        while remaining is None or remaining > 0:
            chunk = os.read(fd, _CHUNK if remaining is None else min(_CHUNK, remaining))
            if not chunk:
                break
            chunks.append(chunk)
            if remaining is not None:
                remaining -= len(chunk)
        return b"".join(chunks)
    except OSError as exc:
        raise _refusal(exc, rel) from None
    finally:
        os.close(fd)


def write_file(root_fd: int, rel: str, data: bytes, quota_bytes: int, owner: tuple[int, int] | None = None) -> None:
    """Replace the file at `rel` with `data`, creating parent directories, within the workspace quota.

    `owner` (uid, gid) is given the new file and the directories created for it, so a command
    run under the workspace's own uid can use them.
    """
    parts = _file_parts(rel)
    with _open_parent(root_fd, parts, rel, create=True, owner=owner) as parent:
        name = parts[-1]
        try:
            existing = os.stat(name, dir_fd=parent, follow_symlinks=False)
        except FileNotFoundError:
            existing = None
        except OSError as exc:
            raise _refusal(exc, rel) from None
        if existing is not None:
            _require_regular(existing.st_mode, rel)
        used = disk_usage(root_fd) - (existing.st_size if existing else 0)
        if used + len(data) > quota_bytes:
            raise SandboxError(
                f"workspace quota exceeded: writing {len(data)} bytes to {rel} would use "
                f"{used + len(data)} of {quota_bytes} bytes"
            )
        # Write a fresh file and rename it over the target: a hard link planted at `rel`
        # is replaced rather than written through.
        temp = f".{name[:64]}.{secrets.token_hex(6)}.part"
        fd = _open_at(parent, temp, _TEMP_FLAGS, rel, mode=0o644)
        try:
            if owner is not None:
                os.fchown(fd, *owner)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.rename(temp, name, src_dir_fd=parent, dst_dir_fd=parent)
        except OSError as exc:
            _unlink_quietly(temp, parent)
            raise _refusal(exc, rel) from None
        except BaseException:
            _unlink_quietly(temp, parent)
            raise


def exists(root_fd: int, rel: str) -> bool:
    """Say whether anything is at `rel` (without following a symlink there)."""
    parts = split_relative(rel)
    if not parts:
        return True
    try:
        with _open_parent(root_fd, parts, rel, create=False) as parent:
            os.stat(parts[-1], dir_fd=parent, follow_symlinks=False)
    except FileNotFoundError:  # SandboxFileNotFound included
        return False
    return True


def list_tree(root_fd: int, rel: str) -> list[dict]:
    """List regular files and directories at or under `rel`, sorted by path.

    Symlinks and special files are left out: the file tools would refuse them anyway.
    """
    parts = split_relative(rel)
    if not parts:
        fd = os.dup(root_fd)
    else:
        with _open_parent(root_fd, parts, rel, create=False) as parent:
            st = _lstat(parent, parts[-1], rel)
            if stat.S_ISREG(st.st_mode):
                return [{"path": "/".join(parts), "size": st.st_size, "is_dir": False}]
            if not stat.S_ISDIR(st.st_mode):
                _require_regular(st.st_mode, rel)
            fd = _open_at(parent, parts[-1], _DIR_FLAGS, rel)
    prefix = "/".join(parts) + "/" if parts else ""
    entries = [
        {"path": path, "size": 0 if stat.S_ISDIR(st.st_mode) else st.st_size, "is_dir": stat.S_ISDIR(st.st_mode)}
        for path, st in _walk(fd, prefix)
    ]
    return sorted(entries, key=lambda entry: entry["path"])


def disk_usage(root_fd: int) -> int:
    """Sum the sizes of the regular files beneath the workspace."""
    return sum(st.st_size for _, st in _walk(os.dup(root_fd), "") if stat.S_ISREG(st.st_mode))


def _walk(top_fd: int, top_prefix: str) -> list[tuple[str, os.stat_result]]:
    """Return (path, lstat) for regular files and directories below `top_fd`, which it closes."""
    # An explicit stack: a command can nest directories deeper than Python's recursion limit.
    found: list[tuple[str, os.stat_result]] = []
    stack = [(top_fd, top_prefix)]
    while stack:
        fd, prefix = stack.pop()
        try:
            with os.scandir(fd) as entries:
                listed = [(entry.name, entry.stat(follow_symlinks=False)) for entry in entries]
            for name, st in listed:
                if not (stat.S_ISREG(st.st_mode) or stat.S_ISDIR(st.st_mode)):
                    continue
                found.append((prefix + name, st))
                if stat.S_ISDIR(st.st_mode):
                    try:
                        stack.append((os.open(name, _DIR_FLAGS, dir_fd=fd), f"{prefix}{name}/"))
                    except OSError:
                        continue  # removed or made unreadable by a command meanwhile
        except OSError:
            continue
        finally:
            os.close(fd)
    return found


def _file_parts(rel: str) -> tuple[str, ...]:
    parts = split_relative(rel)
    if not parts:
        raise SandboxError(f"is a directory (the workspace root): {rel or '.'}")
    return parts


@contextmanager
def _open_parent(
    root_fd: int, parts: tuple[str, ...], rel: str, *, create: bool, owner: tuple[int, int] | None = None
) -> Iterator[int]:
    """Yield a descriptor on the directory that holds the last component of `parts`."""
    fd = os.dup(root_fd)
    try:
        for name in parts[:-1]:
            made = False
            if create:
                try:
                    os.mkdir(name, 0o700, dir_fd=fd)
                    made = True
                except FileExistsError:
                    pass
                except OSError as exc:
                    raise _refusal(exc, rel) from None
            next_fd = _open_at(fd, name, _DIR_FLAGS, rel)
            os.close(fd)
            fd = next_fd
            if made and owner is not None:
                os.fchown(fd, *owner)
        yield fd
    finally:
        os.close(fd)


def _open_at(dir_fd: int, name: str, flags: int, rel: str, mode: int = 0o777) -> int:
    try:
        return os.open(name, flags, mode, dir_fd=dir_fd)
    except OSError as exc:
        # Linux reports a symlink opened with O_DIRECTORY | O_NOFOLLOW as ENOTDIR, not ELOOP.
        if exc.errno == errno.ENOTDIR and _is_symlink(dir_fd, name):
            raise PathEscapeError(f"refusing to follow a symlink: {rel}") from None
        raise _refusal(exc, rel) from None


def _is_symlink(dir_fd: int, name: str) -> bool:
    try:
        return stat.S_ISLNK(os.stat(name, dir_fd=dir_fd, follow_symlinks=False).st_mode)
    except OSError:
        return False


def _lstat(dir_fd: int, name: str, rel: str) -> os.stat_result:
    try:
        return os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
    except OSError as exc:
        raise _refusal(exc, rel) from None


def _require_regular(mode: int, rel: str) -> None:
    if stat.S_ISREG(mode):
        return
    if stat.S_ISLNK(mode):
        raise PathEscapeError(f"refusing to follow a symlink: {rel}")
    if stat.S_ISDIR(mode):
        raise SandboxError(f"is a directory: {rel}")
    raise PathEscapeError(f"not a regular file (fifo, socket or device): {rel}")


def _refusal(exc: OSError, rel: str) -> SandboxError:
    """Translate an OS error met while walking `rel` into the sandbox's vocabulary."""
    # O_NOFOLLOW on a symlink fails with ELOOP on Linux and EMLINK on FreeBSD.
    if exc.errno in (errno.ELOOP, errno.EMLINK):
        return PathEscapeError(f"refusing to follow a symlink: {rel}")
    if exc.errno == errno.ENOENT:
        return SandboxFileNotFound(f"no such file or directory in the workspace: {rel}")
    if exc.errno == errno.ENOTDIR:
        return SandboxFileNotFound(f"a component of the path is not a directory: {rel}")
    if exc.errno == errno.ENAMETOOLONG:
        return PathEscapeError(f"path is too long: {rel[:60]}...")
    return SandboxError(f"{exc.strerror or exc}: {rel}")


def _unlink_quietly(name: str, dir_fd: int) -> None:
    try:
        os.unlink(name, dir_fd=dir_fd)
    except OSError:
        pass
