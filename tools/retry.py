"""Retry of transient tool failures (rate limits, 5xx, timeouts) with backoff that honours Retry-After."""

from __future__ import annotations

import re
import time
from typing import Callable, TypeVar

from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt, wait_exponential_jitter

T = TypeVar("T")

_TRANSIENT = re.compile(
    r"\b(429|500|502|503|504)\b|rate.?limit|too many requests|timed? ?out|temporar(il)?y|"
    r"service unavailable|connection (reset|refused|aborted)",
    re.I,
)
_RETRY_AFTER = re.compile(r"retry[- ]after\D{0,5}(\d+(?:\.\d+)?)", re.I)
MAX_WAIT = 60.0


class TransientError(Exception):
    """A failure worth retrying; `retry_after` is the server's requested wait in seconds, if it gave one."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def is_transient(message: str) -> bool:
    """True for errors that may pass on a later try (429, 5xx, timeouts), False for permanent ones."""
    return bool(_TRANSIENT.search(message or ""))


def transient_error(message: str) -> TransientError:
    """Wrap an error message, keeping any Retry-After the server sent."""
    match = _RETRY_AFTER.search(message or "")
    return TransientError(message, float(match.group(1)) if match else None)


def _wait(base: float) -> Callable[[RetryCallState], float]:
    backoff = wait_exponential_jitter(multiplier=base, max=MAX_WAIT, jitter=base)

    def wait(state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, TransientError) and exc.retry_after is not None:
            return min(exc.retry_after, MAX_WAIT)
        return backoff(state)

    return wait


def with_retries(
    fn: Callable[[], T], attempts: int = 5, base: float = 0.5, sleep: Callable[[float], None] = time.sleep
) -> T:
    """Run `fn`, retrying TransientError up to `attempts` times in all; other errors pass straight through."""
    retrying = Retrying(
        stop=stop_after_attempt(attempts),
        wait=_wait(base),
        sleep=sleep,
        reraise=True,
        retry=retry_if_exception(lambda exc: isinstance(exc, TransientError)),
    )
    return retrying(fn)
