"""Read-only view of an export given as a folder or a zip file: relative names and their bytes."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path, PurePosixPath

MAX_MEMBER_BYTES = 64 * 1024 * 1024


class ExportError(ValueError):
    """The export cannot be read (missing, not a folder or zip, member too large)."""


class ExportTree:
    """Files of an export by POSIX relative path; symlinks and names escaping the root are left out."""

    def __init__(self, root: str | Path, max_member_bytes: int = MAX_MEMBER_BYTES) -> None:
        self.root = Path(root)
        self.max_member_bytes = max_member_bytes
        self._zip: zipfile.ZipFile | None = None
        self.sizes: dict[str, int] = {}
        self.mtimes: dict[str, float] = {}
        if self.root.is_dir():
            self._scan_folder()
        elif self.root.is_file() and zipfile.is_zipfile(self.root):
            self._scan_zip()
        else:
            raise ExportError(f"{self.root}: not a folder or a zip file")

    def _scan_folder(self) -> None:
        base = self.root.resolve()
        for folder, dirs, files in os.walk(base, followlinks=False):
            dirs[:] = sorted(d for d in dirs if not (Path(folder) / d).is_symlink())
            for name in sorted(files):
                path = Path(folder) / name
                if path.is_symlink() or not path.is_file():
                    continue
                rel = path.relative_to(base).as_posix()
                stat = path.stat()
                self.sizes[rel], self.mtimes[rel] = stat.st_size, stat.st_mtime

    def _scan_zip(self) -> None:
        self._zip = zipfile.ZipFile(self.root)
        for info in self._zip.infolist():
            name = PurePosixPath(info.filename.replace("\\", "/"))
            if info.is_dir() or name.is_absolute() or ".." in name.parts or name.name.startswith("__MACOSX"):
                continue
            rel = str(name)
            self.sizes[rel] = info.file_size
            self.mtimes[rel] = _zip_time(info)
            self._members = getattr(self, "_members", {})
            self._members[rel] = info

    def names(self) -> list[str]:
        """Every file's relative path, sorted."""
        return sorted(self.sizes)

    def read(self, rel: str) -> bytes:
        """The bytes of one file; ExportError if it is unknown or over the size limit."""
        if rel not in self.sizes:
            raise ExportError(f"no such file in the export: {rel!r}")
        if self.sizes[rel] > self.max_member_bytes:
            raise ExportError(f"{rel}: larger than {self.max_member_bytes} bytes")
        if self._zip is not None:
            with self._zip.open(self._members[rel]) as fh:
                data = fh.read(self.max_member_bytes + 1)
            if len(data) > self.max_member_bytes:
                raise ExportError(f"{rel}: larger than {self.max_member_bytes} bytes")
            return data
        return (self.root.resolve() / rel).read_bytes()


def _zip_time(info: zipfile.ZipInfo) -> float:
    import datetime

    try:
        return datetime.datetime(*info.date_time, tzinfo=datetime.timezone.utc).timestamp()
    except ValueError:
        return 0.0
