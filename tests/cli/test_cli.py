"""The `grove` command line: run --json, tree, search, forum and argument errors."""

from __future__ import annotations

import json

import pytest

from cli.main import main


@pytest.fixture
def ran(tmp_path, tiny_sources, capsys):
    """Run `grove run --json` over a tiny export and return (db path, report)."""
    db = str(tmp_path / "kb.db")
    argv = [
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
    ]
    for src in tiny_sources:
        argv += ["--source", f"{src['type']}={src['path']}"]
    assert main(argv) == 0
    return db, json.loads(capsys.readouterr().out)


def test_run_json_report_has_the_documented_shape(ran):
    _, report = ran
    assert {
        "run_id",
        "client_id",
        "brain",
        "db",
        "wall_time_s",
        "sources",
        "batches",
        "items",
        "entries",
        "tree",
        "forum",
        "write_errors",
        "failures",
    } <= set(report)
    assert report["client_id"] == "acme" and report["brain"] == "offline"
    assert sorted(s["type"] for s in report["sources"]) == ["drive", "gmail", "sheets"]
    assert report["entries"]["inserted"] >= 5


def test_tree_json_has_three_levels(ran, capsys):
    db, _ = ran
    assert main(["tree", "--client", "acme", "--db", db, "--json"]) == 0
    tree = json.loads(capsys.readouterr().out)["tree"]
    assert tree and all(d["level"] == "domain" for d in tree)
    for d in tree:
        for s in d["children"]:
            assert s["level"] == "skill"
            assert all(g["level"] == "entry_group" and g["entries"] >= 1 for g in s["children"])


def test_search_answers_a_plain_question_with_a_locator(ran, capsys):
    db, _ = ran
    assert (
        main(["search", "how many days of paid leave do employees get?", "--client", "acme", "--db", db, "--json"]) == 0
    )
    hits = json.loads(capsys.readouterr().out)["hits"]
    assert hits[0]["locator"].startswith("drive:HR/handbook.md#")
    assert {"title", "path", "snippet", "locator"} <= set(hits[0])
    assert len(hits[0]["path"].split("/")) == 3


def test_search_is_scoped_by_client_and_subtree(ran, capsys):
    db, _ = ran
    assert main(["search", "paid leave", "--client", "someone-else", "--db", db, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["hits"] == []
    assert main(["search", "paid leave", "--client", "acme", "--under", "Sales", "--db", db, "--json"]) == 0
    assert all(h["path"].startswith("Sales/") for h in json.loads(capsys.readouterr().out)["hits"])


def test_forum_lists_scrubbed_patterns_with_filters(ran, capsys):
    db, _ = ran
    assert main(["forum", "--source-type", "drive", "--phase", "structure", "--db", db, "--json"]) == 0
    posts = json.loads(capsys.readouterr().out)["posts"]
    assert posts and all(p["source_type"] == "drive" and p["phase"] == "structure" for p in posts)
    assert main(["forum", "--db", db, "--json"]) == 0
    bodies = " ".join(p["body"] for p in json.loads(capsys.readouterr().out)["posts"])
    assert "@" not in bodies and "ann" not in bodies.lower()


def test_plain_output_prints_the_tree_and_hits(ran, capsys):
    db, _ = ran
    assert main(["tree", "--client", "acme", "--db", db]) == 0
    assert "entries)" in capsys.readouterr().out
    assert main(["search", "confidentiality agreement", "--client", "acme", "--db", db]) == 0
    assert "drive:Legal/nda.txt" in capsys.readouterr().out


def test_bad_source_arguments_are_refused_with_the_reason(tmp_path, capsys):
    for bad in ["slack=/x", "gmail", f"drive={tmp_path / 'nope'}"]:
        with pytest.raises(SystemExit) as exited:
            main(["run", "--client", "a", "--source", bad])
        assert exited.value.code == 2
        assert "--source" in capsys.readouterr().err
    assert main(["run", "--client", "a"]) == 2
    assert "give at least one --source" in capsys.readouterr().err


def test_a_client_taxonomy_replaces_the_built_in_one(tmp_path, tiny_sources, capsys):
    taxonomy = tmp_path / "taxonomy.json"
    taxonomy.write_text(
        json.dumps(
            {
                "fallback": {"domain": "Everything else", "skill": "Unsorted"},
                "domains": [
                    {"name": "Contracts", "keywords": ["nda"], "skills": [{"name": "NDAs", "keywords": ["nda"]}]}
                ],
            }
        )
    )
    db = str(tmp_path / "kb.db")
    argv = ["run", "--client", "acme", "--db", db, "--workspace-root", str(tmp_path / "ws"), "--isolation", "process"]
    argv += [arg for src in tiny_sources for arg in ("--source", f"{src['type']}={src['path']}")]
    assert main([*argv, "--taxonomy", str(taxonomy), "--json"]) == 0
    capsys.readouterr()
    assert main(["tree", "--client", "acme", "--db", db, "--json"]) == 0
    domains = {d["name"]: d for d in json.loads(capsys.readouterr().out)["tree"]}
    assert set(domains) == {"Contracts", "Everything else"}
    assert [s["name"] for s in domains["Contracts"]["children"]] == ["NDAs"]


def test_a_bad_taxonomy_file_is_named_before_the_run(tmp_path, tiny_sources, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text('{"domains": [{"name": "Legal", "skills": []}]}')
    argv = ["run", "--client", "acme", "--db", str(tmp_path / "kb.db"), "--source", f"drive={tiny_sources[0]['path']}"]
    assert main([*argv, "--taxonomy", str(bad)]) == 2
    err = capsys.readouterr().err
    assert str(bad) in err and "every domain at least one skill" in err
    assert main([*argv, "--taxonomy", str(tmp_path / "missing.json")]) == 2
    assert "missing.json" in capsys.readouterr().err
    assert not (tmp_path / "kb.db").exists()
