"""What every local connector shares: a tool call dispatched by slug, under the connector's lock, never raising."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from tools.sources.envelope import fail

Envelope = dict[str, Any]
Handler = Callable[[dict[str, Any]], Envelope]


class LocalConnector:
    """Base of the local connectors: `execute` runs the handler a slug names and turns any failure into an envelope.

    A connector names itself in `label` ("the local Drive"), lists its handlers in `handlers()`, and
    sorts its expected errors: `plain_errors` carry their whole reason, `prefixed_errors` get the slug
    in front; anything else is reported with its type. Calls are serialised by `self._lock`.
    """

    label = "this local source"
    plain_errors: tuple[type[BaseException], ...] = ()
    prefixed_errors: tuple[type[BaseException], ...] = (OSError, ValueError)
    _lock: threading.RLock

    def handlers(self) -> dict[str, Handler]:
        """The tool slugs this connector serves and their handlers."""
        raise NotImplementedError

    def execute(self, slug: str, arguments: dict[str, Any]) -> Envelope:
        """Run one tool call; every failure comes back as an error envelope."""
        handler = self.handlers().get(slug)
        if handler is None:
            return fail(f"{slug} is not available for {self.label}")
        with self._lock:
            try:
                return handler(dict(arguments or {}))
            except self.plain_errors as exc:
                return fail(str(exc))
            except self.prefixed_errors as exc:
                return fail(f"{slug}: {exc}")
            except Exception as exc:  # noqa: BLE001 - the envelope is the contract, never a raise
                return fail(f"{slug}: {type(exc).__name__}: {exc}")
