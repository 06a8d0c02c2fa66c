"""Failure isolation: failed items become records; past the threshold the run aborts, keeping what it wrote."""

from __future__ import annotations

import json

from cli.main import main
from nodes.context import Context
from nodes.deps import default_deps, make_explorer_tools


def run(tmp_path, sources, deps=None, **settings):
    from graphs.pipeline import build_pipeline_graph

    deps = deps or default_deps()
    ctx = Context(
        client_id="f",
        sources=sources,
        db=str(tmp_path / "kb.db"),
        workspace_root=str(tmp_path / "ws"),
        isolation="process",
        **settings,
    )
    report = build_pipeline_graph(deps).invoke({}, context=ctx)["report"]
    entries = deps.store(ctx).entries("f")
    deps.store.close_all()
    return report, entries


def test_few_failures_make_a_partial_run_that_lists_them(tmp_path, tiny_sources):
    drive = tmp_path / "export" / "drive"
    (drive / "HR" / "broken.pdf").write_bytes(b"%PDF-1.4 this is not really a pdf")
    report, entries = run(tmp_path, tiny_sources)
    assert report["status"] == "partial" and not report["aborted"]
    assert [f["locator"] for f in report["failures"]] == ["drive:HR/broken.pdf"]
    assert entries


def test_many_structuring_failures_abort_but_keep_what_was_written(tmp_path, tiny_sources):
    drive = tmp_path / "export" / "drive" / "Bad"
    drive.mkdir()
    for n in range(6):
        (drive / f"broken{n}.pdf").write_bytes(b"%PDF-1.4 garbage " + bytes([n]))
    report, entries = run(tmp_path, tiny_sources)
    assert report["status"] == "aborted" and "failed while structuring" in report["aborted"]
    assert len(report["failures"]) == 6
    assert entries, "entries of the good items are still written"


def test_many_download_failures_abort_before_structuring(tmp_path, tiny_sources):
    def failing_downloads(ctx, source, sandbox):
        runner = make_explorer_tools(ctx, source, sandbox)
        original = runner.invoke

        def invoke(name, args):
            if name in ("GOOGLEDRIVE_DOWNLOAD_FILE", "GMAIL_FETCH_MESSAGE_BY_MESSAGE_ID"):
                return {"successful": False, "data": {}, "error": "403 forbidden by the domain policy"}
            return original(name, args)

        runner.invoke = invoke
        return runner

    report, entries = run(tmp_path, tiny_sources, deps=default_deps(explorer_tools=failing_downloads))
    assert report["status"] == "aborted" and "failed while exploring" in report["aborted"]
    assert report["batches"]["total"] == 0 and entries == []
    assert {f["reason"] for f in report["failures"]} == {"403 forbidden by the domain policy"}


def test_retry_failed_reprocesses_only_the_failed_items(tmp_path, tiny_sources, capsys):
    notes = tmp_path / "export" / "drive" / "HR" / "notes.md"
    notes.write_text("")
    db = str(tmp_path / "kb.db")
    argv = [
        "run",
        "--client",
        "f",
        "--db",
        db,
        "--workspace-root",
        str(tmp_path / "ws"),
        "--isolation",
        "process",
        "--run-id",
        "first",
        "--json",
    ]
    for src in tiny_sources:
        argv += ["--source", f"{src['type']}={src['path']}"]
    assert main(argv) == 0
    first = json.loads(capsys.readouterr().out)
    assert [f["reason"] for f in first["failures"]] == ["empty file"]

    notes.write_text("Interviews happen on Tuesdays.")
    assert main(["run", "--retry-failed", "first", "--db", db, "--json"]) == 0
    retry = json.loads(capsys.readouterr().out)
    assert retry["run_id"] != "first" and retry["status"] == "ok"
    assert retry["items"]["downloaded"] == 1 and retry["entries"]["inserted"] == 1
    assert main(["run", "--retry-failed", retry["run_id"], "--db", db, "--json"]) == 2
    assert "left no failed items" in capsys.readouterr().err


def test_resume_of_an_unknown_run_names_it(tmp_path, capsys):
    assert main(["run", "--resume", "nope", "--db", str(tmp_path / "kb.db")]) == 2
    assert "no run 'nope'" in capsys.readouterr().err
