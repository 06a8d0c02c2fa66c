"""`grove export --format html`: one self-contained page whose tree, entry view and search work in Chromium."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from urllib.parse import quote

import pytest
from bs4 import BeautifulSoup
from system_tools import find_tool, requires_tool

from cli.main import main

CHROMIUM = find_tool("chromium", "chromium-browser")
needs_chromium = requires_tool("chromium", "chromium-browser", why="the HTML export page is not rendered")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def page(kb_db, tmp_path, capsys) -> Path:
    out = tmp_path / "site" / "exp.html"
    assert main(["export", "--client", "exp", "--db", kb_db, "--out", str(out)]) == 0
    assert "4 entries" in capsys.readouterr().out
    return out


def rendered(page: Path, tmp_path: Path, suffix: str = "") -> BeautifulSoup:
    """The page's DOM after its script ran in headless Chromium."""
    profile = tmp_path / f"chromium-{len(list(tmp_path.iterdir()))}"
    done = subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "--dump-dom", page.as_uri() + suffix],
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    soup = BeautifulSoup(done.stdout, "html.parser")
    assert soup.html.get("data-ready") == "1", "the page script ran to the end"
    return soup


def visible_titles(soup: BeautifulSoup) -> list[str]:
    return sorted(li.a.get_text() for li in soup.select("#tree li.entry") if not li.has_attr("hidden"))


def test_the_page_is_self_contained_and_escapes_entry_text(page):
    text = page.read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", text), "no external asset or link"
    assert "<link" not in text and "<script src" not in text and "@import" not in text
    assert "<script>alert(1)</script>" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "zebrafish belongs to another client" not in text and "Secret" not in text


def test_tree_entry_view_and_locators_are_in_the_page(page):
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    assert [d.summary.select_one(".name").get_text() for d in soup.select("#tree > details.domain")] == [
        "Finance",
        "Legal",
    ]
    assert len(soup.select("details.skill")) == 3 and len(soup.select("details.entry_group")) == 3
    entries = soup.select("#tree li.entry")
    assert len(entries) == 4
    for li in entries:
        article = soup.find("article", id=f"e-{li['data-entry']}")
        assert li.a["href"] == f"#e-{li['data-entry']}"
        assert article.select_one("code.locator").get_text() == li.select_one("code.loc").get_text()
    bonus = next(a for a in soup.select("article.entry-view") if "Bonus" in a.h2.get_text())
    assert bonus.select_one("code.locator").get_text() == "gmail:<m1@example.com>#body"
    assert bonus.select_one(".path").get_text() == "Finance / Payroll / March run"
    assert "<script>alert(1)</script>" in bonus.pre.get_text()


@needs_chromium
def test_chromium_renders_the_tree_with_every_entry(page, tmp_path):
    soup = rendered(page, tmp_path)
    assert visible_titles(soup) == ["Bonus note <b>Q1</b>", "Mutual NDA", "Payroll summary", "VAT return Q1"]
    assert soup.select_one("#count").get_text() == "4 entries"
    assert not soup.select("#tree details[hidden]")


@needs_chromium
def test_chromium_search_filters_entries_and_opens_their_folders(page, tmp_path):
    soup = rendered(page, tmp_path, "?q=" + quote("ZEBRAFISH vat"))
    assert visible_titles(soup) == ["VAT return Q1"]
    assert soup.select_one("#count").get_text() == "1 of 4 entries match"
    shown = [d["data-path"] for d in soup.select("#tree details") if not d.has_attr("hidden")]
    assert shown == ["Finance", "Finance/Tax", "Finance/Tax/VAT returns"]
    assert all(d.has_attr("open") for d in soup.select("#tree details") if not d.has_attr("hidden"))
    assert soup.select_one('details[data-path="Finance"] > summary .n').get_text() == "1/3"


@needs_chromium
def test_chromium_search_by_locator_and_deep_link_to_an_entry(page, tmp_path):
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    nda = next(li for li in soup.select("#tree li.entry") if li.a.get_text() == "Mutual NDA")
    soup = rendered(page, tmp_path, "?q=" + quote("drive:Legal/") + f"#e-{nda['data-entry']}")
    assert visible_titles(soup) == ["Mutual NDA"]
    current = soup.select("#tree li.entry.current")
    assert [li["data-entry"] for li in current] == [nda["data-entry"]]


def test_export_of_an_unknown_client_writes_nothing(kb_db, tmp_path, capsys):
    out = tmp_path / "none.html"
    assert main(["export", "--client", "nobody", "--db", kb_db, "--out", str(out)]) == 1
    assert not out.exists() and "no knowledge tree" in capsys.readouterr().err
