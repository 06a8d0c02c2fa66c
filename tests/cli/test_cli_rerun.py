"""A `grove run` over sources unchanged since a settled run answers from the ledger, without the agents."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cli.main import main
from kb.open_store import open_store

REPO = Path(__file__).resolve().parents[2]


def _argv(tmp_path: Path, sources: list[dict], *extra: str) -> list[str]:
    argv = [
        "run",
        "--client",
        "acme",
        "--db",
        str(tmp_path / "kb.db"),
        "--workspace-root",
        str(tmp_path / "ws"),
        "--isolation",
        "process",
        "--json",
        *extra,
    ]
    for src in sources:
        argv += ["--source", f"{src['type']}={src['path']}"]
    return argv


@pytest.fixture
def grove(tmp_path, tiny_sources, capsys):
    """Run `grove run --json` over the tiny export (extra arguments appended); return the report."""

    def run(*extra: str) -> dict:
        assert main(_argv(tmp_path, tiny_sources, *extra)) == 0
        return json.loads(capsys.readouterr().out)

    return run


@pytest.fixture
def no_graph(monkeypatch):
    """Fail the test if the pipeline graph is built."""

    def refuse(*args, **kwargs):
        raise AssertionError("the pipeline graph was built")

    monkeypatch.setattr("graphs.pipeline.build_pipeline_graph", refuse)


def test_a_rerun_over_unchanged_sources_runs_no_agent(grove, request):
    first = grove()
    request.getfixturevalue("no_graph")
    second = grove()
    assert first["unchanged_since"] == "" and second["unchanged_since"] == first["run_id"]
    assert second["run_id"] != first["run_id"] and second["status"] == "ok"
    assert second["items"] == {
        "downloaded": 0,
        "parsed": 0,
        "failed": 0,
        "skipped": 0,
        "unchanged": first["items"]["downloaded"],
        "deleted": 0,
    }
    assert second["entries"]["inserted"] == 0 and second["entries"]["total"] == first["entries"]["total"]
    assert second["tree"] == first["tree"]
    assert [(s["source"], s["listed"]) for s in second["sources"]] == [
        (s["source"], s["listed"]) for s in first["sources"]
    ]
    assert set(second) == set(first)


def test_known_failures_keep_a_rerun_partial(grove, tmp_path, request):
    (tmp_path / "export" / "drive" / "HR" / "blank.txt").write_bytes(b"")
    first = grove()
    request.getfixturevalue("no_graph")
    second = grove()
    assert second["unchanged_since"] == first["run_id"]
    assert (first["status"], second["status"]) == ("partial", "partial")
    [known] = second["failures"]
    assert (known["locator"], known["reason"], known["since_run"]) == (
        "drive:HR/blank.txt",
        "empty file",
        first["run_id"],
    )
    assert known["source"].startswith("drive-") and second["items"]["failed"] == 1


def test_an_edited_file_sends_the_run_through_the_agents(grove, tmp_path):
    grove()
    handbook = tmp_path / "export" / "drive" / "HR" / "handbook.md"
    handbook.write_text("# Leave policy\n\nEmployees get 30 days of paid leave.")
    later = time.time() + 5
    os.utime(handbook, (later, later))
    second = grove()
    assert second["unchanged_since"] == "" and second["items"]["downloaded"] == 1
    third = grove()
    assert third["unchanged_since"] == second["run_id"]


@pytest.mark.parametrize("change", ["settings", "ledger", "full-refresh", "new-file"])
def test_anything_else_that_changed_sends_the_run_through_the_agents(grove, tmp_path, change):
    first = grove()
    extra: tuple[str, ...] = ()
    if change == "settings":
        extra = ("--batch-size", "3")
    elif change == "ledger":
        store = open_store(str(tmp_path / "kb.db"))
        try:
            entry = store.entries("acme")[0]
            store.delete_item_entries("acme", entry.source_type, entry.item_id)
        finally:
            store.close()
    elif change == "full-refresh":
        extra = ("--full-refresh",)
    else:
        (tmp_path / "export" / "drive" / "HR" / "new.txt").write_text("Overtime is paid at 1.5 times the rate.")
    second = grove(*extra)
    assert second["unchanged_since"] == "", change
    assert sum(s["tool_calls"] for s in second["sources"]) > 0, "the explorers listed the sources"
    assert first["run_id"] != second["run_id"]


def test_a_run_cut_short_by_a_limit_leaves_no_mark(grove):
    first = grove("--max-items", "1")
    assert any(s["skipped"] for s in first["sources"])
    second = grove("--max-items", "1")
    assert second["unchanged_since"] == "" and second["items"]["downloaded"] >= 1


def test_a_rerun_with_nothing_to_do_loads_no_agent_library(tmp_path, tiny_sources):
    argv = _argv(tmp_path, tiny_sources)
    script = (
        "import json, sys; from cli.main import main; rc = main(json.loads(sys.argv[1])); "
        "heavy = sorted({m.split('.')[0] for m in sys.modules} & {'langgraph', 'langchain_core', "
        "'composio', 'openai', 'pypdf', 'pdfplumber', 'docx', 'pptx', 'openpyxl'}); "
        "print(json.dumps(heavy), file=sys.stderr); raise SystemExit(rc)"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    runs = [
        subprocess.run(
            [sys.executable, "-c", script, json.dumps(argv)],
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp_path,
            timeout=300,
        )
        for _ in range(2)
    ]
    assert [r.returncode for r in runs] == [0, 0], runs[1].stderr[-2000:]
    first, second = (json.loads(r.stdout) for r in runs)
    assert second["unchanged_since"] == first["run_id"]
    assert "langgraph" in runs[0].stderr.splitlines()[-1]
    assert json.loads(runs[1].stderr.splitlines()[-1]) == []
