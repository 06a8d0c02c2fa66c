"""Message- and record-shaped JSON documents the source walks write: one section per thread or record.

`{"kind": "conversation", "title", "threads": [{"ts", "lines": [...]}]}` (a chat channel's day)
becomes one section per thread; `{"kind": "records", "title", "records": [{"title", "locator",
"fields"}]}` (accounting records) one section per record with its fields as lines. Any other JSON
is not a document grove reads.
"""

from __future__ import annotations

import json
from pathlib import Path

from tools.parsers.encoding import decode_bytes
from tools.parsers.split import titled_sections
from tools.parsers.types import Deadline, ParseFailure, Section


def read_exported(path: Path, deadline: Deadline) -> tuple[list[Section], dict]:
    """Return the sections of a conversation or records document."""
    try:
        doc = json.loads(decode_bytes(path.read_bytes()))
    except ValueError as exc:
        raise ParseFailure(f"corrupt: not valid JSON ({exc})"[:160]) from None
    kind = doc.get("kind") if isinstance(doc, dict) else None
    if kind == "conversation":
        return _conversation(doc, deadline), {"kind": kind, "threads": len(doc.get("threads") or [])}
    if kind == "records":
        return _records(doc, deadline), {"kind": kind, "records": len(doc.get("records") or [])}
    raise ParseFailure("unsupported format: .json (not a conversation or records document)")


def _conversation(doc: dict, deadline: Deadline) -> list[Section]:
    sections = []
    for thread in doc.get("threads") or []:
        deadline.check()
        lines = [str(line) for line in thread.get("lines") or [] if str(line).strip()]
        if not lines:
            continue
        first = lines[0].split(": ", 1)[-1]
        title = f"{doc.get('title', '')}: {' '.join(first.split()[:8])}".strip(": ")
        kind = "thread" if len(lines) > 1 else "message"
        sections += titled_sections("\n".join(lines), title, f"thread={thread.get('ts', '')}", kind)
    return sections


def _lines(fields: dict) -> list[str]:
    out = []
    for key, value in fields.items():
        if isinstance(value, list):
            out += [f"{key}:"] + [f"- {v}" for v in value if str(v).strip()]
        elif value not in (None, "", [], {}):
            out.append(f"{key}: {value}")
    return out


def _records(doc: dict, deadline: Deadline) -> list[Section]:
    sections = []
    for n, record in enumerate(doc.get("records") or [], start=1):
        deadline.check()
        title = str(record.get("title") or f"{doc.get('title', 'Record')} {n}")
        text = "\n".join([title] + _lines(record.get("fields") or {}))
        sections += titled_sections(text, title, str(record.get("locator") or f"record={n}"), "record")
    return sections
