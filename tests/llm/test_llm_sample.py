"""The bundled sample through the model brain: every source, every batch, the same kinds of records as offline."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pytest
from llm_fakes import FakeModels
from llm_harness import run_llm
from llm_policies import reply_for

from kb.eval.questions import load_questions
from nodes.evaluation.evaluate import evaluate

SAMPLE = Path(__file__).resolve().parents[2] / "examples" / "client-a-enron"
QUESTIONS = SAMPLE.parents[1] / "eval" / "client-a-enron.jsonl"


@pytest.mark.slow  # end to end over the 225-message sample: about ten seconds
def test_the_sample_through_the_model_brain(tmp_path):
    sources = [
        {"type": "gmail", "path": str(SAMPLE / "gmail" / "All mail.mbox")},
        {"type": "drive", "path": str(SAMPLE / "drive")},
        {"type": "sheets", "path": str(SAMPLE / "sheets")},
    ]
    state, deps, ctx = run_llm(tmp_path, sources, FakeModels(partial(reply_for, page_size=50)), concurrency=8)
    # The model brain's KB is held to the same measures as the offline one (`grove eval`).
    quality = evaluate(deps.store(ctx), ctx.client_id, sources, load_questions(QUESTIONS))
    deps.store.close_all()
    report = state["report"]
    by_type = {s["type"]: s for s in report["sources"]}
    assert all(s["status"] == "ok" and s["skipped"] == 0 for s in by_type.values())
    assert by_type["gmail"]["listed"] == 225 and by_type["gmail"]["downloaded"] == 227
    assert report["brains"]["fallbacks"] == [] and all(b["brain"] == "model" for b in state["structures"])
    assert report["batches"]["ok"] == report["batches"]["total"] > 10
    assert report["entries"]["inserted"] > 300 and report["tree"]["entry_groups"] > 100
    kinds = {i["kind"] for r in state["explorations"] for i in r["items"]}
    assert kinds == {"message", "attachment", "file", "sheet"}
    usage = report["usage"]
    assert all(row["calls"] > 0 and row["total_tokens"] > 0 for row in usage["agents"].values())
    # Lean: the mailbox's explorer reads compact listings, not message bodies.
    assert usage["agents"]["explore-gmail-0"]["input_tokens"] < 150_000
    # What the pipeline guarantees whatever the model writes: every citation resolves, duplicates
    # are merged, topics share groups. Coverage and hit@k measure the model itself (this fake copies
    # only the start of each section), so they are reported by `grove eval`, not asserted here.
    assert quality["citations"]["rate"] == 1.0 and quality["citations"]["resolved"] == quality["entries"] > 300
    assert quality["duplicates"]["exact"] == 0 and quality["duplicates"]["near_rate"] <= 0.01
    assert quality["single_entry_groups"]["rate"] <= 0.4
