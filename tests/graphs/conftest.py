"""Shared fixtures for graph tests: the bundled sample and a way to run the pipeline on it."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphs.pipeline import build_pipeline_graph
from nodes.context import Context
from nodes.deps import default_deps

SAMPLE = Path(__file__).resolve().parents[2] / "examples" / "client-a-enron"


def sample_sources() -> list[dict]:
    return [
        {"type": "gmail", "path": str(SAMPLE / "gmail" / "All mail.mbox")},
        {"type": "drive", "path": str(SAMPLE / "drive")},
        {"type": "sheets", "path": str(SAMPLE / "sheets")},
    ]


def run_pipeline(tmp_path: Path, sources: list[dict], deps=None, concurrency: int = 8, **settings) -> tuple[dict, object]:
    """Run the pipeline graph; return (final state, deps) so tests can inspect the store."""
    deps = deps or default_deps()
    ctx = Context(client_id=settings.pop("client_id", "a"), sources=sources, db=str(tmp_path / "kb.db"),
                  workspace_root=str(tmp_path / "ws"), isolation=settings.pop("isolation", "process"), **settings)
    graph = build_pipeline_graph(deps)
    state = graph.invoke({}, context=ctx, config={"max_concurrency": concurrency})
    return state, deps


@pytest.fixture
def pipeline():
    """The pipeline runner and the sample's sources, for tests that run their own pipeline."""
    return run_pipeline, sample_sources


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory):
    """One offline run over the whole bundled sample, shared by the end-to-end assertions."""
    tmp = tmp_path_factory.mktemp("sample")
    state, deps = run_pipeline(tmp, sample_sources())
    ctx = Context(client_id="a", db=str(tmp / "kb.db"))
    yield state["report"], deps.store(ctx), tmp
    deps.store.close_all()


def make_tiny_sources(root: Path) -> list[dict]:
    """A small export of each kind: two mails (one with an attachment), two drive files, one sheet."""
    from email.message import EmailMessage
    import mailbox

    root.mkdir(parents=True, exist_ok=True)
    box = mailbox.mbox(str(root / "mail.mbox"))
    for n, (subject, body) in enumerate([("Quarterly budget", "The travel budget for Q3 is 12,500 dollars."),
                                         ("Re: Quarterly budget", "Approved. Invoice attached.")]):
        msg = EmailMessage()
        msg["From"], msg["To"], msg["Subject"] = "ann@example.com", "bob@example.com", subject
        msg["Message-ID"] = f"<m{n}@example.com>"
        msg["Date"] = f"Mon, 0{n + 1} Jan 2024 10:00:00 +0000"
        msg.set_content(body)
        if n == 1:
            msg.add_attachment(b"Invoice 77: consulting fee 900 dollars, due in 30 days.", maintype="text",
                               subtype="plain", filename="invoice.txt")
        box.add(msg)
    box.close()
    drive = root / "drive"
    (drive / "Legal").mkdir(parents=True, exist_ok=True)
    (drive / "Legal" / "nda.txt").write_text("This confidentiality agreement binds both parties for 2 years.")
    (drive / "HR").mkdir(exist_ok=True)
    (drive / "HR" / "handbook.md").write_text("# Leave policy\n\nEmployees get 25 days of paid leave.")
    sheets = root / "sheets"
    sheets.mkdir(exist_ok=True)
    (sheets / "Trades.csv").write_text("deal,volume,price\nD-1,10000,3.25\nD-2,5000,3.40\n")
    return [{"type": "gmail", "path": str(root / "mail.mbox")}, {"type": "drive", "path": str(drive)},
            {"type": "sheets", "path": str(sheets)}]


@pytest.fixture
def tiny_sources(tmp_path):
    return make_tiny_sources(tmp_path / "export")
