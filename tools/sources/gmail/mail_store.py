"""Raw messages from an mbox file, a Maildir or a folder of .eml files, listed in one pass and read by key."""

from __future__ import annotations

import hashlib
import mailbox
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from tools.sources.gmail.mbox_spans import mbox_spans, read_span
from tools.sources.local_tree import walk_tree

Key = tuple[int, str]  # (source number, "start:stop" in an mbox | Maildir key | .eml number)


class MailStore:
    """Every message under `path`, addressed by (source, key); bodies read on demand.

    `path` may be an mbox file, an .eml file, a Maildir, or a folder holding any mix of
    .mbox files, .eml files and Maildirs. An mbox file is listed by streaming over it and
    read at the offsets a key names, so nothing per message stays in memory.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._read_lock = threading.Lock()  # one open file per mailbox: seek + read must not interleave
        self._sources: list[Path | mailbox.Maildir | list[Path]] = []
        self._files: dict[int, BinaryIO] = {}
        self._stamped: list[Path] = []  # what fingerprint() looks at
        if self.path.is_file():
            self._add_file(self.path)
        elif _is_maildir(self.path):
            self._add_maildir(self.path)
        elif self.path.is_dir():
            emls: list[Path] = []
            for entry in walk_tree(self.path):
                if entry.is_dir and _is_maildir(entry.path):
                    self._add_maildir(entry.path)
                elif not entry.is_dir and entry.path.suffix.lower() == ".eml":
                    emls.append(entry.path)
                elif not entry.is_dir and (entry.path.suffix.lower() == ".mbox" or entry.path.name == "mbox"):
                    self._add_file(entry.path)
            if emls:
                self._sources.append(emls)
                self._stamped.extend(emls)
        else:
            raise FileNotFoundError(f"mail export not found: {self.path}")

    def fingerprint(self) -> str:
        """Return a digest that changes when a message is added, removed or changed.

        An mbox or .eml file counts by size and modification time, a Maildir by its new/ and
        cur/ folders' modification times (delivering, moving or deleting a message changes them).
        """
        digest = hashlib.sha256()
        for file in self._stamped:
            stat = file.stat()
            digest.update(f"{file.resolve()}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode("utf-8", "surrogateescape"))
        return digest.hexdigest()

    def scan(self) -> Iterator[tuple[Key, bytes]]:
        """Yield (key, raw bytes) of every message, in file order, one message at a time."""
        for index, source in enumerate(self._sources):
            if isinstance(source, list):
                for number, file in enumerate(source):
                    yield (index, str(number)), file.read_bytes()
            elif isinstance(source, mailbox.Maildir):
                for key in sorted(source.keys()):
                    yield (index, key), source.get_bytes(key)
            else:
                with source.open("rb") as file:
                    for start, stop in mbox_spans(file):
                        position = file.tell()
                        raw = read_span(file, start, stop)
                        file.seek(position)
                        yield (index, f"{start}:{stop}"), raw

    def get_bytes(self, key: Key) -> bytes:
        """Return the raw RFC 2822 bytes of one message."""
        index, inner = key
        source = self._sources[index]
        if isinstance(source, list):
            return source[int(inner)].read_bytes()
        with self._read_lock:
            if isinstance(source, mailbox.Maildir):
                return source.get_bytes(inner)
            if index not in self._files:
                self._files[index] = source.open("rb")
            start, _, stop = inner.partition(":")
            return read_span(self._files[index], int(start), int(stop))

    def close(self) -> None:
        """Release open mailbox files."""
        with self._read_lock:
            for file in self._files.values():
                file.close()
            self._files.clear()

    def _add_file(self, path: Path) -> None:
        self._sources.append([path] if path.suffix.lower() == ".eml" else path)
        self._stamped.append(path)

    def _add_maildir(self, path: Path) -> None:
        self._sources.append(mailbox.Maildir(path, factory=None, create=False))
        self._stamped.extend([path / "new", path / "cur"])


def _is_maildir(path: Path) -> bool:
    return (path / "cur").is_dir() and (path / "new").is_dir()
