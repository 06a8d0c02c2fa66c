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


def run_pipeline(
    tmp_path: Path, sources: list[dict], deps=None, concurrency: int = 8, **settings
) -> tuple[dict, object]:
    """Run the pipeline graph; return (final state, deps) so tests can inspect the store."""
    deps = deps or default_deps()
    ctx = Context(
        client_id=settings.pop("client_id", "a"),
        sources=sources,
        db=str(tmp_path / "kb.db"),
        workspace_root=str(tmp_path / "ws"),
        isolation=settings.pop("isolation", "process"),
        **settings,
    )
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
