"""Local tools are Composio's LangGraph StructuredTools, invoked like the online ones."""

from __future__ import annotations

from pathlib import Path

import pytest
from composio_langgraph.provider import StructuredTool as ComposioStructuredTool
from langchain_core.tools import StructuredTool
from sources_support import SAMPLE

from tools.sources.local import local_source_tools
from tools.sources.toolkits import READ_TOOLS, SOURCE_TOOLKIT


@pytest.mark.parametrize("source_type", sorted(SOURCE_TOOLKIT))
def test_wrapped_tools_have_names_and_arg_schemas(source_type, sink):
    tools = local_source_tools(source_type, SAMPLE / source_type, sink)
    assert all(isinstance(t, StructuredTool) and isinstance(t, ComposioStructuredTool) for t in tools)
    assert tuple(t.name for t in tools) == READ_TOOLS[SOURCE_TOOLKIT[source_type]]
    for tool in tools:
        schema = tool.args_schema.model_json_schema()
        assert schema["properties"] and tool.description


def test_gmail_tools_invoke(sink):
    tools = {t.name: t for t in local_source_tools("gmail", SAMPLE / "gmail", sink)}
    assert set(tools["GMAIL_FETCH_EMAILS"].args) >= {"query", "max_results", "page_token", "label_ids", "ids_only"}
    assert tools["GMAIL_FETCH_MESSAGE_BY_MESSAGE_ID"].args_schema.model_json_schema()["required"] == ["message_id"]
    listed = tools["GMAIL_FETCH_EMAILS"].invoke({"max_results": 3, "ids_only": True})
    assert listed["successful"] and len(listed["data"]["messages"]) == 3
    message_id = listed["data"]["messages"][0]["messageId"]
    one = tools["GMAIL_FETCH_MESSAGE_BY_MESSAGE_ID"].invoke({"message_id": message_id, "format": "metadata"})
    assert one["data"]["messageId"] == message_id and "messageText" not in one["data"]
    assert tools["GMAIL_LIST_LABELS"].invoke({})["data"]["labels"][0]["id"] == "INBOX"


def test_drive_and_sheets_tools_invoke(sink):
    drive = {t.name: t for t in local_source_tools("drive", SAMPLE / "drive", sink)}
    found = drive["GOOGLEDRIVE_FIND_FILE"].invoke({"q": "name contains 'ubswe'"})
    [item] = found["data"]["files"]
    saved = drive["GOOGLEDRIVE_DOWNLOAD_FILE"].invoke({"fileId": item["id"]})
    assert Path(saved["data"]["downloaded_file_content"]["s3url"]).is_file()
    sheets = {t.name: t for t in local_source_tools("sheets", str(SAMPLE / "sheets"), sink)}
    listed = sheets["GOOGLESHEETS_SEARCH_SPREADSHEETS"].invoke({"query": "PCS"})
    [sheet] = listed["data"]["spreadsheets"]
    got = sheets["GOOGLESHEETS_VALUES_GET"].invoke({"spreadsheet_id": sheet["id"], "range": "A3:B3"})
    assert [v.strip() for v in got["data"]["values"][0]] == ["PCSNITFER", "ENA"]


def test_missing_required_argument_is_reported_not_raised(sink):
    tools = {t.name: t for t in local_source_tools("drive", SAMPLE / "drive", sink)}
    out = tools["GOOGLEDRIVE_GET_FILE_METADATA"].invoke({})
    assert "fileId" in str(out) or "validation" in str(out).lower()


def test_tools_of_two_sources_of_one_type_each_read_their_own_export(sink, tmp_path):
    """Wrapped tools share one argument model per schema but never each other's connector."""
    (tmp_path / "Only here").mkdir()
    (tmp_path / "Only here" / "notes.txt").write_text("just one file")
    sample = {t.name: t for t in local_source_tools("drive", SAMPLE / "drive", sink)}
    other = {t.name: t for t in local_source_tools("drive", tmp_path, sink)}
    assert sample["GOOGLEDRIVE_LIST_FILES"].args_schema is other["GOOGLEDRIVE_LIST_FILES"].args_schema
    sample_names = {f["name"] for f in sample["GOOGLEDRIVE_LIST_FILES"].invoke({})["data"]["files"]}
    other_names = {f["name"] for f in other["GOOGLEDRIVE_LIST_FILES"].invoke({})["data"]["files"]}
    assert "notes.txt" in other_names and "notes.txt" not in sample_names
    assert len(sample_names) > len(other_names)
