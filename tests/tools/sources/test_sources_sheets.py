"""The local Sheets connector over the bundled workbooks and workbooks made here."""

from __future__ import annotations

import io
import shutil
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from sources_support import SAMPLE

from tools.sources.sheets.a1 import RangeError, parse_grid, split_sheet
from tools.sources.sheets.local import LocalSheets
from tools.sources.sheets.values import MAX_ROWS

SAMPLE_SHEETS = SAMPLE / "sheets"


def ids_by_name(sheets: LocalSheets) -> dict[str, str]:
    found, token = {}, None
    while True:
        out = sheets.execute("GOOGLESHEETS_SEARCH_SPREADSHEETS", {"max_results": 4, "page_token": token})
        assert out["successful"], out
        found.update({s["name"]: s["id"] for s in out["data"]["spreadsheets"]})
        token = out["data"]["next_page_token"]
        if not token:
            return found


def values(sheets: LocalSheets, sid: str, rng: str, **args) -> dict:
    out = sheets.execute("GOOGLESHEETS_VALUES_GET", {"spreadsheet_id": sid, "range": rng, **args})
    assert out["successful"], out
    return out["data"]


def test_search_pages_through_every_spreadsheet():
    ids = ids_by_name(LocalSheets(SAMPLE_SHEETS))
    assert sorted(ids) == sorted(p.stem for p in SAMPLE_SHEETS.iterdir())
    assert len(set(ids.values())) == 6


def test_known_cells_of_xlsx_and_csv():
    sheets = LocalSheets(SAMPLE_SHEETS)
    ids = ids_by_name(sheets)
    log = ids["Demand Letter Log 2002-02-28"]
    assert values(sheets, log, "Sheet1!A2")["values"] == [["AIG Commodity Arbitrage Fund Limited"]]
    assert values(sheets, log, "A2")["values"] == [["AIG Commodity Arbitrage Fund Limited"]]
    plants = ids["Proposed EG Projects WSCC"]
    row = values(sheets, plants, "Sheet1!C5:I5")
    assert row == {
        "range": "Sheet1!C5:I5",
        "majorDimension": "ROWS",
        "values": [["Harquahala Generating Station", "Arizona", "Combined", "Gas", "4-1-1", "1040", "2003-09-01"]],
    }
    raw = values(sheets, plants, "Sheet1!H5:I5", value_render_option="UNFORMATTED_VALUE")
    assert raw["values"] == [[1040, 37865.0]]
    directory = ids["Enron custodians directory"]
    head = values(sheets, directory, "'Enron custodians directory'!A1:D2")
    assert head["values"] == [
        ["mailbox", "email", "name", "title"],
        ["allen-p", "philip.allen@enron.com", "Philip Allen"],
    ]


def test_info_names_and_batch_get():
    sheets = LocalSheets(SAMPLE_SHEETS)
    sid = ids_by_name(sheets)["TW PCB Related Costs 2002"]
    info = sheets.execute("GOOGLESHEETS_GET_SPREADSHEET_INFO", {"spreadsheet_id": sid})["data"]["response_data"]
    assert info["properties"]["title"] == "TW PCB Related Costs 2002"
    assert info["sheets"][0]["properties"]["gridProperties"] == {"rowCount": 18, "columnCount": 3}
    names = sheets.execute("GOOGLESHEETS_GET_SHEET_NAMES", {"spreadsheet_id": sid})["data"]
    assert names == {"sheet_names": ["Sheet1"]}
    batch = sheets.execute("GOOGLESHEETS_BATCH_GET", {"spreadsheet_id": sid, "ranges": ["Sheet1!A2:C2", "B3"]})
    ranges = batch["data"]["spreadsheet_data"]["valueRanges"]
    assert [r["values"] for r in ranges] == [
        [["Task", "Activity / Project", "Amount"]],
        [["COOLING TOWER DECON AT HINKLEY & TOPOCK"]],
    ]
    whole = sheets.execute("GOOGLESHEETS_BATCH_GET", {"spreadsheet_id": sid})["data"]["spreadsheet_data"]
    assert whole["valueRanges"][0]["range"] == "Sheet1!A1:C18"


def test_large_sheets_come_in_slices(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Data Log"
    for n in range(1, 2502):
        sheet.append([n, f"row {n}", datetime(2002, 1, 1, 12, 30)])
    book.create_sheet("Hidden").sheet_state = "hidden"
    book.save(tmp_path / "big.xlsx")
    sheets = LocalSheets(tmp_path)
    [sid] = ids_by_name(sheets).values()
    rows, start = [], 1
    while True:
        data = values(sheets, sid, "'Data Log'!A:C", start_row=start)
        rows += data["values"]
        if not data.get("truncated"):
            break
        start = data["next_start_row"]
    assert len(rows) == 2501 and rows[0] == ["1", "row 1", "2002-01-01T12:30:00"] and rows[-1][0] == "2501"
    assert values(sheets, sid, "'Data Log'!A1:A5000")["range"] == f"'Data Log'!A1:A{MAX_ROWS}"
    assert values(sheets, sid, "'Data Log'", start_row=10, end_row=11)["values"][1][0] == "11"
    columns = values(sheets, sid, "'Data Log'!A1:B2", major_dimension="COLUMNS")["values"]
    assert columns == [["1", "2"], ["row 1", "row 2"]]
    names = sheets.execute("GOOGLESHEETS_GET_SHEET_NAMES", {"spreadsheet_id": sid, "exclude_hidden": True})
    assert names["data"]["sheet_names"] == ["Data Log"]


def encrypted_xlsx() -> bytes:
    msoffcrypto = pytest.importorskip("msoffcrypto")
    book, plain, locked = openpyxl.Workbook(), io.BytesIO(), io.BytesIO()
    book.active["A1"] = "secret"
    book.save(plain)
    plain.seek(0)
    msoffcrypto.OfficeFile(plain).encrypt("password", locked)
    return locked.getvalue()


@pytest.mark.parametrize(
    "name, data, reason",
    [
        ("Locked.xlsx", None, "Locked.xlsx: encrypted"),
        ("Garbage.xlsx", b"PK\x03\x04 this is not a workbook", "Garbage.xlsx: corrupt: "),
        ("Garbage.xls", b"\x00" * 600, "Garbage.xls: corrupt: "),
    ],
)
def test_unreadable_workbooks_give_error_envelopes(tmp_path, name, data, reason):
    shutil.copy(SAMPLE_SHEETS / "PCS Live Trades.csv", tmp_path)
    (tmp_path / name).write_bytes(encrypted_xlsx() if data is None else data)
    sheets = LocalSheets(tmp_path)
    ids = ids_by_name(sheets)
    bad = ids[Path(name).stem]
    calls = [
        ("GOOGLESHEETS_GET_SPREADSHEET_INFO", {}),
        ("GOOGLESHEETS_GET_SHEET_NAMES", {}),
        ("GOOGLESHEETS_VALUES_GET", {"range": "A1"}),
        ("GOOGLESHEETS_BATCH_GET", {}),
    ]
    for slug, args in calls:
        out = sheets.execute(slug, {"spreadsheet_id": bad, **args})
        assert out == {"successful": False, "data": {}, "error": out["error"]}
        assert out["error"].startswith(reason), out
    good = sheets.execute("GOOGLESHEETS_GET_SHEET_NAMES", {"spreadsheet_id": ids["PCS Live Trades"]})
    assert good["data"]["sheet_names"] == ["PCS Live Trades"]
    content = sheets.execute("GOOGLESHEETS_SEARCH_SPREADSHEETS", {"query": "PCSNITFER", "search_type": "content"})
    assert [s["name"] for s in content["data"]["spreadsheets"]] == ["PCS Live Trades"]


@pytest.mark.parametrize(
    "args, named",
    [
        ({"spreadsheet_id": "nope", "range": "A1"}, "nope"),
        ({"range": "Nope!A1"}, "Nope"),
        ({"range": "Sheet1!B2:A1"}, "B2:A1"),
        ({"range": "Sheet1!A1:ZZZZ9"}, "ZZZZ9"),
    ],
)
def test_bad_ids_and_ranges(args, named):
    sheets = LocalSheets(SAMPLE_SHEETS)
    sid = ids_by_name(sheets)["Demand Letter Log 2002-02-28"]
    out = sheets.execute("GOOGLESHEETS_VALUES_GET", {"spreadsheet_id": sid, **args})
    assert out["successful"] is False and named in out["error"], out


def test_a1_notation():
    assert split_sheet("'It''s here'!B2:C") == ("It's here", "B2:C")
    grid = parse_grid("B2:C")
    assert (grid.row0, grid.col0, grid.row1, grid.col1) == (2, 2, None, 3)
    assert parse_grid("AA10").col0 == 27
    with pytest.raises(RangeError):
        parse_grid("A1:")
