"""The local Slack connector: Composio's slugs over a workspace export (folder or zip), Slack's shapes and cursors."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sources_support import ROOT

from tools.sources.slack.local import LocalSlack

EXPORT = ROOT / "examples" / "client-c-slack-notion-xero" / "slack"


@pytest.fixture(params=["folder", "zip"])
def slack(request, tmp_path, sink) -> LocalSlack:
    if request.param == "folder":
        return LocalSlack(EXPORT, sink)
    archive = shutil.make_archive(str(tmp_path / "export"), "zip", EXPORT)
    return LocalSlack(Path(archive), sink)


def test_channels_page_with_cursors(slack):
    first = slack.execute("SLACK_LIST_ALL_CHANNELS", {"limit": 2})
    assert first["successful"] and [c["name"] for c in first["data"]["channels"]] == ["people", "roastery-ops"]
    cursor = first["data"]["response_metadata"]["next_cursor"]
    second = slack.execute("SLACK_LIST_ALL_CHANNELS", {"limit": 2, "cursor": cursor})
    assert [c["name"] for c in second["data"]["channels"]] == ["wholesale-orders"]
    assert second["data"]["response_metadata"]["next_cursor"] == ""


def test_history_is_the_main_timeline_and_threads_hold_replies(slack):
    history = slack.execute("SLACK_FETCH_CONVERSATION_HISTORY", {"channel": "C02WHL1"})["data"]
    texts = [m["text"] for m in history["messages"]]
    assert len(texts) == 4 and texts[0].startswith("Price list attached")  # newest first, no replies
    parent = next(m for m in history["messages"] if m.get("reply_count") == 2)
    thread = slack.execute(
        "SLACK_FETCH_MESSAGE_THREAD_FROM_A_CONVERSATION", {"channel": "wholesale-orders", "ts": parent["ts"]}
    )["data"]["messages"]
    assert [m["user"] for m in thread] == ["U01AA1", "U01AA4", "U01AA2"] and thread[0]["ts"] == parent["ts"]
    missing = slack.execute("SLACK_FETCH_MESSAGE_THREAD_FROM_A_CONVERSATION", {"channel": "C02WHL1", "ts": "1.0"})
    assert missing["successful"] is False and "thread_not_found" in missing["error"]


def test_users_files_and_download(slack, sink):
    users = slack.execute("SLACK_LIST_ALL_USERS", {})["data"]["members"]
    assert {u["real_name"] for u in users} >= {"Maren Ostby", "Jules Carraway"}
    files = slack.execute("SLACK_LIST_FILES_WITH_FILTERS_IN_SLACK", {"channel": "C02WHL1"})["data"]
    assert [f["id"] for f in files["files"]] == ["F03PRICE1"] and files["paging"]["pages"] == 1
    got = slack.execute("SLACK_DOWNLOAD_SLACK_FILE", {"file": "F03PRICE1"})["data"]["downloaded_file_content"]
    assert Path(got["s3url"]).read_text().startswith("Brightwater Coffee Roasters")
    assert sink.written == ["downloads/slack/F03PRICE1/wholesale-price-list-2026.txt"]
    unknown = slack.execute("SLACK_FETCH_CONVERSATION_HISTORY", {"channel": "nope"})
    assert unknown["successful"] is False and "channel_not_found" in unknown["error"]


def test_a_folder_that_is_not_an_export_fails_with_a_reason(tmp_path, sink):
    out = LocalSlack(tmp_path, sink).execute("SLACK_LIST_ALL_CHANNELS", {})
    assert out["successful"] is False and "not a Slack export (no channels.json)" in out["error"]
