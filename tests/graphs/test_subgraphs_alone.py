"""The explorer and structurer graphs each run alone from their own input, as Studio runs them."""

from __future__ import annotations

from graphs.explorer import build_explorer_graph
from graphs.structurer import build_structurer_graph
from nodes.context import Context
from nodes.deps import default_deps


def test_explorer_then_structurer_by_hand(tmp_path, tiny_sources):
    deps = default_deps()
    ctx = Context(
        client_id="solo", db=str(tmp_path / "kb.db"), workspace_root=str(tmp_path / "ws"), isolation="process"
    )
    drive = next(s for s in tiny_sources if s["type"] == "drive")
    out = build_explorer_graph(deps).invoke({"run_id": "r1", "source": drive, "source_key": "drive-0"}, context=ctx)
    (record,) = out["explorations"]
    assert record["status"] == "ok" and record["downloaded"] == 2
    assert all(item["path"].startswith(str(tmp_path / "ws")) for item in record["items"])
    assert "bytes" not in record["items"][0] and len(record["items"][0]["sha256"]) == 64
    assert out["forum_drafts"] and out["forum_drafts"][0]["phase"] == "explore"

    batch = {"batch_id": "batch-00000", "items": record["items"]}
    out = build_structurer_graph(deps).invoke({"run_id": "r1", "batch": batch, "tree": []}, context=ctx)
    (structured,) = out["structures"]
    assert structured["status"] == "ok" and structured["failures"] == []
    locators = sorted(d["locator"].split("#")[0] for d in structured["drafts"])
    assert locators == ["drive:HR/handbook.md", "drive:Legal/nda.txt"]
    assert all(d["domain"] and d["skill"] and d["group"] for d in structured["drafts"])
    deps.store.close_all()


def test_structurer_reuses_names_from_the_existing_tree(tmp_path, tiny_sources):
    deps = default_deps()
    ctx = Context(
        client_id="solo", db=str(tmp_path / "kb.db"), workspace_root=str(tmp_path / "ws"), isolation="process"
    )
    drive = next(s for s in tiny_sources if s["type"] == "drive")
    record = build_explorer_graph(deps).invoke({"run_id": "r2", "source": drive, "source_key": "d"}, context=ctx)[
        "explorations"
    ][0]
    tree = [{"domain": "LEGAL", "skill": "contracts & agreements", "group": "NDA"}]
    out = build_structurer_graph(deps).invoke(
        {"run_id": "r2", "batch": {"batch_id": "b", "items": record["items"]}, "tree": tree}, context=ctx
    )
    legal = [d for d in out["structures"][0]["drafts"] if d["locator"].startswith("drive:Legal/")]
    assert legal and legal[0]["domain"] == "LEGAL" and legal[0]["skill"] == "contracts & agreements"
    deps.store.close_all()
