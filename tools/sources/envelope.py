"""The `{"successful", "data", "error"}` envelope every Composio tool returns."""

from __future__ import annotations

from typing import Any


def ok(data: dict[str, Any]) -> dict[str, Any]:
    """Wrap a successful result."""
    return {"successful": True, "data": data, "error": None}


def fail(reason: str) -> dict[str, Any]:
    """Wrap a failure; `reason` should name the id or argument at fault."""
    return {"successful": False, "data": {}, "error": reason}
