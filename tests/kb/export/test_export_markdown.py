"""`grove export --format markdown`: an index, a folder per domain, a page per skill, every locator kept."""

from __future__ import annotations

import re

from cli.main import main


def test_markdown_export_writes_a_folder_per_domain(kb_db, tmp_path, capsys):
    out = tmp_path / "md"
    assert main(["export", "--client", "exp", "--db", kb_db, "--format", "markdown", "--out", str(out)]) == 0
    assert "wrote" in capsys.readouterr().out
    files = sorted(str(p.relative_to(out)) for p in out.rglob("*.md"))
    assert files == [
        "README.md",
        "finance/README.md",
        "finance/payroll.md",
        "finance/tax.md",
        "legal/README.md",
        "legal/contracts.md",
    ]
    index = (out / "README.md").read_text()
    assert "[Finance](finance/README.md)" in index and "Secret" not in index
    assert "[Payroll](payroll.md) — 1 group, 2 entries" in (out / "finance" / "README.md").read_text()

    payroll = (out / "finance" / "payroll.md").read_text()
    assert "## March run" in payroll
    assert "- source: `sheets:Payroll 2024/March#rows=2-40`" in payroll
    assert "- source: `gmail:<m1@example.com>#body`" in payroll
    assert "### Bonus note \\<b\\>Q1\\</b\\>" in payroll, "a title cannot inject markup"


def test_entry_text_with_fences_stays_inside_its_block(kb_db, tmp_path):
    out = tmp_path / "md"
    assert main(["export", "--client", "exp", "--db", kb_db, "--format", "markdown", "--out", str(out)]) == 0
    tax = (out / "finance" / "tax.md").read_text()
    block = re.search(r"^(`{4,})text\n(.*?)\n\1$", tax, re.S | re.M)
    assert block and "```\nraw\n```" in block.group(2)
    assert "drive:Tax/vat-q1.pdf#page=2" in tax
