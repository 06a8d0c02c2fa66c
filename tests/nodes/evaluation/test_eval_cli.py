"""`grove eval` end to end on a tiny export: every measure, the JSON shape, thresholds and exit codes."""

from __future__ import annotations

import json

from cli.main import main


def _sources(tiny_sources):
    return [arg for src in tiny_sources for arg in ("--source", f"{src['type']}={src['path']}")]


def test_eval_reports_every_measure_and_fails_thresholds(tmp_path, tiny_sources, capsys):
    db = str(tmp_path / "kb.db")
    assert (
        main(
            [
                "run",
                "--client",
                "acme",
                "--db",
                db,
                "--workspace-root",
                str(tmp_path / "ws"),
                "--isolation",
                "process",
                "--json",
                *_sources(tiny_sources),
            ]
        )
        == 0
    )
    capsys.readouterr()
    questions = tmp_path / "q.jsonl"
    questions.write_text(
        "\n".join(
            json.dumps(q)
            for q in [
                {"question": "how many days of paid leave do employees get?", "expected": "drive:HR/handbook.md"},
                {"question": "what is the consulting fee on invoice 77?", "expected": "invoice.txt"},
                {"question": "zebra migration patterns", "expected": "drive:Zoo/zebras.pdf"},
            ]
        )
    )
    argv = ["eval", "--client", "acme", "--db", db, "--questions", str(questions), "--json", *_sources(tiny_sources)]
    assert main(argv + ["--min-citations", "1.0", "--min-coverage", "0.99"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["entries"] >= 5
    assert report["coverage"]["mean"] == 1.0 and report["coverage"]["items"] >= 6
    assert report["citations"]["rate"] == 1.0 and report["citations"]["unresolved"] == []
    assert report["duplicates"]["exact"] == 0
    assert 0 <= report["single_entry_groups"]["rate"] <= 1
    retrieval = report["retrieval"]
    assert (retrieval["hits"], retrieval["questions"]) == (2, 3)
    assert retrieval["misses"][0]["expected"] == ["drive:Zoo/zebras.pdf"]
    assert main(argv + ["--min-hit-rate", "0.9"]) == 1
    assert json.loads(capsys.readouterr().out)["failed_thresholds"] == ["hit@k 0.667 < 0.9"]
    assert main(["eval", "--client", "acme", "--db", db, "--questions", str(questions)]) == 0
    table = capsys.readouterr().out
    assert "hit@5" in table and "66.7%" in table and "zebra migration patterns" in table


def test_eval_without_sources_cannot_check_coverage(tmp_path, capsys):
    db = str(tmp_path / "empty.db")
    assert main(["eval", "--client", "nobody", "--db", db, "--json", "--min-coverage", "0.5"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["entries"] == 0 and report["coverage"] is None
    assert report["failed_thresholds"] == ["coverage: not measured (give --source)"]
