"""Limits, running budget and errors of archive extraction."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


class ArchiveError(Exception):
    """An archive that is not extracted; `reason` is the item's failure reason."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ArchiveRejected(ArchiveError):
    """A member that could land outside the destination or is not a plain file or folder."""

    def __init__(self, member: str, why: str) -> None:
        super().__init__(f"rejected: archive member {member[:120]!r}: {why}")
        self.member = member


class ArchiveTooLarge(ArchiveError):
    """Too many members, too many bytes, too high a compression ratio or too deep a nesting."""


class EncryptedUnsupported(ArchiveError):
    """A password-protected archive: never guessed at."""


@dataclass(frozen=True)
class ArchiveLimits:
    """How much one archive item may expand to, counting every nested archive in it."""

    max_members: int = 1000
    max_total_bytes: int = 256 << 20
    max_member_bytes: int = 64 << 20
    max_ratio: int = 100
    max_depth: int = 3


@dataclass(frozen=True)
class Extracted:
    """A regular file taken out of an archive; `name` joins nested archives with "!/"."""

    name: str
    path: Path
    size: int


@dataclass
class Budget:
    """What one archive item has used so far, across every nested archive."""

    limits: ArchiveLimits
    members: int = 0
    bytes: int = 0
    files: list[Extracted] = field(default_factory=list)

    def count_member(self) -> None:
        """Count one more member; raise ArchiveTooLarge past the limit."""
        self.members += 1
        if self.members > self.limits.max_members:
            raise ArchiveTooLarge(f"too large: more than {self.limits.max_members} archive members")

    def claim(self, size: int, member: str) -> None:
        """Check that `member` may hold `size` bytes on top of what is already extracted."""
        if size > self.limits.max_member_bytes:
            raise ArchiveTooLarge(
                f"too large: archive member {member[:120]!r} holds more than {self.limits.max_member_bytes} bytes"
            )
        if self.bytes + size > self.limits.max_total_bytes:
            raise ArchiveTooLarge(f"too large: archive expands past {self.limits.max_total_bytes} bytes")
