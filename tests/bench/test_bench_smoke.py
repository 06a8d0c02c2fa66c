"""Every bench script runs in its tiny mode and yields a well-formed result; the runner writes its page."""

from __future__ import annotations

import importlib
import logging
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:  # bench/ is a folder of scripts beside the packages, not an installed package
    sys.path.insert(0, str(REPO))

from bench.result import Result  # noqa: E402

# P4 starts two fresh interpreters that each import LangChain and Composio (about 10 s apiece here).
SLOW = pytest.mark.slow(reason="P4 ingests in two child interpreters")
MODULES = [
    "p1_fanout",
    "p2_sample",
    "p3_search",
    pytest.param("p4_memory", marks=SLOW),
    "p5_tokens",
    pytest.param("p6_rerun", marks=pytest.mark.slow(reason="P6 runs two whole grove processes")),
    "p7_writes",
    "p8_hybrid",
]


@pytest.fixture(autouse=True)
def restore_log_levels():
    """The measures quieten grove's loggers for their own process; keep that out of other tests."""
    loggers = [logging.getLogger(name) for name in ("tools", "nodes")]
    levels = [logger.level for logger in loggers]
    yield
    for logger, level in zip(loggers, levels):
        logger.setLevel(level)


@pytest.mark.parametrize("module", MODULES)
def test_measure_runs_in_tiny_mode(module, monkeypatch, tmp_path):
    monkeypatch.setenv("TMPDIR", str(tmp_path))  # every temporary KB, export and workspace lands here
    measure = importlib.import_module(f"bench.{module}").measure
    result = measure(True)
    assert result.key == f"P{module[1]}"
    if result.ratio is None:  # only P5 may skip, and only without its reference counts
        assert module == "p5_tokens" and result.skipped
    else:
        assert result.ratio > 0 and result.measured
        assert result.line().startswith(f"{result.key} {result.name} ratio=")
        assert result.line().endswith((" ok", " MISS"))


def test_line_format_and_goal_direction():
    lower = Result("P9", "x", 1.2, 1.15)
    higher = Result("P9", "y", 0.6, 0.5, better="higher")
    assert lower.line() == "P9 x ratio=1.2 goal=<=1.15 MISS" and not lower.ok
    assert higher.line() == "P9 y ratio=0.6 goal=>=0.5 ok" and higher.ok
    assert Result("P9", "z", None, 1.0, skipped="no data").line() == "P9 z ratio=- goal=<=1 SKIP (no data)"


def test_doc_lists_every_measure(tmp_path):
    from bench.report_doc import write_doc

    results = [Result(f"P{n}", "m", 0.5, 1.0) for n in range(1, 8)]
    doc = tmp_path / "BENCHMARKS.md"
    write_doc(doc, results, {"cpu": "test"}, 1.0, tiny=True)
    text = doc.read_text()
    assert all(f"P{n} m ratio=0.5 goal=<=1 ok" in text for n in range(1, 8))
    assert "| cpu | test |" in text and "tiny mode" in text
