"""Fixtures for the source connector tests: a download sink and a small mailbox."""

from __future__ import annotations

from pathlib import Path

import pytest
from sources_support import DirSink, write_mbox


@pytest.fixture
def sink(tmp_path: Path) -> DirSink:
    return DirSink(tmp_path / "workspace")


@pytest.fixture
def small_mbox(tmp_path: Path) -> Path:
    return write_mbox(tmp_path / "mail" / "All mail.mbox")
