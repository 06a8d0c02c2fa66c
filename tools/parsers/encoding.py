"""Decode bytes of unknown encoding to text."""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Encodings business files are actually written in; leaving out rare code pages
# (johab, mac_*, cp1006...) stops short Western text being read as one of them.
_CANDIDATES = [
    "utf_8",
    "utf_16",
    "cp1252",
    "latin_1",
    "iso8859_15",
    "cp1250",
    "iso8859_2",
    "cp1251",
    "koi8_r",
    "cp1253",
    "cp1254",
    "cp1257",
    "cp932",
    "shift_jis",
    "euc_jp",
    "gb18030",
    "big5",
    "cp949",
    "euc_kr",
]


def detect_encoding(data: bytes, declared: str | None = None) -> str:
    """Return the most likely encoding of `data`, trusting a valid declared one first."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    if declared:
        try:
            name = codecs.lookup(declared).name
            data.decode(name)
            return name
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    results = from_bytes(data[: 512 * 1024], cp_isolation=_CANDIDATES)
    best = results.best()
    if best is not None:
        # Single-byte code pages often tie; Windows-1252 is by far the likeliest in
        # office files, so it wins any near-tie.
        if any(r.encoding == "cp1252" and r.chaos <= best.chaos + 0.01 for r in results):
            return "cp1252"
        return best.encoding
    # Legacy office exports are overwhelmingly Windows-1252; it decodes any byte string.
    return "cp1252"


def decode_bytes(data: bytes, declared: str | None = None) -> str:
    """Decode `data` with its detected encoding, replacing undecodable bytes."""
    encoding = detect_encoding(data, declared)
    try:
        return data.decode(encoding, errors="replace")
    except LookupError:
        return data.decode("cp1252", errors="replace")
