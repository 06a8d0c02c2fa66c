"""Checks made on a file's container before any parser library reads it: sizes, ratios, XML entities."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from tools.parsers.types import ParseFailure

MAX_PARTS = 10_000
MAX_UNPACKED_BYTES = 128 << 20
MAX_RATIO = 100
_XML_HEAD = 64 << 10
# An entity declaration (billion laughs) or a DOCTYPE (the only place external entities live).
_ENTITY = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.I)
_XML_PART = re.compile(r"\.(?:xml|rels|vml)$", re.I)


def check_package(path: Path, max_unpacked: int = MAX_UNPACKED_BYTES) -> None:
    """Refuse an Office (OOXML) package that would inflate too far or declares XML entities.

    Raises ParseFailure("too large: ...") or ParseFailure("forbidden: ..."); a damaged
    package is left for the parser to report as corrupt.
    """
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_PARTS:
            raise ParseFailure(f"too large: {len(infos)} parts in the package")
        unpacked = sum(info.file_size for info in infos)
        if unpacked > max_unpacked:
            raise ParseFailure(f"too large: package inflates to {unpacked} bytes (limit {max_unpacked})")
        for info in infos:
            if info.file_size > (1 << 20) and info.file_size > MAX_RATIO * max(1, info.compress_size):
                raise ParseFailure(
                    f"too large: {info.filename} is compressed {info.file_size // max(1, info.compress_size)}:1"
                )
            if _XML_PART.search(info.filename) and _declares_entities(archive, info):
                raise ParseFailure(f"forbidden: XML entity declarations in {info.filename}")


def _declares_entities(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    try:
        with archive.open(info) as part:
            head = part.read(_XML_HEAD)
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, RuntimeError):
        return False  # unreadable parts make the parser fail as corrupt
    return _ENTITY.search(head) is not None
