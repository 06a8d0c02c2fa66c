"""Fixtures for the knowledge-base tests: a fresh SQLite store on disk and a draft factory."""

from __future__ import annotations

from typing import Callable

import pytest

from kb.models import EntryDraft
from kb.sqlite.store import SqliteStore


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "kb.db"


@pytest.fixture
def store(db_path):
    s = SqliteStore(db_path)
    yield s
    s.close()


@pytest.fixture
def make_draft() -> Callable[..., EntryDraft]:
    def make(
        content: str,
        title: str = "Note",
        domain: str = "Finance",
        skill: str = "Payroll",
        group: str = "Monthly runs",
        item_id: str = "item-1",
        source_type: str = "gmail",
        locator: str = "",
        **extra,
    ) -> EntryDraft:
        return EntryDraft(
            domain=domain,
            skill=skill,
            group=group,
            title=title,
            content=content,
            source_type=source_type,
            file_type=extra.pop("file_type", "eml"),
            locator=locator or f"{source_type}:{item_id}",
            item_id=item_id,
            **extra,
        )

    return make
