"""Legacy .doc (Word 97-2003 and Word 6/95) and .ppt files parse in Python, with no system tool."""

from __future__ import annotations

from pathlib import Path

import pytest

from tools.parsers import parse_file
from tools.parsers.legacy import read_ppt
from tools.parsers.types import Deadline, ParseFailure
from tools.parsers.word_binary import word_text

SAMPLE = Path(__file__).resolve().parents[3] / "examples/client-a-enron/drive"
LEGACY = sorted(p for p in SAMPLE.rglob("*") if p.suffix.lower() in (".doc", ".ppt"))


def _text(path: Path) -> str:
    result = parse_file(path)
    assert result.ok, (path.name, result.reason)
    return "\n".join(s.text for s in result.sections)


def test_every_legacy_file_of_the_sample_parses_without_a_system_tool(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    assert len(LEGACY) == 12
    for path in LEGACY:
        result = parse_file(path)
        assert result.ok, (path.name, result.reason)
        assert result.meta["converter"] == ("ppt2pptx" if path.suffix == ".ppt" else "grove.word_binary")


@pytest.mark.parametrize(
    ("rel", "needles"),
    [
        # Word 6/95 (no table stream, text stored in one run)
        ("Regulatory/SoCalCPUCAdviceLetter11-20-01.doc", ["Daniel W. Douglass", "5959 Topanga Canyon Boulevard"]),
        # form fields live in text boxes, a story after the main text
        ("HR/Forms/Contractors Payment Form.doc", ["Applicant’s Name", "Social Security #"]),
        # a footnote
        ("Regulatory/TWFERCExtension.doc", ["CP01-115"]),
        # table rows come out one row per line, cells separated
        (
            "Strategy/2002 ERCOT Business Plan 1-3-01.doc",
            ["QSE Certification | Enables scheduling with the ERCOT ISO | 30-45 days"],
        ),
        ("Strategy/ubswe.ppt", ["Credit Risk Control at UBSW Energy LLC", "Discipline & Sanctions"]),
        ("Strategy/2002PlanLayPres.ppt", ["TRANSWESTERN PIPELINE COMPANY", "Red Rock Expansion"]),
    ],
)
def test_legacy_text_matches_what_the_document_shows(rel: str, needles: list[str]):
    text = _text(SAMPLE / rel)
    for needle in needles:
        assert needle in text, (rel, needle)


def test_field_instructions_are_dropped_and_their_results_kept():
    text = _text(SAMPLE / "Operations/truequote users guide 9-24.doc")
    assert "HYPERLINK" not in text and "PAGEREF" not in text and "_Toc" not in text
    assert "TrueQuote" in text


def test_ppt_slides_are_sections_located_by_slide():
    result = parse_file(SAMPLE / "Strategy/ubswe.ppt")
    assert [s.locator for s in result.sections][:3] == ["slide=1", "slide=2", "slide=3"]
    assert result.meta["slides"] >= 7


def test_non_word_ole_file_is_corrupt(tmp_path: Path):
    with pytest.raises(ParseFailure, match="corrupt: not a Word document"):
        word_text(SAMPLE / "Awkward/EOL_All_Swaps.xls")
    junk = tmp_path / "junk.doc"
    junk.write_bytes(b"not an OLE file at all" * 40)
    with pytest.raises(ParseFailure, match="corrupt: not an OLE2"):
        word_text(junk)


def test_a_word_file_is_not_read_as_a_deck():
    with pytest.raises(ParseFailure, match="corrupt"):
        read_ppt(SAMPLE / "Regulatory/TWFERCExtension.doc", Deadline(30))
