"""Word (.docx) and PowerPoint (.pptx) files to paragraph, table and slide sections."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.table import Table
from docx.text.paragraph import Paragraph
from pptx import Presentation
from pptx.shapes.group import GroupShape

from tools.parsers.split import numbered_sections, titled_sections
from tools.parsers.tables import Row, clean_cell, table_sections
from tools.parsers.types import Deadline, Section


def _table_rows(rows) -> list[Row]:
    """Turn docx/pptx table rows into numbered rows, counting a merged cell once."""
    out: list[Row] = []
    for number, row in enumerate(rows, start=1):
        cells, seen = {}, set()
        for col, cell in enumerate(row.cells):
            key = id(getattr(cell, "_tc", cell))
            if key in seen:
                continue
            seen.add(key)
            if text := clean_cell(cell.text):
                cells[col] = text
        if cells:
            out.append((number, cells))
    return out


def _column(index: int) -> str:
    return f"Column {index + 1}"


def read_docx(path: Path, deadline: Deadline) -> tuple[list[Section], dict]:
    """Return paragraph groups and tables of a .docx in document order, then headers/footers."""
    doc = Document(str(path))
    sections: list[Section] = []
    pending: list[tuple[int, str]] = []
    paragraph_no = table_no = 0
    for block in doc.iter_inner_content():
        deadline.check()
        if isinstance(block, Paragraph):
            paragraph_no += 1
            if block.text.strip():
                pending.append((paragraph_no, block.text.strip()))
        elif isinstance(block, Table):
            sections.extend(numbered_sections(pending, "Paragraph", "paragraphs"))
            pending = []
            table_no += 1
            sections.extend(
                table_sections(
                    _table_rows(block.rows), title=f"Table {table_no}", locator=f"table={table_no}", column_name=_column
                )
            )
    sections.extend(numbered_sections(pending, "Paragraph", "paragraphs"))
    margins: list[str] = []
    for part in doc.sections:
        for hf in (part.header, part.footer):
            for paragraph in hf.paragraphs if not hf.is_linked_to_previous else ():
                if (text := paragraph.text.strip()) and text not in margins:
                    margins.append(text)
    if margins:
        sections.extend(titled_sections("\n".join(margins), "Headers and footers", "headers"))
    props = doc.core_properties
    meta = {"paragraphs": paragraph_no, "tables": table_no}
    if props.title:
        meta["title"] = props.title
    return sections, meta


def _shape_lines(shape) -> list[str]:
    """Collect the text of a shape, descending into groups and rendering tables by row."""
    if isinstance(shape, GroupShape):
        return [line for inner in shape.shapes for line in _shape_lines(inner)]
    if getattr(shape, "has_table", False) and shape.has_table:
        rows = _table_rows(shape.table.rows)
        tables = table_sections(rows, title="Table", locator="table", column_name=_column)
        return ["\n".join(t.text for t in tables)] if tables else []
    if getattr(shape, "has_text_frame", False) and shape.has_text_frame:
        text = shape.text_frame.text.strip()
        return [text] if text else []
    return []


def read_pptx(path: Path, deadline: Deadline) -> tuple[list[Section], dict]:
    """Return one section per slide with its text, tables and speaker notes."""
    deck = Presentation(str(path))
    sections: list[Section] = []
    for number, slide in enumerate(deck.slides, start=1):
        deadline.check()
        lines = [line for shape in slide.shapes for line in _shape_lines(shape)]
        if slide.has_notes_slide and slide.notes_slide.notes_text_frame is not None:
            notes = slide.notes_slide.notes_text_frame.text.strip()
            if notes:
                lines.append("Notes: " + notes)
        text = "\n".join(lines)
        if text.strip():
            sections.extend(titled_sections(text, f"Slide {number}", f"slide={number}", describe=True))
    meta = {"slides": len(deck.slides)}
    if deck.core_properties.title:
        meta["title"] = deck.core_properties.title
    return sections, meta
