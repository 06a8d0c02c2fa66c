"""Per-format behaviour: encodings, markup, office files, sheets, mail files, sniffing, splitting."""

from __future__ import annotations

import re
import shutil
import time
from email.message import EmailMessage
from pathlib import Path

from docx import Document
from openpyxl import Workbook
from pptx import Presentation
from pptx.util import Inches

from tools.parsers import parse_file

SAMPLE = Path(__file__).resolve().parents[3] / "examples/client-a-enron"


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_cp1252_text_is_decoded(tmp_path: Path):
    text = (
        "Le café de Zoë coûte 5 € — très cher, naïve façade.\n\n"
        "Die schöne Frau hat einen Kaffee gegessen, köstlich und süß.\n"
    )
    path = tmp_path / "notes.txt"
    path.write_bytes(text.encode("cp1252"))
    result = parse_file(path)
    assert result.ok and result.meta["encoding"] == "cp1252"
    assert "café de Zoë coûte 5 € — très" in result.sections[0].text


def test_long_text_is_split_without_losing_anything(tmp_path: Path):
    paragraphs = [f"Paragraph {i}: " + "budget line item " * (i % 40 + 1) for i in range(300)]
    paragraphs.append("x" * 7000)  # one unbreakable run
    text = "\n\n".join(paragraphs)
    path = tmp_path / "long.md"
    path.write_text(text, encoding="utf-8")
    result = parse_file(path)
    assert len(result.sections) > 10
    assert all(len(s.text) <= 3000 for s in result.sections)
    assert _squash("".join(s.text for s in result.sections)) == _squash(text)
    assert result.sections[0].locator.startswith("paragraphs=1-")
    assert result.sections[0].title.startswith("Paragraph 0: budget line item")  # its opening words
    assert len({s.locator for s in result.sections}) == len(result.sections)


def test_html_drops_script_and_style(tmp_path: Path):
    path = tmp_path / "page.htm"
    path.write_bytes(
        b'<html><head><meta charset="windows-1252"><title>Prices</title>'
        b"<style>p{color:red}</style><script>alert('x')</script></head>"
        b"<body><h1>Price list</h1><p>Gas \x80 2.13</p><table><tr><td>A</td><td>B</td></tr>"
        b"</table></body></html>"
    )
    result = parse_file(path)
    text = result.sections[0].text
    assert result.file_type == "html" and result.meta["title"] == "Prices"
    assert "Price list" in text and "Gas € 2.13" in text and "A | B" in text
    assert "alert" not in text and "color" not in text


def test_docx_paragraphs_and_table(tmp_path: Path):
    doc = Document()
    doc.add_paragraph("Supplier review for 2002.")
    table = doc.add_table(rows=3, cols=2)
    for r, (a, b) in enumerate([("Supplier", "Spend"), ("Acme", "1200"), ("Globex", "900")]):
        table.cell(r, 0).text, table.cell(r, 1).text = a, b
    doc.add_paragraph("Closing remarks.")
    path = tmp_path / "review.docx"
    doc.save(path)
    result = parse_file(path)
    kinds = [(s.kind, s.locator) for s in result.sections]
    assert kinds == [("text", "paragraphs=1"), ("table", "table=1;rows=1-3"), ("text", "paragraphs=2")]
    assert "Row | Supplier | Spend" in result.sections[1].text and "3 | Globex | 900" in result.sections[1].text


def test_pptx_slides_with_table_and_notes(tmp_path: Path):
    deck = Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[5])
    slide.shapes.title.text = "Pipeline capacity"
    grid = slide.shapes.add_table(2, 2, Inches(1), Inches(2), Inches(4), Inches(1)).table
    grid.cell(0, 0).text, grid.cell(0, 1).text = "Zone", "MMcf/d"
    grid.cell(1, 0).text, grid.cell(1, 1).text = "West", "1090"
    slide.notes_slide.notes_text_frame.text = "Mention the expansion."
    path = tmp_path / "deck.pptx"
    deck.save(path)
    section = parse_file(path).sections[0]
    assert (section.title, section.locator) == ("Slide 1: Pipeline capacity", "slide=1")
    assert (
        "Pipeline capacity" in section.text and "Row | Zone | MMcf/d" in section.text and "West | 1090" in section.text
    )
    assert "Notes: Mention the expansion." in section.text


def test_huge_sparse_xlsx_stays_cheap(tmp_path: Path):
    book = Workbook()
    sheet = book.active
    sheet.title = "Results"
    sheet["A1"], sheet["B1"] = "Name", "Amount"
    sheet["A2"], sheet["B2"] = "Acme", 12.0
    sheet["XFD1048576"] = "far corner"
    book.create_sheet("Blank")
    path = tmp_path / "sparse.xlsx"
    book.save(path)
    started = time.monotonic()
    result = parse_file(path)
    assert time.monotonic() - started < 20
    assert result.meta["empty_sheets"] == ["Blank"]
    text = "\n".join(s.text for s in result.sections)
    assert "Row | Name | Amount" in text and "2 | Acme | 12" in text and "far corner" in text
    assert result.sections[0].locator == "sheet=Results;rows=1-1048576"


def test_semicolon_csv_is_sniffed(tmp_path: Path):
    path = tmp_path / "costs.csv"
    path.write_bytes("Poste;Montant\nÉlectricité;1 200\nGaz;900\n".encode("cp1252"))
    text = parse_file(path).sections[0].text
    assert "Row | Poste | Montant\n2 | Électricité | 1 200\n3 | Gaz | 900" in text


def test_eml_file_with_attachment_and_spoofed_sender(tmp_path: Path):
    msg = EmailMessage()
    msg["From"] = "ceo@example.org <phish@attacker.tld>"
    msg["To"] = "staff@example.org"
    msg["Subject"] = "Urgent wire"
    msg["Message-ID"] = "<w1@attacker.tld>"
    msg.set_content("Please wire the funds today.")
    msg.add_attachment(b"col1,col2\n1,2\n", maintype="text", subtype="csv", filename="invoice.csv")
    path = tmp_path / "wire.eml"
    path.write_bytes(msg.as_bytes())
    result = parse_file(path)
    assert result.ok and result.file_type == "eml"
    [section] = result.sections
    assert section.kind == "email" and section.title == "Message from phish@attacker.tld"
    assert "From: phish@attacker.tld" in section.text
    assert "Please wire the funds today." in section.text and "col1" not in section.text
    assert result.meta["attachments"] == [{"name": "invoice.csv", "content_type": "text/csv", "size": 14}]


def test_type_is_sniffed_when_the_extension_lies(tmp_path: Path):
    doc = Document()
    doc.add_paragraph("Docx wearing a legacy name.")
    disguised = tmp_path / "REPORT.DOC"
    doc.save(disguised)
    assert parse_file(disguised).file_type == "docx"
    word = tmp_path / "upload-1234"
    shutil.copy(SAMPLE / "drive/Legal/Covenant.Compliance.Memo.3.DOC", word)
    result = parse_file(word, name="Covenant.Compliance.Memo.3.DOC")
    assert result.ok and result.file_type == "doc"
    assert parse_file(word).file_type == "doc"
