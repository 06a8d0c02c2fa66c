"""Body text of binary Word files (Word 97-2003 and Word 6/95) from their own piece table.

The piece table assembles every story in turn (main text, footnotes, headers, macros,
comments, endnotes, text boxes, header text boxes); the reader keeps all but headers and
macros. Field instructions are dropped and field results kept, as Word shows them.
"""

from __future__ import annotations

import struct
from pathlib import Path

import olefile

from tools.parsers.types import ParseFailure

_WORD97 = 0xA5EC
_WORD6 = 0xA5DC
_MAX_TEXT_CHARS = 32 * 1024 * 1024
# Story lengths sit in the header as eight 32-bit counts, in this order, from 0x4C (Word 97)
# or 0x34 (Word 6/95).
_STORIES = ("text", "footnotes", "headers", "macros", "comments", "endnotes", "textboxes", "header_textboxes")
_KEPT = frozenset({"text", "footnotes", "comments", "endnotes", "textboxes"})
# Characters Word stores in the text stream that mean layout, not words.
_SPECIAL = {
    "\r": "\n",
    "\x0b": "\n",
    "\x0c": "\n\n",
    "\x0e": "\n",
    "\x1e": "-",
    "\xa0": " ",
    "\x01": "",
    "\x02": "",
    "\x03": "",
    "\x04": "",
    "\x05": "",
    "\x08": "",
    "\x1f": "",
}


def _u16(data: bytes, offset: int) -> int:
    if offset + 2 > len(data):
        raise ParseFailure("corrupt: Word header is truncated")
    return struct.unpack_from("<H", data, offset)[0]


def _u32(data: bytes, offset: int) -> int:
    if offset + 4 > len(data):
        raise ParseFailure("corrupt: Word header is truncated")
    return struct.unpack_from("<I", data, offset)[0]


def _piece_table(clx: bytes) -> tuple[list[int], bytes]:
    """Skip the Prc records of a Clx and return the piece table's CPs and its PCD bytes."""
    at = 0
    while at < len(clx) and clx[at] == 0x01:
        at += 3 + _u16(clx, at + 1)
    if at >= len(clx) or clx[at] != 0x02:
        raise ParseFailure("corrupt: Word piece table not found")
    size = _u32(clx, at + 1)
    plc = clx[at + 5 : at + 5 + size]
    if size < 16 or len(plc) < size or (size - 4) % 12:
        raise ParseFailure("corrupt: Word piece table has a bad size")
    count = (size - 4) // 12
    cps = list(struct.unpack_from(f"<{count + 1}I", plc, 0))
    return cps, plc[4 * (count + 1) :]


def _pieces_text(stream: bytes, clx: bytes, limit: int, unicode_pieces: bool, codepage: str) -> str:
    """Assemble the first `limit` characters the piece table points at in `stream`."""
    cps, pcds = _piece_table(clx)
    parts: list[str] = []
    total = 0
    for index in range(len(cps) - 1):
        count = min(cps[index + 1] - cps[index], limit - total)
        if count <= 0:
            if total >= limit:
                break
            continue
        fc = _u32(pcds, index * 8 + 2)
        if unicode_pieces and not fc & 0x40000000:
            raw = stream[fc : fc + 2 * count]
            parts.append(raw.decode("utf-16-le", errors="replace"))
        else:
            start = (fc & 0x3FFFFFFF) // 2 if unicode_pieces else fc
            parts.append(stream[start : start + count].decode(codepage, errors="replace"))
        total += count
    return "".join(parts)


def _story_lengths(word: bytes, offset: int) -> list[tuple[str, int]]:
    return [(name, _u32(word, offset + 4 * n)) for n, name in enumerate(_STORIES)]


def _kept_stories(text: str, lengths: list[tuple[str, int]]) -> str:
    """Cut the assembled text into stories and join the kept ones."""
    parts, at = [], 0
    for name, length in lengths:
        if name in _KEPT and text[at : at + length].strip():
            parts.append(text[at : at + length])
        at += length
    return "\r\r".join(parts)


def _raw_text(ole: olefile.OleFileIO) -> str:
    if not ole.exists("WordDocument"):
        raise ParseFailure("corrupt: not a Word document (no WordDocument stream)")
    word = ole.openstream("WordDocument").read()
    ident, flags = _u16(word, 0), _u16(word, 0x0A)
    if flags & 0x0100:
        raise ParseFailure("encrypted")
    if ident == _WORD97:
        table_name = "1Table" if flags & 0x0200 else "0Table"
        if not ole.exists(table_name):
            raise ParseFailure(f"corrupt: Word table stream {table_name} is missing")
        table = ole.openstream(table_name).read()
        lengths = _story_lengths(word, 0x4C)
        limit = min(sum(n for _, n in lengths), _MAX_TEXT_CHARS)
        fc_clx, lcb_clx = _u32(word, 0x1A2), _u32(word, 0x1A6)
        return _kept_stories(
            _pieces_text(word, table[fc_clx : fc_clx + lcb_clx], limit, unicode_pieces=True, codepage="cp1252"), lengths
        )
    if ident == _WORD6:
        lengths = _story_lengths(word, 0x34)
        limit = min(sum(n for _, n in lengths), _MAX_TEXT_CHARS)
        if flags & 0x0004:  # fComplex: fast-saved, so the text is in pieces
            fc_clx, lcb_clx = _u32(word, 0x160), _u32(word, 0x164)
            text = _pieces_text(word, word[fc_clx : fc_clx + lcb_clx], limit, unicode_pieces=False, codepage="cp1252")
        else:
            start = _u32(word, 0x18)
            text = word[start : start + limit].decode("cp1252", errors="replace")
        return _kept_stories(text, lengths)
    raise ParseFailure(f"unsupported: Word file format {ident:#06x} (Word 2 or older)")


def _visible(text: str) -> str:
    """Drop field instructions (0x13 .. 0x14) and field marks; keep field results."""
    out: list[str] = []
    hiding: list[bool] = []  # per open field: still in its instruction part
    for char in text:
        if char == "\x13":
            hiding.append(True)
        elif char == "\x14":
            if hiding:
                hiding[-1] = False
        elif char == "\x15":
            if hiding:
                hiding.pop()
        elif not any(hiding):
            out.append(char)
    return "".join(out)


def _layout(text: str) -> str:
    """Turn Word's paragraph, cell and break marks into plain lines; a table row is one line."""
    text = text.replace("\x07\r", "\x07").replace("\x07\x07", "\x07\n")
    text = "".join(_SPECIAL.get(char, char) for char in text)
    lines = [
        " | ".join(cell.strip() for cell in line.split("\x07") if cell.strip()) if "\x07" in line else line.rstrip()
        for line in text.split("\n")
    ]
    return "\n".join(lines)


def word_text(path: Path) -> str:
    """Return the main text of a binary Word document; raise ParseFailure with the reason."""
    if not olefile.isOleFile(str(path)):
        raise ParseFailure("corrupt: not an OLE2 compound file")
    try:
        with olefile.OleFileIO(str(path)) as ole:
            raw = _raw_text(ole)
    except OSError as exc:
        raise ParseFailure(f"corrupt: {str(exc)[:160]}") from exc
    return _layout(_visible(raw))
