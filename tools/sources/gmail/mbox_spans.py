"""The messages of an mbox file as byte spans, found in one streaming pass.

The spans and bytes are exactly those of the stdlib `mailbox.mbox` (a message starts at a
`From ` line and ends before it, less the blank line that precedes it; the `From ` line is
not part of the message), but `mailbox.mbox` keeps its table of every message's offsets in
memory, about 200 bytes a message; here each span is handed on as it is found.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import BinaryIO

_LINESEP = os.linesep.encode()


def mbox_spans(file: BinaryIO) -> Iterator[tuple[int, int]]:
    """Yield (start, stop) of every message in `file`, in file order (as mailbox.mbox numbers them)."""
    file.seek(0)
    start: int | None = None
    last_was_empty = False
    position = 0
    for line in iter(file.readline, b""):
        if line.startswith(b"From "):
            if start is not None:
                yield start, position - len(_LINESEP) if last_was_empty else position
            start, last_was_empty = position, False
        else:
            last_was_empty = line == _LINESEP
        position += len(line)
    if start is not None:
        yield start, position - len(_LINESEP) if last_was_empty else position


def read_span(file: BinaryIO, start: int, stop: int) -> bytes:
    """Return the message at (start, stop) without its `From ` line, as mailbox.mbox.get_bytes does."""
    file.seek(start)
    file.readline()
    return file.read(max(0, stop - file.tell())).replace(_LINESEP, b"\n")
