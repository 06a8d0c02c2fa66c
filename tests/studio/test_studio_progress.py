"""Progress you can watch: custom events from every phase, turned into bars whose totals match the report."""

from __future__ import annotations

import json

import cli.pipeline_run as pipeline_run
from cli.main import main
from cli.progress import RunProgress


class WatchedProgress(RunProgress):
    """The CLI's own progress bars, keeping every event they were fed."""

    last: "WatchedProgress | None" = None

    def __init__(self, console, enabled=True):
        super().__init__(console, enabled=False)
        self.events: list[dict] = []
        WatchedProgress.last = self

    def handle(self, event: dict) -> None:
        self.events.append(event)
        super().handle(event)

    def bars(self) -> dict[str, tuple[float, float | None]]:
        return {t.description.strip(): (t.completed, t.total) for t in self.progress.tasks}


def test_cli_run_feeds_every_phase_into_the_bars_and_the_report_keeps_totals(
    tmp_path, tiny_sources, capsys, monkeypatch
):
    monkeypatch.setattr(pipeline_run, "RunProgress", WatchedProgress)
    argv = [
        "run",
        "--client",
        "watch",
        "--db",
        str(tmp_path / "kb.db"),
        "--workspace-root",
        str(tmp_path / "ws"),
        "--isolation",
        "process",
        "--batch-size",
        "2",
        "--json",
    ]
    for src in tiny_sources:
        argv += ["--source", f"{src['type']}={src['path']}"]
    assert main(argv) == 0
    report = json.loads(capsys.readouterr().out)
    watched = WatchedProgress.last
    kinds = {e["event"] for e in watched.events}
    assert {
        "run_started",
        "source_listed",
        "item_downloaded",
        "batches_planned",
        "batch_structured",
        "entries_written",
        "run_finished",
    } <= kinds

    bars = watched.bars()
    for source in report["sources"]:
        done, total = bars[f"explore {source['source']}"]
        assert done == total == source["downloaded"] > 0, source["source"]
    assert bars["structure batches"] == (report["batches"]["total"], report["batches"]["total"])
    assert bars["write KB (batches)"] == (report["batches"]["total"], report["batches"]["total"])
    assert report["batches"]["total"] >= 3
    assert report["items"]["downloaded"] == sum(s["downloaded"] for s in report["sources"])
    finished = next(e for e in watched.events if e["event"] == "run_finished")
    assert finished["entries"] == report["entries"]
