"""Online sources end to end: Composio's real tool wrapping against a loopback API, files fetched from s3urls."""

from __future__ import annotations

from pathlib import Path

import pytest
from composio_loopback import ComposioLoopback
from sources_support import DirSink

from graphs.pipeline import build_pipeline_graph
from nodes.context import Context
from nodes.deps import default_deps
from tools.sources import remote_files
from tools.sources.errors import ToolFailure
from tools.sources.notion.local import LocalNotion
from tools.sources.remote_files import RemotePolicy, fetch_remote
from tools.sources.slack.local import LocalSlack
from tools.sources.toolkits import READ_TOOLS
from tools.sources.xero.local import LocalXero

pytestmark = pytest.mark.allow_hosts(["127.0.0.1"])


@pytest.fixture
def loopback(monkeypatch, tmp_path):
    sample = Path(__file__).resolve().parents[3] / "examples" / "client-c-slack-notion-xero"
    outside = DirSink(tmp_path / "composio-storage")  # where the replayed Slack connector keeps files it serves
    replay = {
        "SLACK_": LocalSlack(sample / "slack", outside),
        "NOTION_": LocalNotion(sample / "notion", outside),
        "XERO_": LocalXero(sample / "xero", outside),
    }
    with ComposioLoopback(replay) as server:
        monkeypatch.setenv("COMPOSIO_API_KEY", "test-key-not-real")
        monkeypatch.setenv("COMPOSIO_BASE_URL", server.base)
        monkeypatch.setattr("composio.core.models.base.push_event", lambda event: None)
        # The test setting: plain http to the loopback server only. Production allows https alone.
        monkeypatch.setattr(remote_files, "POLICY", RemotePolicy(http_hosts=frozenset({"127.0.0.1"})))
        yield server


def test_production_policy_allows_https_only():
    assert remote_files.RemotePolicy().http_hosts == frozenset()
    with pytest.raises(ToolFailure, match="only https"):
        fetch_remote("http://127.0.0.1:9/file", lambda data: Path("/nonexistent"))
    with pytest.raises(ToolFailure, match="only https"):
        fetch_remote("ftp://files.example/x", lambda data: Path("/nonexistent"))


def test_every_online_read_tool_runs_and_each_file_lands_parsed(loopback, tmp_path):
    sources = [{"type": t, "connection": "composio"} for t in ("gmail", "drive", "sheets")]
    ctx = Context(
        client_id="northwind",
        sources=sources,
        db=str(tmp_path / "kb.db"),
        workspace_root=str(tmp_path / "ws"),
        isolation="process",
        keep_workspaces=True,
    )
    deps = default_deps()
    state = build_pipeline_graph(deps).invoke({}, context=ctx, config={"max_concurrency": 4})
    report = state["report"]
    assert report["failures"] == [], [f["reason"] for f in report["failures"]]
    assert {s["status"] for s in report["sources"]} == {"ok"}
    assert report["items"]["downloaded"] == 4 and report["items"]["parsed"] == 4

    # The explorer fetched the attachment through a redirect and the Drive file directly, both from s3urls.
    assert loopback.fetched.count("/s3/redirect/att1") == 1 and loopback.fetched.count("/s3/files/att1") == 1
    assert loopback.fetched.count("/s3/files/leave-policy") == 1
    landed = sorted(p.relative_to(tmp_path / "ws") for p in (tmp_path / "ws").rglob("*") if p.is_file())
    names = {p.name for p in landed}
    assert {"cleaning-schedule.pdf", "Leave policy 2026.html", "Q1.csv"} <= names, names
    assert all(p.parts[0].startswith("sandbox_") for p in landed)

    entries = deps.store(ctx).entries(client_id="northwind")
    by_item = {e.locator.split("#")[0]: e.content for e in entries}
    assert "windows monthly" in by_item["gmail:18f3a1b2c3d4e5f6/cleaning-schedule.pdf"]
    assert "27 days of paid leave" in by_item["drive:HR/Leave policy 2026.html"]
    assert "13800" in by_item["sheets:Budget 2026/Q1"]
    assert "1,150 per month" in by_item["gmail:18f3a1b2c3d4e5f6"]
    deps.store.close_all()

    # Tools the offline brain does not need are still executed once through the same wrapping.
    from tools.scoping import build_source_tools

    for source_type, extra in (
        ("gmail", {"GMAIL_FETCH_MESSAGE_BY_THREAD_ID": {"thread_id": "18f3a1b2c3d4e5f6"}, "GMAIL_LIST_LABELS": {}}),
        (
            "drive",
            {"GOOGLEDRIVE_FIND_FILE": {"q": "leave"}, "GOOGLEDRIVE_GET_FILE_METADATA": {"fileId": "1DoCLeave2026"}},
        ),
        (
            "sheets",
            {
                "GOOGLESHEETS_GET_SPREADSHEET_INFO": {"spreadsheet_id": "1ShEeTbUdGeT"},
                "GOOGLESHEETS_BATCH_GET": {"spreadsheet_id": "1ShEeTbUdGeT", "ranges": ["Q1!A1:C2"]},
            },
        ),
    ):
        tools = {
            t.name: t
            for t in build_source_tools({"type": source_type, "connection": "composio"}, None, user_id="northwind")
        }
        for name, args in extra.items():
            out = tools[name].invoke(args)
            assert out["successful"] is True and out["data"], name
    executed = {slug for slug, _ in loopback.executed}
    assert executed == {slug for tk in ("gmail", "googledrive", "googlesheets") for slug in READ_TOOLS[tk]}


@pytest.mark.parametrize(
    "path, policy, reason",
    [
        ("/s3/redirect/http-elsewhere", {}, "only https"),
        ("/s3/files/error-page", {}, "refused content type 'text/html'"),
        ("/s3/files/big", {"max_bytes": 1000}, "too large"),
        ("/s3/files/missing", {}, "HTTP 404"),
        ("/s3/files/slow", {"timeout": 0.3}, "timed out"),
    ],
)
def test_a_remote_file_outside_the_limits_is_refused_with_its_reason(loopback, tmp_path, path, policy, reason):
    written = []
    rules = RemotePolicy(http_hosts=frozenset({"127.0.0.1"}), **policy)
    with pytest.raises(ToolFailure, match=reason):
        fetch_remote(loopback.base + path + "?X-Amz-Signature=secret", written.append, policy=rules)
    assert written == []


def test_a_failed_fetch_never_shows_the_presigned_query(loopback):
    with pytest.raises(ToolFailure) as caught:
        fetch_remote(
            loopback.base + "/s3/files/missing?X-Amz-Signature=secret",
            lambda data: Path("."),
            policy=RemotePolicy(http_hosts=frozenset({"127.0.0.1"})),
        )
    assert "secret" not in str(caught.value)


def test_slack_notion_and_xero_run_online_like_their_exports(loopback, tmp_path):
    sources = [{"type": t, "connection": "composio"} for t in ("slack", "notion", "xero")]
    ctx = Context(
        client_id="c",
        sources=sources,
        db=str(tmp_path / "kb.db"),
        workspace_root=str(tmp_path / "ws"),
        isolation="process",
    )
    report = build_pipeline_graph(default_deps()).invoke({}, context=ctx)["report"]
    assert report["failures"] == [], [f["reason"] for f in report["failures"]]
    assert {s["type"]: s["downloaded"] for s in report["sources"]} == {"slack": 5, "notion": 5, "xero": 3}
    assert report["items"]["parsed"] == 13
    assert [p for p in loopback.fetched if p.startswith("/s3/files/replayed-")] == ["/s3/files/replayed-4"]
    asked = {slug for slug, _ in loopback.executed}
    assert {"SLACK_DOWNLOAD_SLACK_FILE", "NOTION_GET_PAGE_MARKDOWN", "XERO_LIST_INVOICES"} <= asked
    assert not tmp_path.joinpath("ws").exists() or not any(tmp_path.joinpath("ws").iterdir())  # workspaces cleaned
