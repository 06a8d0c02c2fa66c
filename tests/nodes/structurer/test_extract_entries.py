"""Splitting long sections never drops text and respects the limit."""

from nodes.structurer.extract_entries import section_entries, split_text
from tools.parsers.tables import table_sections


def test_split_keeps_every_word_and_respects_the_limit():
    text = "\n\n".join(f"Paragraph {i} " + "word " * 50 for i in range(40))
    chunks = split_text(text, 500)
    assert all(len(c) <= 500 for c in chunks)
    assert " ".join(" ".join(chunks).split()) == " ".join(text.split())


def test_split_of_unbroken_text_and_empty_text():
    assert split_text("x" * 1200, 500) == ["x" * 500, "x" * 500, "x" * 200]
    assert split_text("   ", 500) == []
    assert split_text("short", 500) == ["short"]


def test_a_table_section_is_never_cut_and_long_text_parts_say_what_they_hold():
    rows = "\n".join(f"{n} | " + "value " * 30 for n in range(2, 40))
    table = {"title": "Sheet rows 1-39", "text": "Row | A\n" + rows, "locator": "sheet=S;rows=1-39", "kind": "table"}
    (entry,) = section_entries(table, 500)
    assert entry["content"] == table["text"].strip() and entry["locator"] == "sheet=S;rows=1-39"
    text = {
        "title": "Payment terms",
        "text": "Invoices are due in 30 days.\n\n" + "Late fees apply. " * 60,
        "locator": "paragraphs=3-9",
        "kind": "text",
    }
    parts = section_entries(text, 400)
    assert len(parts) > 1 and parts[0]["title"] == "Payment terms"
    assert all(p["title"].startswith("Payment terms: ") and len(p["title"]) > 16 for p in parts[1:])
    assert not any("part" in p["title"] for p in parts)


def test_table_rows_stay_whole_header_once_repeats_dropped():
    header = {0: "Region", 1: "Volume"}
    rows = [(1, header)] + [(n, {0: f"R{n}", 1: str(n * 10)}) for n in range(2, 120)]
    rows.insert(30, (31, dict(header)))  # an export that restates the header mid-table
    sections = table_sections(rows, title="Sheet V", locator="sheet=V", column_name=lambda c: f"Column {c}")
    summary, groups = sections[0], sections[1:]
    assert summary.locator.endswith(";summary") and "118 data rows" in summary.text
    assert (
        "1 rows only repeat the column names" in summary.text
        and "Volume: 118 filled; numbers 20 to 1,190" in summary.text
    )
    body = "\n".join(g.text for g in groups)
    assert all(f"\n{n} | R{n} | {n * 10}" in body for n in range(2, 120))  # every row, whole
    assert all(g.text.startswith("Row | Region | Volume") and g.text.count("Region") == 1 for g in groups)
    assert not any(";part=" in g.locator for g in groups)


def test_a_huge_sheet_keeps_every_row_in_large_row_groups():
    # About 600 kB of table text: well past the size at which groups stop growing.
    rows = [(1, {1: "Deal", 2: "Counterparty", 3: "Notes"})]
    rows += [(n, {1: f"D-{n}", 2: f"Party {n % 97}", 3: f"swap leg {n} " + "x" * 60}) for n in range(2, 7502)]
    sections = table_sections(rows, title="Swaps", locator="sheet=Swaps", column_name=lambda c: f"Column {c}")
    summary, groups = sections[0], sections[1:]
    assert summary.locator.endswith(";summary")
    body = "\n".join(g.text for g in groups)
    assert all(f"D-{n} |" in body for n in range(2, 7502))  # no row is left to the summary alone
    assert len(groups) <= 150 and all(len(g.text) <= 8_500 for g in groups)  # about a hundred, not thousands
