"""Every Drive and Sheets file of the bundled sample parses or fails with a known reason."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tools.parsers import SUPPORTED_TYPES, parse_file

SAMPLE = Path(__file__).resolve().parents[3] / "examples/client-a-enron"
FILES = sorted(p for folder in ("drive", "sheets") for p in (SAMPLE / folder).rglob("*") if p.is_file())
REASONS = (
    "empty file",
    "encrypted",
    "no text layer",
    "unsupported format: ",
    "corrupt: ",
    "too large: ",
    "timeout",
    "tool missing: ",
    "no text",
)


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(SAMPLE)))
def test_sample_file_parses_or_fails_with_a_known_reason(path: Path):
    result = parse_file(path)
    if result.ok:
        assert result.sections and not result.reason
        assert all(s.text.strip() and s.title and s.locator for s in result.sections)
        assert all(s.kind in ("text", "table", "email") for s in result.sections)
        assert result.file_type in SUPPORTED_TYPES
        json.dumps(result.meta)
    else:
        assert not result.sections
        assert result.reason.startswith(REASONS), result.reason


def test_the_empty_htm_fails_as_empty():
    result = parse_file(SAMPLE / "drive/Awkward/11926.htm")
    assert (result.ok, result.reason, result.file_type) == (False, "empty file", "html")


def test_sample_contents_land_in_sections():
    expect = {
        "drive/Legal/Bus-activity-limitations-memo.doc": "Merger Agreement",
        "drive/Legal/Covenant.Compliance.Memo.3.DOC": "Memorandum",
        "drive/Strategy/ubswe.ppt": "Credit Risk Control",
        "drive/Legal/RE Confidentiality Agreement with Enron.rtf": "Confidentiality Agreement",
        "drive/HR/Onboarding 2002/W4_2002.pdf": "Form W-4",
        "drive/Operations/PLANNER.HTML": "Weekly Planner",
    }
    for rel, needle in expect.items():
        result = parse_file(SAMPLE / rel)
        assert result.ok, (rel, result.reason)
        assert any(needle in s.text for s in result.sections), rel


def test_sheet_rows_carry_their_header_names():
    result = parse_file(SAMPLE / "sheets/Enron custodians directory.csv")
    summary, first = result.sections[:2]
    assert summary.locator == "table=1;rows=2-149;summary" and "148 data rows" in summary.text
    assert first.kind == "table" and first.locator.startswith("table=1;rows=1-")
    assert first.text.startswith("Row | mailbox | email | name | title")
    assert "3 | arnold-j | john.arnold@enron.com" in first.text
    assert result.sections[2].text.startswith("Row | mailbox")  # every group states the header once


def test_xls_sheet_sections_are_located_by_sheet_and_rows():
    result = parse_file(SAMPLE / "drive/Awkward/EOL_All_Swaps.xls")
    assert result.ok and result.meta["sheets"] == ["Results", "EOL"]
    summary, first = result.sections[:2]
    assert summary.title == "Sheet Results: summary of 7826 rows" and "Time: 7825 filled" in summary.text
    assert first.title.startswith("Sheet Results rows 1-")
    assert first.locator.startswith("sheet=Results;rows=1-")
    assert not any(";part=" in s.locator for s in result.sections)  # a row is never cut
    assert len(result.sections) <= 120  # every row in about a hundred entries, not thousands
    eol = [s for s in result.sections if s.locator.startswith("sheet=EOL")]
    assert "659 rows only repeat the column names and are left out" in eol[0].text
    assert not any(s.text.count("\nRow 787:") for s in eol)  # that row only restated the header
