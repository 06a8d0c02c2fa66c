"""Conversation and records documents become one section per thread or record; Markdown splits at headings."""

from __future__ import annotations

import json

from tools.parsers import parse_file


def test_a_conversation_day_has_one_section_per_thread(tmp_path):
    doc = {
        "kind": "conversation",
        "title": "#ops 2026-03-03",
        "threads": [
            {"ts": "1.0", "lines": ["07:45 Tomas: Roaster 2 service on Thursday.", "08:10 Priya: Moving batches."]},
            {"ts": "2.0", "lines": ["11:30 Tomas: Reordering 10 bags."]},
        ],
    }
    path = tmp_path / "day.json"
    path.write_text(json.dumps(doc))
    result = parse_file(path)
    assert result.ok and result.file_type == "json"
    assert [(s.locator, s.kind) for s in result.sections] == [("thread=1.0", "thread"), ("thread=2.0", "message")]
    assert "Moving batches" in result.sections[0].text and result.sections[0].title.startswith(
        "#ops 2026-03-03: Roaster"
    )


def test_records_become_entries_with_their_fields(tmp_path):
    doc = {
        "kind": "records",
        "title": "Invoices",
        "records": [
            {
                "title": "Invoice INV-1 — Acme",
                "locator": "InvoiceNumber=INV-1",
                "fields": {"Total": "10.00", "Lines": ["Beans — 1 × 10.00"], "Reference": ""},
            }
        ],
    }
    path = tmp_path / "inv.json"
    path.write_text(json.dumps(doc))
    [section] = parse_file(path).sections
    assert section.locator == "InvoiceNumber=INV-1" and section.kind == "record"
    assert section.text == "Invoice INV-1 — Acme\nTotal: 10.00\nLines:\n- Beans — 1 × 10.00"


def test_other_json_is_refused_with_a_reason(tmp_path):
    path = tmp_path / "config.json"
    path.write_text('{"debug": true}')
    result = parse_file(path)
    assert not result.ok and result.reason == "unsupported format: .json (not a conversation or records document)"


def test_markdown_is_cut_at_headings_with_their_path(tmp_path):
    path = tmp_path / "policy.md"
    path.write_text(
        "# Leave Policy\n\nIntro.\n\n## Annual leave\n\n25 days.\n\n```\n# not a heading\n```\n\n"
        "## Sick leave\n\nCall before 7:30.\n"
    )
    sections = parse_file(path).sections
    assert [(s.title, s.locator) for s in sections] == [
        ("Leave Policy", "heading=leave-policy"),
        ("Leave Policy / Annual leave", "heading=annual-leave"),
        ("Leave Policy / Sick leave", "heading=sick-leave"),
    ]
    assert "# not a heading" in sections[1].text
