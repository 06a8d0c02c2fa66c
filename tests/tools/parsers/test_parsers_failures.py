"""Bad input becomes ParseResult(ok=False) with a precise reason, never an exception."""

from __future__ import annotations

import io
import shutil
import time
from pathlib import Path

import pytest
from docx import Document
from openpyxl import Workbook
from pdf_bytes import text_pdf
from PIL import Image
from pypdf import PdfReader, PdfWriter

from tools.parsers import parse_file
from tools.parsers.parse import READERS

SAMPLE = Path(__file__).resolve().parents[3] / "examples/client-a-enron"


def encrypted_pdf(user_password: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(text_pdf("Board minutes"))))
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_text_pdf_fixture_parses(tmp_path: Path):
    path = tmp_path / "minutes.pdf"
    path.write_bytes(text_pdf("Board minutes"))
    result = parse_file(path)
    assert result.ok and result.sections[0].locator == "page=1"
    assert "Board minutes" in result.sections[0].text


def test_password_protected_pdf_is_encrypted(tmp_path: Path):
    path = tmp_path / "locked.pdf"
    path.write_bytes(encrypted_pdf("hunter2"))
    assert parse_file(path).reason == "encrypted"


def test_pdf_with_empty_user_password_still_parses(tmp_path: Path):
    path = tmp_path / "owner-only.pdf"
    path.write_bytes(encrypted_pdf(""))
    result = parse_file(path)
    assert result.ok and "Board minutes" in result.sections[0].text


def test_image_only_pdf_has_no_text_layer(tmp_path: Path):
    path = tmp_path / "scan.pdf"
    Image.new("RGB", (200, 100), "white").save(path, "PDF")
    result = parse_file(path)
    assert (result.ok, result.reason, result.file_type) == (False, "no text layer", "pdf")


def test_encrypted_xlsx(tmp_path: Path):
    ooxml = pytest.importorskip("msoffcrypto.format.ooxml")
    book, plain, locked = Workbook(), io.BytesIO(), io.BytesIO()
    book.active["A1"] = "secret"
    book.save(plain)
    plain.seek(0)
    ooxml.OOXMLFile(plain).encrypt("pw", locked)
    path = tmp_path / "locked.xlsx"
    path.write_bytes(locked.getvalue())
    assert parse_file(path).reason == "encrypted"


def test_garbage_xlsx_is_corrupt(tmp_path: Path):
    path = tmp_path / "garbage.xlsx"
    path.write_bytes(b"this is not a spreadsheet at all\x00\x01" * 40)
    result = parse_file(path)
    assert not result.ok and result.reason.startswith("corrupt: ")
    assert result.file_type == "xlsx"


def test_truncated_docx_is_corrupt(tmp_path: Path):
    doc, buf = Document(), io.BytesIO()
    doc.add_paragraph("Quarterly plan " * 200)
    doc.save(buf)
    path = tmp_path / "cut.docx"
    path.write_bytes(buf.getvalue()[: len(buf.getvalue()) // 2])
    result = parse_file(path)
    assert not result.ok and result.reason.startswith("corrupt: ")


def test_unknown_extension_is_unsupported(tmp_path: Path):
    path = tmp_path / "model.xyz"
    path.write_text("some text")
    result = parse_file(path)
    assert (result.ok, result.reason, result.file_type) == (False, "unsupported format: .xyz", "xyz")


def test_empty_too_large_and_missing(tmp_path: Path):
    empty = tmp_path / "empty.pdf"
    empty.touch()
    assert parse_file(empty).reason == "empty file"
    big = tmp_path / "big.txt"
    big.write_text("x" * 100)
    assert parse_file(big, max_bytes=10).reason == "too large: 100 bytes"
    assert parse_file(tmp_path / "gone.txt").reason.startswith("corrupt: ")


def test_whitespace_only_text_has_no_text(tmp_path: Path):
    path = tmp_path / "blank.txt"
    path.write_text(" \n\n\t\n")
    assert parse_file(path).reason == "no text"


def test_slow_parse_times_out():
    result = parse_file(SAMPLE / "drive/Awkward/EOL_All_Swaps.xls", timeout=0.01)
    assert (result.ok, result.reason) == (False, "timeout")


def test_a_stuck_library_cannot_hold_the_caller(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setitem(READERS, "txt", lambda path, deadline: time.sleep(30))
    path = tmp_path / "slow.txt"
    path.write_text("text")
    started = time.monotonic()
    assert parse_file(path, timeout=0.2).reason == "timeout"
    assert time.monotonic() - started < 5


def test_a_doc_with_its_encryption_flag_set_is_reported_encrypted(tmp_path: Path):
    import olefile

    locked = tmp_path / "locked.doc"
    shutil.copy(SAMPLE / "drive/Legal/Bus-activity-limitations-memo.doc", locked)
    with olefile.OleFileIO(str(locked), write_mode=True) as ole:
        stream = bytearray(ole.openstream("WordDocument").read())
        stream[0x0B] |= 0x01  # fEncrypted, bit 0x0100 of the flags word at 0x0A
        ole.write_stream("WordDocument", bytes(stream))
    assert (parse_file(locked).ok, parse_file(locked).reason) == (False, "encrypted")
