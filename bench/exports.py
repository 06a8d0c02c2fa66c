"""Exports the benchmarks run on: small synthetic sources, and mailboxes grown from the bundled sample."""

from __future__ import annotations

import mailbox
import re
from email.message import EmailMessage
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "examples" / "client-a-enron"
SAMPLE_MBOX = SAMPLE / "gmail" / "All mail.mbox"

_TOPICS = [
    "travel budget",
    "supplier invoice",
    "leave policy",
    "gas contract",
    "board minutes",
    "hiring plan",
    "office lease",
    "pipeline capacity",
]


def sample_sources() -> list[dict]:
    """The bundled sample's three sources."""
    return [
        {"type": "gmail", "path": str(SAMPLE_MBOX)},
        {"type": "drive", "path": str(SAMPLE / "drive")},
        {"type": "sheets", "path": str(SAMPLE / "sheets")},
    ]


def _sentence(n: int, topic: str) -> str:
    return (
        f"Note {n} on the {topic}: the figure agreed is {1000 + 37 * n} dollars, due within {10 + n % 20} "
        f"days, approved by the finance desk after review number {n}."
    )


def small_source(root: Path, kind: str, index: int, items: int = 4) -> dict:
    """One small export of `kind` (gmail, drive or sheets) with `items` items, named `<kind>-<index>`."""
    root.mkdir(parents=True, exist_ok=True)
    topic = _TOPICS[index % len(_TOPICS)]
    if kind == "gmail":
        path = root / "mail.mbox"
        box = mailbox.mbox(str(path))
        for n in range(items):
            msg = EmailMessage()
            msg["From"], msg["To"] = f"ann{index}@example.com", "bob@example.com"
            msg["Subject"] = f"{'Re: ' if n else ''}{topic.title()} {index}"
            msg["Message-ID"] = f"<s{index}m{n}@example.com>"
            msg["Date"] = f"Mon, {n % 27 + 1:02d} Jan 2024 10:00:00 +0000"
            msg.set_content("\n\n".join(_sentence(n * 10 + k, topic) for k in range(3)))
            if n == 0:
                msg.add_attachment(
                    _sentence(n, topic).encode(), maintype="text", subtype="plain", filename=f"note-{index}.txt"
                )
            box.add(msg)
        box.close()
    elif kind == "drive":
        path = root / "drive"
        for n in range(items):
            folder = path / ("Finance" if n % 2 else "Operations")
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{topic.replace(' ', '-')}-{index}-{n}.md").write_text(
                f"# {topic.title()} {n}\n\n" + "\n\n".join(_sentence(n * 10 + k, topic) for k in range(3))
            )
    elif kind == "sheets":
        path = root / "sheets"
        path.mkdir(parents=True, exist_ok=True)
        for n in range(items):
            rows = ["item,amount,days"] + [f"{topic} {k},{1000 + 37 * k},{10 + k}" for k in range(12)]
            (path / f"{topic.replace(' ', '-')}-{index}-{n}.csv").write_text("\n".join(rows) + "\n")
    else:
        raise ValueError(f"unknown source kind {kind!r}")
    return {"type": kind, "path": str(path), "name": f"{kind}-{index}"}


def run_sources(root: Path, tiny: bool) -> list[dict]:
    """The sources a pipeline measure runs over: the bundled sample, or one small export of each kind."""
    if tiny:
        return [small_source(root, kind, 1, 2) for kind in ("gmail", "drive", "sheets")]
    return sample_sources()


def sample_messages() -> list[bytes]:
    """The bundled sample's messages, raw."""
    box = mailbox.mbox(str(SAMPLE_MBOX), create=False)
    try:
        return [box.get_bytes(key) for key in box.keys()]
    finally:
        box.close()


_MESSAGE_ID = re.compile(rb"^(Message-ID:[ \t]*<)([^>\r\n]*)>", re.I | re.M)
_FROM_LINE = re.compile(rb"^From ", re.M)


def grow_mbox(path: Path, target_bytes: int) -> dict:
    """Write an mbox of about `target_bytes` by repeating the sample's messages, each copy with its own Message-ID.

    Returns {"bytes", "messages", "copies"}.
    """
    messages = sample_messages()
    written = count = copy = 0
    with open(path, "wb") as out:
        while written < target_bytes:
            for raw in messages:
                tag = f"copy{copy}.".encode()
                body, found = _MESSAGE_ID.subn(lambda m: m.group(1) + tag + m.group(2) + b">", raw, count=1)
                if not found:
                    body = f"Message-ID: <copy{copy}.{count}@bench.invalid>\n".encode() + raw
                # mboxo quoting: a body line starting with "From " would split the message
                body = _FROM_LINE.sub(b">From ", body)
                chunk = b"From bench@bench.invalid Mon Jan  1 00:00:00 2024\n" + body.rstrip(b"\n") + b"\n\n"
                out.write(chunk)
                written += len(chunk)
                count += 1
                if written >= target_bytes:
                    break
            copy += 1
    return {"bytes": written, "messages": count, "copies": copy}
