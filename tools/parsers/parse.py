"""Parse any supported file into sections; failures become results, never exceptions."""

from __future__ import annotations

import json
import re
import threading
import zipfile
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

from tools.parsers.csvfile import read_csv
from tools.parsers.detect import ALIASES, detect_type, extension
from tools.parsers.exported import read_exported
from tools.parsers.isolated import run_isolated
from tools.parsers.legacy import read_doc, read_ppt
from tools.parsers.markdown import read_markdown
from tools.parsers.markup import read_html, read_rtf
from tools.parsers.messages import read_eml, read_msg
from tools.parsers.office import read_docx, read_pptx
from tools.parsers.pdf import read_pdf
from tools.parsers.plain import read_text
from tools.parsers.precheck import MAX_UNPACKED_BYTES, check_package
from tools.parsers.sheets import read_xls, read_xlsx
from tools.parsers.split import paragraph_sections
from tools.parsers.types import Deadline, ParseFailure, ParseResult, Section

Reader = Callable[[Path, Deadline], tuple[list[Section], dict]]


def _prose(read: Callable[[Path, Deadline], tuple[str, dict]]) -> Reader:
    def reader(path: Path, deadline: Deadline) -> tuple[list[Section], dict]:
        text, meta = read(path, deadline)
        return paragraph_sections(text), meta

    return reader


READERS: dict[str, Reader] = {
    "pdf": read_pdf,
    "docx": read_docx,
    "pptx": read_pptx,
    "xlsx": read_xlsx,
    "xls": read_xls,
    "csv": read_csv,
    "doc": read_doc,
    "ppt": read_ppt,
    "html": _prose(read_html),
    "rtf": _prose(read_rtf),
    "txt": read_text,
    "md": read_markdown,
    "eml": read_eml,
    "msg": read_msg,
    "json": read_exported,
}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# Parsed in a capped child process: binary formats whose libraries a crafted file can drive to
# exhaust memory or loop. Text formats stay in process (their readers are linear and bounded).
ISOLATED_TYPES = frozenset({"pdf", "docx", "pptx", "xlsx", "xls", "msg", "doc", "ppt"})
_PACKAGES = frozenset({"docx", "pptx", "xlsx"})


def _clean(sections: list[Section]) -> tuple[Section, ...]:
    """Drop control characters and sections left with no text."""
    out = []
    for s in sections:
        text = _CONTROL.sub("", s.text.replace("\x0c", "\n")).strip()
        if text:
            out.append(Section(title=s.title, text=text, locator=s.locator, kind=s.kind))
    return tuple(out)


def _failure_reason(exc: BaseException) -> str:
    if isinstance(exc, ParseFailure):
        return exc.reason
    if isinstance(exc, MemoryError):
        return "too large: out of memory while parsing"
    if isinstance(exc, zipfile.BadZipFile):
        return "corrupt: not a valid zip package"
    detail = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"corrupt: {type(exc).__name__}" + (f": {detail}" if detail else "")[:160]


def _run(reader: Reader, path: Path, timeout: float) -> tuple[list[Section], dict]:
    """Run `reader` in a worker thread so a stuck library cannot hold the caller past `timeout`."""
    outcome: dict = {}

    def work() -> None:
        try:
            outcome["value"] = reader(path, Deadline(timeout))
        except BaseException as exc:  # noqa: BLE001 - handed back to the caller below
            outcome["error"] = exc

    worker = threading.Thread(target=work, name=f"parse:{path.name}", daemon=True)
    worker.start()
    worker.join(timeout + 1.0)
    if worker.is_alive():
        raise ParseFailure("timeout")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def parse_file(
    path: Path,
    *,
    name: str | None = None,
    max_bytes: int = 64 * 1024 * 1024,
    timeout: float = 60.0,
    isolate: bool = True,
) -> ParseResult:
    """Parse one file into sections; return ok=False with a reason instead of raising.

    `name` is the original file name when `path` was stored under another one. Risky
    formats are parsed in a capped child process (see tools.parsers.isolated) unless
    `isolate` is False.
    """
    path = Path(path)
    ext = extension(name or path.name)
    file_type = ALIASES.get(ext, ext)
    try:
        if not path.is_file():
            raise ParseFailure("corrupt: not a regular file")
        size = path.stat().st_size
        if size == 0:
            raise ParseFailure("empty file")
        if size > max_bytes:
            raise ParseFailure(f"too large: {size} bytes")
        file_type = detect_type(path, name or path.name)
        if file_type in _PACKAGES:
            check_package(path, max(MAX_UNPACKED_BYTES, 2 * max_bytes))
        if isolate and file_type in ISOLATED_TYPES:
            found = run_isolated(parse_as_data, (str(path), file_type, timeout), timeout=timeout + 1.0)
            return ParseResult(
                ok=True,
                file_type=file_type,
                meta=found["meta"],
                sections=tuple(Section(**section) for section in found["sections"]),
            )
        return parse_detected(path, file_type, timeout, threaded=True)
    except Exception as exc:  # noqa: BLE001 - every failure is reported, never raised
        return ParseResult(ok=False, file_type=file_type, reason=_failure_reason(exc))


def parse_as_data(path: str, file_type: str, timeout: float) -> dict:
    """parse_detected for a child process: the result as JSON-ready data (odd meta values as text)."""
    return json.loads(json.dumps(asdict(parse_detected(Path(path), file_type, timeout)), default=str))


def parse_detected(path: Path, file_type: str, timeout: float, threaded: bool = False) -> ParseResult:
    """Run the reader of `file_type` on `path` and clean its sections; raises on failure.

    In a child process the reader runs directly (the parent owns the clock); in process a
    worker thread keeps a stuck library from holding the caller past `timeout`.
    """
    reader = READERS[file_type]
    sections, meta = _run(reader, path, timeout) if threaded else reader(path, Deadline(timeout))
    cleaned = _clean(sections)
    if not cleaned:
        raise ParseFailure("no text")
    return ParseResult(ok=True, file_type=file_type, sections=cleaned, meta=meta)
