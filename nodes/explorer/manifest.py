"""The explorer's manifest: the model's structured account of its choices, turned into the source record."""

from __future__ import annotations

from pydantic import BaseModel, Field

from nodes.explorer.catalogue import Catalogue
from nodes.explorer.tool_gate import ToolGate
from nodes.state import SourceRecord
from tools.sources.slugs import Drive, Gmail, Sheets

MAX_PATTERNS = 3


class Decision(BaseModel):
    item_id: str = Field(
        description="A listed item's id: message id, file id, spreadsheet id, or 'spreadsheet id/sheet name'."
    )
    why: str = Field(description="One short reason.")


class Pattern(BaseModel):
    title: str = Field(description="A short headline for the lesson.")
    body: str = Field(description="The lesson, one to three sentences, with no client names, numbers or ids.")
    file_type: str = Field(description="The file extension it is about (pdf, xlsx, eml...), or '' for the source.")


class Manifest(BaseModel):
    """What the explorer downloaded and why, what it skipped and why, and what it learned."""

    summary: str = Field(description="One or two sentences on what the source holds and what was kept.")
    downloaded: list[Decision] = Field(description="Items already downloaded, each with why it is worth keeping.")
    skipped: list[Decision] = Field(description="Listed items deliberately not downloaded, with why.")
    fetch: list[Decision] = Field(description="Listed items to download now, with why.")
    fetch_all_listed: bool = Field(description="True to download every listed item not in `skipped`.")
    patterns: list[Pattern] = Field(description=f"At most {MAX_PATTERNS} lessons for later explorers.")


def fetch_chosen(manifest: Manifest, gate: ToolGate) -> None:
    """Download what the manifest asks for that the loop did not (within the same limits)."""
    units = gate.catalogue.units()
    skip = {d.item_id for d in manifest.skipped}
    wanted = [d.item_id for d in manifest.fetch]
    if manifest.fetch_all_listed:
        wanted += [u for u in sorted(units) if u not in skip]
    for item_id in dict.fromkeys(wanted):
        with gate.lock:
            fetch_unit(gate, item_id, units)


def fetch_unit(gate: ToolGate, item_id: str, units: dict[str, str]) -> None:
    """Download one listed unit through the gate, as if the model had asked for it."""
    source_type, cat = gate.catalogue.source_type, gate.catalogue
    if cat.hooks is not None and item_id in units:
        gate.fetch_unit(item_id)
    elif source_type == "gmail" and item_id in cat.messages:
        gate.download(Gmail.FETCH_MESSAGE_BY_MESSAGE_ID, {"message_id": item_id, "format": "raw"})
    elif source_type == "drive" and item_id in cat.files:
        gate.download(Drive.DOWNLOAD_FILE, {"fileId": item_id})
    elif source_type == "sheets" and item_id in units and "/" in item_id:
        bid, sheet = item_id.split("/", 1)
        gate.download(Sheets.VALUES_GET, {"spreadsheet_id": bid, "range": "'" + sheet.replace("'", "''") + "'"})
    elif source_type == "sheets" and item_id in cat.books:
        gate.hands.fetch_book({"id": item_id, **cat.books[item_id]})


def finish_record(gate: ToolGate, manifest: Manifest | None, stopped: str) -> SourceRecord:
    """The source record the offline brain would return, plus the manifest of reasons."""
    hands, cat = gate.hands, gate.catalogue
    units = cat.units()
    hands.listed = len(units)
    record = hands.record(status="ok", reason=stopped)
    why = {d.item_id: d.why for d in (manifest.downloaded + manifest.fetch if manifest else [])}
    default = (
        "every listed item not skipped was wanted"
        if manifest and manifest.fetch_all_listed
        else "downloaded by the explorer"
        if manifest
        else f"downloaded before the explorer stopped: {stopped}"
    )
    downloaded = [
        {
            "item_id": i["item_id"],
            "locator": i.get("locator", ""),
            "why": why.get(i["item_id"]) or why.get(i["item_id"].split("/", 1)[0]) or default,
        }
        for i in record["items"]
    ]
    settled = {i["item_id"] for i in record["items"]} | {s["item_id"] for s in record["skipped"]}
    settled |= {f["item_id"] for f in record["failures"]} | set(record.get("unchanged") or [])
    skip_why = {d.item_id: d.why for d in (manifest.skipped if manifest else [])}
    not_chosen = f"not reached: {stopped}" if stopped and not manifest else "not selected by the explorer"
    settled |= {s.split("/", 1)[0] for s in settled}  # a message with an attachment kept, a book with a sheet kept
    chosen_out = [
        {
            "item_id": u,
            "locator": locator(cat, u),
            "reason": f"explorer: {skip_why[u]}" if u in skip_why else not_chosen,
        }
        for u in sorted(units)
        if u not in settled
    ]
    record["skipped"] = sorted(record["skipped"] + chosen_out, key=lambda s: s["item_id"])
    record["seen"] = sorted(set(record.get("seen") or []) | set(cat.seen()))
    record["complete"] = cat.complete() and not record["skipped"]
    record["manifest"] = {
        "summary": manifest.summary if manifest else stopped,
        "downloaded": downloaded,
        "skipped": [{"item_id": s["item_id"], "locator": s["locator"], "why": s["reason"]} for s in record["skipped"]],
    }
    return record


def locator(cat: Catalogue, unit: str) -> str:
    """Where a listed unit lives, written as the offline brain writes locators."""
    if cat.hooks is not None:
        return f"{cat.source_type}:{cat.listed_units.get(unit, unit)}"
    if cat.source_type == "gmail":
        return f"gmail:{unit}"
    if cat.source_type == "drive":
        f = cat.files.get(unit) or {}
        folders = cat.folder_path(str((f.get("parents") or ["root"])[0]))
        return "drive:" + "/".join(folders + [str(f.get("name") or unit)])
    bid, _, sheet = unit.partition("/")
    name = str(cat.books.get(bid, {}).get("name") or bid)
    return f"sheets:{name}/{sheet}" if sheet else f"sheets:{name}"
