"""`grove demo` runs on the sample of a checkout, on --sample DIR, or says where the sample lives."""

from __future__ import annotations

import json
import shutil

import pytest

from cli.main import main


def test_demo_without_a_sample_names_the_checkout_and_the_option(tmp_path, capsys):
    with pytest.raises(SystemExit) as exited:
        main(["demo", "--sample", str(tmp_path / "nowhere"), "--db", str(tmp_path / "kb.db")])
    message = str(exited.value.code)
    assert "All mail.mbox" in message and "source checkout" in message and "--sample DIR" in message
    assert not (tmp_path / "kb.db").exists()


def test_demo_runs_on_a_sample_given_with_the_option(tmp_path, tiny_sources, capsys):
    sample = tmp_path / "sample"
    paths = {s["type"]: s["path"] for s in tiny_sources}
    (sample / "gmail").mkdir(parents=True)
    shutil.copy(paths["gmail"], sample / "gmail" / "All mail.mbox")
    shutil.copytree(paths["drive"], sample / "drive")
    shutil.copytree(paths["sheets"], sample / "sheets")
    assert main(["demo", "--sample", str(sample), "--db", str(tmp_path / "kb.db"), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["client_id"] == "demo" and report["entries"]["inserted"] >= 5
    assert sorted(s["type"] for s in report["sources"]) == ["drive", "gmail", "sheets"]
