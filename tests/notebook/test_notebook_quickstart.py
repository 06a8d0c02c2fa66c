"""examples/quickstart.ipynb is kept without outputs and runs top to bottom on the bundled sample."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat", reason="the notebook test needs nbformat, nbclient, ipykernel (dev extra)")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "examples" / "quickstart.ipynb"


def text_of(cell) -> str:
    return "".join(
        out.get("text", "") or "".join(out.get("data", {}).get("text/plain", "")) for out in cell.get("outputs", [])
    )


def test_the_notebook_is_committed_without_outputs():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(c.outputs == [] and c.execution_count is None for c in code)


@pytest.mark.allow_hosts(["127.0.0.1"])  # the kernel talks to this process over loopback ports
def test_the_notebook_runs_the_pipeline_shows_the_tree_and_answers(tmp_path, monkeypatch):
    monkeypatch.setenv("TMPDIR", str(tmp_path))  # the notebook's KB, workspaces and export land here
    monkeypatch.setenv("LANGSMITH_TRACING", "false")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbclient.NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(ROOT / "examples")}}
    ).execute()
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not any(o.get("output_type") == "error" for o in c.outputs) for c in code)
    out = "\n".join(text_of(c) for c in code)

    assert re.search(r"gmail-0\s+ok\s+listed=\d+ downloaded=[1-9]", out)
    assert "'item_downloaded'" in out and "'batch_structured'" in out
    assert re.search(r"^(Finance|HR|Legal|Regulatory)$", out, re.M), "the tree's domains are printed"
    assert re.search(r"^  \S.*\(\d+ entry groups?\)$", out, re.M), "and their skills"
    assert "Regulatory/" in out and "[drive:Regulatory/TWFERCExtension.doc#" in out
    assert "source: drive:HR/Forms/" in out, "kb_query cites the fitness center form"
    assert re.search(r"enron-sample\.html \d+ KiB", out)
    assert list(tmp_path.glob("grove-quickstart-*/enron-sample.html"))
