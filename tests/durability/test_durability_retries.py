"""Transient tool errors are retried with backoff honouring Retry-After; permanent ones are not."""

from __future__ import annotations

import pytest

from nodes.explorer import base as explore_offline
from nodes.explorer.offline import ToolFailure, call
from tools.retry import TransientError, is_transient, transient_error, with_retries


class FlakyRunner:
    """Answers a tool with the scripted envelopes in turn, recording every call."""

    def __init__(self, *envelopes):
        self.envelopes = list(envelopes)
        self.calls = 0

    def invoke(self, name, args):
        self.calls += 1
        return self.envelopes.pop(0)


@pytest.fixture
def no_sleep(monkeypatch):
    """Keep backoff waits out of the test's wall time."""
    monkeypatch.setattr(explore_offline, "RETRY_BASE_SECONDS", 0.001)


def test_rate_limit_then_success_is_retried_and_waits_as_told(no_sleep, monkeypatch):
    import tools.retry as retry

    waits = []
    original = retry.with_retries
    monkeypatch.setattr(
        explore_offline, "with_retries", lambda fn, attempts, base: original(fn, attempts, base, sleep=waits.append)
    )
    runner = FlakyRunner(
        {"successful": False, "error": "HTTP 429 Too Many Requests; Retry-After: 7"},
        {"successful": False, "error": "503 Service Unavailable"},
        {"successful": True, "data": {"ok": 1}},
    )
    assert call(runner, "GOOGLEDRIVE_LIST_FILES", {}) == {"ok": 1}
    assert runner.calls == 3
    assert waits[0] == 7.0 and 0 < waits[1] < 7


def test_permanent_errors_are_not_retried(no_sleep):
    runner = FlakyRunner({"successful": False, "error": "file not found: 'abc'"})
    with pytest.raises(ToolFailure, match="file not found"):
        call(runner, "GOOGLEDRIVE_DOWNLOAD_FILE", {"fileId": "abc"})
    assert runner.calls == 1


def test_persistent_transient_errors_give_up_with_a_clear_reason(no_sleep, monkeypatch):
    import tools.retry as retry

    original = retry.with_retries
    monkeypatch.setattr(
        explore_offline, "with_retries", lambda fn, attempts, base: original(fn, attempts, base, sleep=lambda s: None)
    )
    runner = FlakyRunner(*[{"successful": False, "error": "request timed out"}] * 5)
    with pytest.raises(ToolFailure, match="gave up after 5 tries"):
        call(runner, "GMAIL_FETCH_EMAILS", {})
    assert runner.calls == 5


@pytest.mark.parametrize(
    "message, transient",
    [
        ("HTTP 429", True),
        ("502 Bad Gateway", True),
        ("Read timed out", True),
        ("rate limit exceeded", True),
        ("401 Unauthorized", False),
        ("message not found: 'x'", False),
        ("encrypted", False),
    ],
)
def test_classification_of_errors(message, transient):
    assert is_transient(message) is transient


def test_retry_after_is_capped_and_backoff_grows():
    waits = []
    attempts = iter([transient_error("429 retry-after 9999"), TransientError("503"), TransientError("503")])

    def fn():
        exc = next(attempts, None)
        if exc:
            raise exc
        return "done"

    assert with_retries(fn, attempts=4, base=0.1, sleep=waits.append) == "done"
    assert waits[0] == 60.0 and len(waits) == 3
