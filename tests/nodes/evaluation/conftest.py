"""Fixtures for the evaluation tests: a SQLite store and an entry draft factory."""

from __future__ import annotations

import pytest

from kb.models import EntryDraft
from kb.sqlite.store import SqliteStore


@pytest.fixture
def store(tmp_path):
    s = SqliteStore(tmp_path / "kb.db")
    yield s
    s.close()


@pytest.fixture
def make_draft():
    def make(
        content: str, title: str = "Note", group: str = "Group", item_id: str = "item-1", locator: str = ""
    ) -> EntryDraft:
        return EntryDraft(
            domain="Finance",
            skill="Payroll",
            group=group,
            title=title,
            content=content,
            source_type=(locator or "gmail:").split(":")[0],
            file_type="txt",
            locator=locator or f"gmail:{item_id}",
            item_id=item_id,
        )

    return make
