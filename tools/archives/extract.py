"""Extract zip and tar archives inside a workspace directory, within member, size, ratio and depth limits.

Nothing here calls `extractall` or tarfile's extraction filters (absent on Python 3.11.2,
bypassed by later CVEs on 3.11.7): members are vetted one by one, only regular files and
directories are written, through descriptors opened without following links, with fresh
permission bits. Sizes are counted as bytes actually come out, not as headers claim them.
"""

from __future__ import annotations

import os
import stat
import tarfile
import zipfile
from pathlib import Path

from tools.archives.limits import (
    ArchiveError,
    ArchiveLimits,
    ArchiveRejected,
    ArchiveTooLarge,
    Budget,
    EncryptedUnsupported,
    Extracted,
)
from tools.archives.writes import make_dirs as _make_dirs
from tools.archives.writes import remove as _remove
from tools.archives.writes import write_member as _write
from tools.sandbox.names import split_relative
from tools.sandbox.types import SandboxError

__all__ = [
    "ARCHIVE_SUFFIXES",
    "ArchiveError",
    "ArchiveLimits",
    "ArchiveRejected",
    "ArchiveTooLarge",
    "EncryptedUnsupported",
    "Extracted",
    "archive_kind",
    "extract_archive",
    "named_as_archive",
]

_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_TAR_SUFFIXES = (".tar", ".tgz", ".tar.gz", ".tbz2", ".tar.bz2", ".txz", ".tar.xz")
# Only files named as archives are expanded: .odt, .epub, .jar and friends are zips too, but
# their parts are not documents of their own.
ARCHIVE_SUFFIXES = (".zip", *_TAR_SUFFIXES)


def named_as_archive(name: str) -> bool:
    """Say whether a file name calls itself an archive (.zip, .tar, .tgz, ...)."""
    return name.lower().endswith(ARCHIVE_SUFFIXES)


_OOXML_PARTS = ("[Content_Types].xml",)


def archive_kind(path: Path, name: str = "") -> str:
    """Return "zip" or "tar" when the bytes (and, for compressed tars, the name) say so, else ""."""
    with open(path, "rb") as handle:
        head = handle.read(512)
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return "zip"  # reported as corrupt when extracted
        return "" if any(part in names for part in _OOXML_PARTS) else "zip"
    if head[257:262] == b"ustar":
        return "tar"
    if (name or path.name).lower().endswith(_TAR_SUFFIXES) and tarfile.is_tarfile(path):
        return "tar"
    return ""


def extract_archive(path: Path, dest: Path, limits: ArchiveLimits = ArchiveLimits(), kind: str = "") -> list[Extracted]:
    """Extract the archive `path` into the new directory `dest` (replaced if present); return its files.

    Archives found inside are expanded beside themselves (`<member>.d`) up to `limits.max_depth`.
    On any error the destination is removed and an ArchiveError says why.
    """
    budget = Budget(limits)
    _expand(Path(path), Path(dest), kind or archive_kind(Path(path)), "", 0, budget)
    return sorted(budget.files, key=lambda f: f.name)


def _expand(path: Path, dest: Path, kind: str, prefix: str, depth: int, budget: Budget) -> None:
    if depth > budget.limits.max_depth:
        raise ArchiveTooLarge(f"too large: archives nested deeper than {budget.limits.max_depth} levels")
    if kind not in ("zip", "tar"):
        raise ArchiveError(f"unsupported format: {path.name} is not a zip or tar archive")
    parent_fd = os.open(dest.parent, _DIR_FLAGS)
    try:
        _remove(parent_fd, dest.name)
        os.mkdir(dest.name, 0o755, dir_fd=parent_fd)
        try:
            root_fd = os.open(dest.name, _DIR_FLAGS, dir_fd=parent_fd)
            try:
                written = (_zip if kind == "zip" else _tar)(path, root_fd, budget, prefix)
            finally:
                os.close(root_fd)
            for rel, size in written:
                inner = dest / rel
                inner_kind = archive_kind(inner) if named_as_archive(inner.name) else ""
                if inner_kind:
                    _expand(
                        inner, inner.with_name(inner.name + ".d"), inner_kind, f"{prefix}{rel}!/", depth + 1, budget
                    )
                else:
                    budget.files.append(Extracted(f"{prefix}{rel}", inner, size))
        except BaseException:
            _remove(parent_fd, dest.name)
            raise
    finally:
        os.close(parent_fd)


def _zip(path: Path, root_fd: int, budget: Budget, prefix: str) -> list[tuple[str, int]]:
    written = []
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            if budget.members + len(infos) > budget.limits.max_members:
                raise ArchiveTooLarge(f"too large: more than {budget.limits.max_members} archive members")
            _check_ratio(sum(info.file_size for info in infos), path, budget)
            for info in infos:
                budget.count_member()
                member = prefix + info.filename
                kind = stat.S_IFMT(info.external_attr >> 16)
                if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
                    raise ArchiveRejected(member, "links and special files are not extracted")
                parts = _parts(info.filename, member)
                if info.is_dir() or kind == stat.S_IFDIR:
                    _make_dirs(root_fd, parts, member)
                    continue
                if info.flag_bits & 0x1:
                    raise EncryptedUnsupported("encrypted: password-protected archive")
                budget.claim(info.file_size, member)
                with archive.open(info) as source:
                    size = _write(root_fd, parts, source, budget, member)
                written.append(("/".join(parts), size))
    except zipfile.BadZipFile as exc:
        raise ArchiveError(f"corrupt: {exc}"[:200]) from None
    except (NotImplementedError, RuntimeError) as exc:  # unknown compression; encryption zipfile found itself
        if "encrypt" in str(exc).lower() or "password" in str(exc).lower():
            raise EncryptedUnsupported("encrypted: password-protected archive") from None
        raise ArchiveError(f"corrupt: {exc}"[:200]) from None
    return written


def _tar(path: Path, root_fd: int, budget: Budget, prefix: str) -> list[tuple[str, int]]:
    written, declared = [], 0
    try:
        with tarfile.open(path, "r:*") as archive:
            for info in archive:
                budget.count_member()
                member = prefix + info.name
                declared += info.size
                _check_ratio(declared, path, budget)  # before the bytes are inflated, not after
                if not (info.isreg() or info.isdir()) or info.issparse():
                    raise ArchiveRejected(member, "links, devices, fifos and sparse files are not extracted")
                parts = _parts(info.name, member)
                if info.isdir():
                    _make_dirs(root_fd, parts, member)
                    continue
                budget.claim(info.size, member)
                source = archive.extractfile(info)
                size = _write(root_fd, parts, source, budget, member)
                written.append(("/".join(parts), size))
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise ArchiveError(f"corrupt: {type(exc).__name__}: {exc}"[:200]) from None
    return written


def _check_ratio(expanded: int, path: Path, budget: Budget) -> None:
    packed = max(1, os.stat(path).st_size)
    if expanded > budget.limits.max_total_bytes:
        raise ArchiveTooLarge(f"too large: archive declares {expanded} bytes (limit {budget.limits.max_total_bytes})")
    if expanded > (1 << 20) and expanded / packed > budget.limits.max_ratio:
        raise ArchiveTooLarge(
            f"too large: compression ratio {expanded // packed}:1 (limit {budget.limits.max_ratio}:1)"
        )


def _parts(name: str, member: str) -> tuple[str, ...]:
    if "\\" in name or (len(name) > 1 and name[1] == ":"):
        raise ArchiveRejected(member, "Windows path separators or drive letters")
    try:
        parts = split_relative(name)
    except SandboxError as exc:
        raise ArchiveRejected(member, str(exc)) from None
    if not parts:
        raise ArchiveRejected(member, "empty name")
    return parts
