"""Zip and tar items: extract them beside themselves in the workspace, then parse each file like any item."""

from __future__ import annotations

from pathlib import Path

from tools.archives.extract import ArchiveError, ArchiveLimits, archive_kind, extract_archive, named_as_archive
from tools.parsers.parse import parse_file
from tools.parsers.types import Deadline, ParseResult, Section

__all__ = ["is_archive", "parse_archive"]


def is_archive(path: Path, name: str = "") -> bool:
    """Say whether `path` is a zip or tar archive named as one (Office packages are not)."""
    if not named_as_archive(name or Path(path).name):
        return False
    try:
        return bool(archive_kind(Path(path), name))
    except OSError:
        return False


def parse_archive(
    path: Path,
    *,
    name: str | None = None,
    max_bytes: int = 64 * 1024 * 1024,
    timeout: float = 120.0,
    limits: ArchiveLimits | None = None,
) -> ParseResult:
    """Extract the archive into `<path>.d` and parse every file in it; never raise.

    The result holds a contents listing, then each file's sections, located as
    `!/<member>;<locator>` (nested archives join with `!/`). A file that fails does not fail
    the archive: it is listed in meta["member_failures"] with its reason.
    """
    path = Path(path)
    kind = archive_kind(path, name or path.name) or "zip"
    limits = limits or ArchiveLimits(max_member_bytes=max_bytes)
    try:
        files = extract_archive(path, path.with_name(path.name + ".d"), limits, kind)
    except ArchiveError as exc:
        return ParseResult(ok=False, file_type=kind, reason=exc.reason)
    except OSError as exc:
        return ParseResult(ok=False, file_type=kind, reason=f"corrupt: {exc.strerror or exc}"[:200])
    deadline = Deadline(timeout)
    listing = "\n".join(f"{f.name} ({f.size} bytes)" for f in files) or "(no files)"
    sections = [Section(title=f"Contents of {name or path.name}", text=listing, locator="members", kind="text")]
    failures = []
    for member in files:
        if deadline.expired():
            failures.append({"member": member.name, "reason": "timeout"})
            continue
        result = parse_file(
            member.path,
            name=member.name.rsplit("/", 1)[-1],
            max_bytes=max_bytes,
            timeout=max(1.0, deadline.remaining()),
        )
        if not result.ok:
            failures.append({"member": member.name, "reason": result.reason})
            continue
        sections.extend(
            Section(
                title=f"{member.name} — {s.title}", text=s.text, locator=f"!/{member.name};{s.locator}", kind=s.kind
            )
            for s in result.sections
        )
    meta = {"members": [{"name": f.name, "size": f.size} for f in files], "member_failures": failures}
    return ParseResult(ok=True, file_type=kind, sections=tuple(sections), meta=meta)
