"""Custom stream events that let a CLI, Studio or an SDK client watch a run's progress."""

from __future__ import annotations

from typing import Any


def emit(runtime: Any, event: str, **data: Any) -> None:
    """Send one progress event on the run's custom stream (a no-op when nobody listens)."""
    writer = getattr(runtime, "stream_writer", None)
    if writer is not None:
        writer({"event": event, **data})
