"""Skip marks for tests that need a system tool the machine may lack (`make venv` names what is missing)."""

from __future__ import annotations

import shutil

import pytest

# command -> Debian package
PACKAGES = {"bwrap": "bubblewrap", "chromium": "chromium", "chromium-browser": "chromium"}


def find_tool(*names: str) -> str | None:
    """The path of the first of `names` on PATH, or None."""
    return next((path for name in names if (path := shutil.which(name))), None)


def requires_tool(*names: str, why: str) -> pytest.MarkDecorator:
    """Skip a test unless one of `names` is installed, naming the tool, its Debian package and what is not checked."""
    package = PACKAGES.get(names[0], names[0])
    return pytest.mark.skipif(
        find_tool(*names) is None, reason=f"{names[0]} is not installed (Debian package '{package}'): {why}"
    )
