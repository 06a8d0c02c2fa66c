"""Raw messages from an mbox file, a Maildir or a folder of .eml files, read by key."""

from __future__ import annotations

import mailbox
import threading
from pathlib import Path

from tools.sources.local_tree import walk_tree

Key = tuple[int, str]


class MailStore:
    """Every message under `path`, addressed by (source, key); bodies read on demand.

    `path` may be an mbox file, an .eml file, a Maildir, or a folder holding any mix of
    .mbox files, .eml files and Maildirs. Only offsets and keys stay in memory.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._read_lock = threading.Lock()  # one open file per mailbox: seek + read must not interleave
        self._sources: list[mailbox.Mailbox | list[Path]] = []
        if self.path.is_file():
            self._add_file(self.path)
        elif _is_maildir(self.path):
            self._sources.append(mailbox.Maildir(self.path, factory=None, create=False))
        elif self.path.is_dir():
            emls: list[Path] = []
            for entry in walk_tree(self.path):
                if entry.is_dir and _is_maildir(entry.path):
                    self._sources.append(mailbox.Maildir(entry.path, factory=None, create=False))
                elif not entry.is_dir and entry.path.suffix.lower() == ".eml":
                    emls.append(entry.path)
                elif not entry.is_dir and (entry.path.suffix.lower() == ".mbox" or entry.path.name == "mbox"):
                    self._sources.append(mailbox.mbox(entry.path, create=False))
            if emls:
                self._sources.append(emls)
        else:
            raise FileNotFoundError(f"mail export not found: {self.path}")

    def keys(self) -> list[Key]:
        """Return every message key, in file order."""
        out: list[Key] = []
        for index, source in enumerate(self._sources):
            if isinstance(source, list):
                out.extend((index, str(i)) for i in range(len(source)))
            elif isinstance(source, mailbox.Maildir):
                out.extend((index, key) for key in sorted(source.keys()))
            else:
                out.extend((index, str(key)) for key in source.keys())
        return out

    def get_bytes(self, key: Key) -> bytes:
        """Return the raw RFC 2822 bytes of one message."""
        index, inner = key
        source = self._sources[index]
        if isinstance(source, list):
            return source[int(inner)].read_bytes()
        with self._read_lock:
            return source.get_bytes(int(inner) if isinstance(source, mailbox.mbox) else inner)

    def close(self) -> None:
        """Release open mailbox files."""
        for source in self._sources:
            if isinstance(source, mailbox.mbox):
                source.close()

    def _add_file(self, path: Path) -> None:
        if path.suffix.lower() == ".eml":
            self._sources.append([path])
        else:
            self._sources.append(mailbox.mbox(path, create=False))


def _is_maildir(path: Path) -> bool:
    return (path / "cur").is_dir() and (path / "new").is_dir()
