"""The local Notion and Xero connectors: Composio's slugs over a Notion export and Xero CSV exports."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sources_support import ROOT

from tools.sources.notion.local import LocalNotion
from tools.sources.xero.local import LocalXero

SAMPLE = ROOT / "examples" / "client-c-slack-notion-xero"


@pytest.mark.parametrize("packed", [False, True])
def test_notion_search_pages_parents_and_markdown(sink, tmp_path, packed):
    root = (
        Path(shutil.make_archive(str(tmp_path / "notion"), "zip", SAMPLE / "notion")) if packed else SAMPLE / "notion"
    )
    notion = LocalNotion(root, sink)
    first = notion.execute("NOTION_SEARCH_NOTION_PAGE", {"query": "", "page_size": 3})["data"]["response_data"]
    assert len(first["results"]) == 3 and first["has_more"] is True
    rest = notion.execute("NOTION_SEARCH_NOTION_PAGE", {"page_size": 3, "start_cursor": first["next_cursor"]})
    pages = first["results"] + rest["data"]["response_data"]["results"]
    titles = {p["properties"]["title"]["title"][0]["plain_text"]: p for p in pages}
    assert set(titles) == {
        "Company Handbook",
        "Leave Policy",
        "Expense Policy",
        "Wholesale Pricing 2026",
        "Roasting SOP",
    }
    leave = titles["Leave Policy"]
    assert leave["id"] == "7c1d2e3f-4051-6273-8495-a6b7c8d9e0f1"
    assert leave["parent"] == {"type": "page_id", "page_id": titles["Company Handbook"]["id"]}
    md = notion.execute("NOTION_GET_PAGE_MARKDOWN", {"page_id": "7c1d2e3f405162738495a6b7c8d9e0f1"})["data"]["markdown"]
    assert "## Booking leave" in md
    html = notion.execute("NOTION_GET_PAGE_MARKDOWN", {"page_id": titles["Roasting SOP"]["id"]})["data"]["markdown"]
    assert "## Batch sizes" in html and "Roaster 2 takes 25kg" in html
    blocks = notion.execute("NOTION_FETCH_BLOCK_CONTENTS", {"block_id": titles["Company Handbook"]["id"]})
    kinds = [b["type"] for b in blocks["data"]["block_child_data"]["results"]]
    assert kinds[0] == "heading_1" and kinds.count("child_page") == 2 and "bulleted_list_item" in kinds
    gone = notion.execute("NOTION_RETRIEVE_PAGE", {"page_id": "0" * 32})
    assert gone["successful"] is False and "object_not_found" in gone["error"]


def test_xero_invoices_contacts_accounts(sink):
    xero = LocalXero(SAMPLE / "xero", sink)
    invoices = xero.execute("XERO_LIST_INVOICES", {"page": 1})["data"]
    assert invoices["pagination"] == {"page": 1, "pageSize": 100, "pageCount": 1, "itemCount": 4}
    inv = next(i for i in invoices["Invoices"] if i["InvoiceNumber"] == "INV-0107")
    assert len(inv["LineItems"]) == 2 and inv["Total"] == 417.6 and inv["Contact"]["Name"] == "Copperpot Bistro"
    one = xero.execute("XERO_GET_INVOICE", {"invoice_id": inv["InvoiceID"]})["data"]["Invoices"]
    assert one == [inv]
    bills = xero.execute("XERO_LIST_INVOICES", {"where": 'Type=="ACCPAY"'})["data"]["Invoices"]
    assert [b["InvoiceNumber"] for b in bills] == ["BILL-2231"]
    overdue = xero.execute("XERO_LIST_INVOICES", {"Statuses": "AUTHORISED"})["data"]["Invoices"]
    assert len(overdue) == 3
    contacts = xero.execute("XERO_GET_CONTACTS", {"searchTerm": "deli"})["data"]["Contacts"]
    assert [c["Name"] for c in contacts] == ["Juniper Street Deli"] and contacts[0]["IsCustomer"] is True
    accounts = xero.execute("XERO_LIST_ACCOUNTS", {"where": 'Type=="REVENUE"'})["data"]["Accounts"]
    assert [a["Code"] for a in accounts] == ["200", "210"]
    bad = xero.execute("XERO_LIST_ACCOUNTS", {"where": "Code > 100"})
    assert bad["successful"] is False and "unsupported where clause" in bad["error"]


def test_xero_reads_excel_saved_csv_with_a_bom_and_starred_headers(tmp_path, sink):
    (tmp_path / "contacts export.csv").write_bytes(
        "*ContactName,EmailAddress\nHarbour Lane Cafe,a@b.example\n".encode("utf-8-sig")
    )
    contacts = LocalXero(tmp_path, sink).execute("XERO_GET_CONTACTS", {})["data"]["Contacts"]
    assert [(c["Name"], c["EmailAddress"]) for c in contacts] == [("Harbour Lane Cafe", "a@b.example")]
    empty = LocalXero(tmp_path / "nothing", sink).execute("XERO_LIST_ACCOUNTS", {})
    assert empty["successful"] is False and "not a folder or a zip file" in empty["error"]
