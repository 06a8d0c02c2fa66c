"""Matrix group D: hostile documents fail alone, with a typed reason, inside capped and timed child processes."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import pytest
from docx import Document
from langgraph.runtime import Runtime
from openpyxl import Workbook
from pdf_bytes import pdf_of
from pypdf import PdfReader, PdfWriter

from nodes.context import Context
from nodes.structurer.parse_items import parse_items
from tools.parsers import parse_file
from tools.parsers.isolated import run_isolated
from tools.parsers.types import ParseFailure

LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(b'<!ENTITY lol%d "%s">' % (n, (b"&lol%d;" % (n - 1) if n > 1 else b"&lol;") * 10) for n in range(1, 10))
    + b"]>\n"
)


def text(words: str) -> bytes:
    return b"BT /F1 12 Tf 72 720 Td (%s) Tj ET" % words.encode("latin-1")


def docx_with(tmp_path: Path, document_xml: bytes) -> Path:
    """A real .docx whose word/document.xml is replaced."""
    buffer = io.BytesIO()
    Document().save(buffer)
    path = tmp_path / "hostile.docx"
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source, zipfile.ZipFile(path, "w") as target:
        for info in source.infolist():
            data = document_xml if info.filename == "word/document.xml" else source.read(info)
            target.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
    return path


BODY = (
    b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
    b"<w:p><w:r><w:t>%s</w:t></w:r></w:p></w:body></w:document>"
)


@pytest.mark.parametrize(
    "prolog, body",
    [
        (LAUGHS, b"&lol9;"),
        (b'<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/hostname">]>\n', b"&x;"),
        (b'<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY x SYSTEM "http://127.0.0.1:9/x">]>\n', b"&x;"),
        (b'<?xml version="1.0"?>\n<!-- padding -->\n<!DOCTYPE d SYSTEM "http://127.0.0.1:9/x.dtd">\n', b"plain"),
    ],
    ids=["billion-laughs", "xxe-file", "xxe-http", "external-dtd"],
)
def test_d1_d3_entity_declarations_are_refused_before_any_xml_parser(
    tmp_path: Path, prolog: bytes, body: bytes
) -> None:
    started = time.monotonic()
    result = parse_file(docx_with(tmp_path, prolog + BODY % body))
    assert (result.ok, result.file_type) == (False, "docx")
    assert result.reason == "forbidden: XML entity declarations in word/document.xml"
    assert time.monotonic() - started < 5


def test_d1_html_entities_are_never_resolved(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(
        '<!DOCTYPE html [<!ENTITY x SYSTEM "file:///etc/hostname">]>'
        "<html><body><p>Quarterly plan &x; done</p></body></html>"
    )
    result = parse_file(page)
    secret = Path("/etc/hostname").read_text().strip() if Path("/etc/hostname").exists() else "\x00"
    assert result.ok and "Quarterly plan" in result.sections[0].text and secret not in result.sections[0].text


def test_d2_d3_a_package_that_inflates_too_far_is_refused_before_parsing(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    book = Workbook()
    book.active["A1"] = "small"
    book.save(buffer)
    path = tmp_path / "bomb.xlsx"
    cell = b'<c r="A1" t="inlineStr"><is><t>xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx</t></is></c>'
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source, zipfile.ZipFile(path, "w") as target:
        for info in source.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                target.writestr(info, source.read(info), compress_type=zipfile.ZIP_DEFLATED)
        member = zipfile.ZipInfo("xl/worksheets/sheet1.xml")
        member.compress_type = zipfile.ZIP_DEFLATED
        with target.open(member, "w") as sheet:
            sheet.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
            row = b"<row>" + cell * 64 + b"</row>"
            for _ in range((210 << 20) // len(row)):
                sheet.write(row)
            sheet.write(b"</sheetData></worksheet>")
    assert path.stat().st_size < (20 << 20)
    result = parse_file(path)
    assert not result.ok and result.reason.startswith("too large: ")


def test_d2_a_child_out_of_memory_fails_alone_and_the_parent_goes_on() -> None:
    with pytest.raises(ParseFailure, match="too large: out of memory"):
        run_isolated(bytes, (2 << 30,), timeout=10, memory_bytes=256 << 20)
    assert run_isolated(len, ("still fine",), timeout=10) == 10


def test_d4_a_flate_bomb_in_a_pdf_is_too_large_not_blank(tmp_path: Path) -> None:
    path = tmp_path / "bomb.pdf"
    path.write_bytes(pdf_of(text("Hello") + b"\n" + b" " * (100 << 20), flate=True))
    assert path.stat().st_size < (1 << 20)
    result = parse_file(path)
    assert (result.ok, result.file_type) == (False, "pdf")
    assert result.reason.startswith("too large: ") and "inflate" in result.reason


@pytest.mark.parametrize(
    "pdf",
    [
        pdf_of(text("Circular xref"), trailer=b"/Prev XREF "),
        pdf_of(text("Before") + b" q BI /W 100 /H 100 /BPC 8 /CS /G ID " + bytes(range(256)) * 400),
    ],
    ids=["circular-prev", "inline-image-without-EI"],
)
def test_d5_looping_structures_finish_or_time_out_in_the_child(tmp_path: Path, pdf: bytes) -> None:
    path = tmp_path / "loop.pdf"
    path.write_bytes(pdf)
    started = time.monotonic()
    result = parse_file(path, timeout=3)
    assert time.monotonic() - started < 6
    assert result.ok or result.reason.split(":")[0] in ("timeout", "corrupt", "no text layer")


def test_d5_a_stuck_parser_is_killed_at_the_deadline() -> None:
    started = time.monotonic()
    with pytest.raises(ParseFailure, match="^timeout$"):
        run_isolated(time.sleep, (60,), timeout=1)
    assert time.monotonic() - started < 3


def test_d6_encrypted_documents_are_refused_without_guessing(tmp_path: Path) -> None:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_of(text("Board minutes")))))
    writer.encrypt(user_password="hunter2", owner_password="owner", algorithm="AES-128")
    locked = tmp_path / "locked.pdf"
    writer.write(locked)
    started = time.monotonic()
    assert (parse_file(locked).ok, parse_file(locked).reason) == (False, "encrypted")
    ooxml = pytest.importorskip("msoffcrypto.format.ooxml")
    plain, sealed = io.BytesIO(), io.BytesIO()
    book = Workbook()
    book.active["A1"] = "salaries"
    book.save(plain)
    plain.seek(0)
    ooxml.OOXMLFile(plain).encrypt("pw", sealed)
    (tmp_path / "locked.xlsx").write_bytes(sealed.getvalue())
    assert parse_file(tmp_path / "locked.xlsx").reason == "encrypted"
    assert time.monotonic() - started < 5


def test_d7_type_comes_from_the_bytes_and_a_bad_file_fails_alone(tmp_path: Path) -> None:
    folder = tmp_path / "att"
    folder.mkdir()
    (folder / "garbage.pdf").write_bytes(b"\x00\x01 definitely not a document " * 50)
    (folder / "page.pdf").write_text("<html><body><p>Rates for 2002 are attached.</p></body></html>")
    (folder / "report.txt").write_bytes(pdf_of(text("Quarterly report")))
    (folder / "notes.txt").write_text("Plain notes.")
    items = [
        {
            "item_id": f"m1/{name}",
            "source_type": "gmail",
            "kind": "attachment",
            "name": name,
            "path": str(folder / name),
            "locator": f"gmail:m1/{name}",
        }
        for name in ("garbage.pdf", "page.pdf", "report.txt", "notes.txt")
    ]
    parsed = {
        p["item"]["name"]: p
        for p in parse_items({"batch": {"batch_id": "b", "items": items}}, Runtime(context=Context()))["parsed"]
    }
    assert parsed["garbage.pdf"]["reason"] == "corrupt: content is not a pdf file (no pdf signature)"
    assert (parsed["page.pdf"]["ok"], parsed["page.pdf"]["file_type"]) == (True, "html")
    assert (parsed["report.txt"]["ok"], parsed["report.txt"]["file_type"]) == (True, "pdf")
    assert parsed["notes.txt"]["ok"]


def test_d8_pages_without_text_are_flagged_for_review(tmp_path: Path) -> None:
    partly = tmp_path / "partly.pdf"
    partly.write_bytes(pdf_of(text("Page one text"), b""))
    result = parse_file(partly)
    assert result.ok and result.meta["pages_without_text"] == [2] and result.meta["needs_review"] is True
    blank = tmp_path / "blank.pdf"
    blank.write_bytes(pdf_of(b"", b""))
    assert (parse_file(blank).ok, parse_file(blank).reason) == (False, "no text layer")
    whole = tmp_path / "whole.pdf"
    whole.write_bytes(pdf_of(text("All here")))
    assert parse_file(whole).meta["needs_review"] is False
