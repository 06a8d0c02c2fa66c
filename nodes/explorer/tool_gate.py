"""The explorer's tool gate: every tool call of the model passes here on its way to the scoped tools.

It counts steps, turns download calls into sandbox downloads within the limits (recorded exactly as
the offline brain records them), answers with lean results wrapped as data, returns tool errors to
the model, and ends the source on platform errors (no connected account, auth).
"""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import Any, Callable

from langchain_core.messages import ToolMessage
from pydantic import ValidationError

from nodes.explorer.catalogue import LISTINGS, Catalogue, envelope_data
from nodes.explorer.compact_results import compact
from nodes.explorer.offline import OfflineExplorer
from nodes.untrusted import document
from tools.sources.errors import MissingCredentials
from tools.sources.slugs import Drive, Gmail, Sheets

PLATFORM = re.compile(
    r"no (active )?connected account|connected ?accounts? ?not ?found|no ?active ?connection|unauthori[sz]ed"
    r"|invalid[_ ]grant|invalid credentials|authenticat\w* (failed|required|error)"
    r"|token (has )?(expired|been revoked)|\b401\b|\b403 forbidden",
    re.IGNORECASE,
)
A1_RANGE = re.compile(r"\$?[A-Za-z]{1,3}\$?\d*(:\$?[A-Za-z]{1,3}\$?\d*)?")


class PlatformError(RuntimeError):
    """The source platform refused the explorer (no connected account, expired auth): the source fails."""


def is_platform_problem(text: str) -> bool:
    return bool(PLATFORM.search(text or ""))


class ToolGate:
    """A `ToolNode` wrap_tool_call: runs one tool call of the model and answers with a ToolMessage."""

    def __init__(self, hands: OfflineExplorer, catalogue: Catalogue) -> None:
        self.hands, self.catalogue = hands, catalogue
        self.lock = threading.Lock()  # tool calls of one turn may run in parallel; the ledger is shared
        self.fetched_units: set[str] = set()

    def __call__(self, request: Any, execute: Callable[[Any], Any]) -> ToolMessage:
        call = request.tool_call
        if request.tool is None:  # not one of this explorer's tools: ToolNode explains which exist
            return execute(request)
        name, args = call["name"], dict(call.get("args") or {})
        with self.lock:
            ok, text = self.run(name, args)
        content = document(f"result-{call['id']}", text, tool=name)
        return ToolMessage(content=content, name=name, tool_call_id=call["id"], status="success" if ok else "error")

    def run(self, name: str, args: dict) -> tuple[bool, str]:
        """Run one call; return (ok, lean result text). Raises PlatformError."""
        ctx, budget = self.hands.ctx, self.hands.budget
        if budget.calls >= ctx.max_steps:
            return False, compact(
                name,
                {
                    "successful": False,
                    "data": {},
                    "error": f"step limit reached ({ctx.max_steps} tool calls): finish now",
                },
            )
        try:
            fetched = self.download(name, args)
            if fetched is not None:
                return bool(fetched["successful"]), compact("download", fetched)
            budget.calls += 1
            result = self.hands.tools.invoke(name, args)
        except PlatformError:
            raise
        except MissingCredentials as exc:
            raise PlatformError(str(exc)) from exc
        except ValidationError as exc:
            problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
            return False, compact(name, {"successful": False, "error": f"invalid arguments: {problems}"})
        except Exception as exc:  # a tool error goes back to the model, which may try otherwise
            if is_platform_problem(str(exc)):
                raise PlatformError(f"{name}: {exc}") from exc
            return False, compact(name, {"successful": False, "error": f"{type(exc).__name__}: {exc}"})
        if isinstance(result, dict) and "successful" in result:
            ok, data, error = envelope_data(result)
        else:  # sandbox tools answer {"ok": ..., ...}
            ok, data, error = (bool(result.get("ok", True)) if isinstance(result, dict) else True), {}, ""
        if not ok and is_platform_problem(error):
            raise PlatformError(f"{name}: {error}")
        if ok and data:
            self.catalogue.observe(name, args, data)
            if name in LISTINGS or self.catalogue.hooks is not None:
                self.hands.emit("source_listed", source=self.hands.key, listed=len(self.catalogue.units()))
        return ok, compact(name, result)

    # -- downloads ----------------------------------------------------------------------------
    def download(self, name: str, args: dict) -> dict | None:
        """Do a download call the offline brain's way (same items, limits and ledger gates), or None."""
        hands, cat = self.hands, self.catalogue
        if cat.hooks is not None:
            unit = cat.hooks.download(name, args)
            return None if unit is None else self.fetch_unit(unit)
        if name == Gmail.FETCH_MESSAGE_BY_MESSAGE_ID and str(args.get("format") or "").lower() == "raw":
            mid = str(args.get("message_id") or "").strip()
            if not self.message(mid):
                return unknown(f"message not found: {mid!r}")
            return self.fetch(mid, lambda: hands.fetch_message(mid))
        if name == Gmail.GET_ATTACHMENT:
            mid, aid = str(args.get("message_id") or "").strip(), str(args.get("attachment_id") or "")
            msg = self.message(mid)
            att = next((a for a in msg.get("attachmentList") or [] if str(a.get("attachmentId")) == aid), None)
            if att is None:
                return unknown(f"attachment {aid!r} not found in message {mid!r}")
            subject, labels = str(msg.get("subject") or "(no subject)"), [str(x) for x in msg.get("labelIds") or []]
            return self.fetch(f"{mid}/{att.get('filename')}", lambda: hands.fetch_attachment(mid, subject, labels, att))
        if name == Drive.DOWNLOAD_FILE:
            fid = str(args.get("fileId") or args.get("file_id") or "").strip()
            meta = cat.files.get(fid) or self.lookup(Drive.GET_FILE_METADATA, {"fileId": fid})
            if not meta or fid in cat.folders:
                return unknown(f"file not found (or a folder): {fid!r}")
            folders = cat.folder_path(str((meta.get("parents") or ["root"])[0]))
            return self.fetch(fid, lambda: hands.download_file(meta, folders))
        if name == Sheets.VALUES_GET and (sheet := whole_sheet(args)):
            bid = str(args.get("spreadsheet_id") or "")
            if bid not in cat.sheets:
                self.lookup(Sheets.GET_SHEET_NAMES, {"spreadsheet_id": bid})
            if sheet not in cat.sheets.get(bid, []):
                return None  # not a sheet of a known spreadsheet: the tool answers as it would
            book = cat.books.get(bid) or {}
            return self.fetch(
                f"{bid}/{sheet}",
                lambda: hands.fetch_sheet(
                    bid, str(book.get("name") or bid), sheet, str(book.get("modifiedTime") or "")
                ),
            )
        return None

    def fetch_unit(self, unit: str) -> dict:
        """Download one unit of a registered source type through its declaration, once per run."""
        hooks = self.catalogue.hooks
        if unit in self.fetched_units:
            return {"successful": True, "data": {"already_downloaded": unit}}
        self.fetched_units.add(unit)
        return self.fetch(unit, lambda: hooks.fetch(self.hands, unit))

    def message(self, mid: str) -> dict:
        return (
            self.catalogue.messages.get(mid)
            or self.lookup(Gmail.FETCH_MESSAGE_BY_MESSAGE_ID, {"message_id": mid, "format": "metadata"})
            or {}
        )

    def lookup(self, name: str, args: dict) -> dict:
        """Fetch metadata the model did not list first (it counts as a step)."""
        self.hands.budget.calls += 1
        ok, data, error = envelope_data(self.hands.tools.invoke(name, args))
        if not ok and is_platform_problem(error):
            raise PlatformError(f"{name}: {error}")
        if ok and data:
            self.catalogue.observe(name, args, data)
        return data if ok else {}

    def fetch(self, item_id: str, run: Callable[[], None]) -> dict:
        """Run one offline fetch and describe what it added: downloads, refusals, failures."""
        hands = self.hands
        if any(i["item_id"] == item_id for i in hands.items):
            return {"successful": True, "data": {"already_downloaded": item_id}}
        before = (len(hands.items), len(hands.skipped), len(hands.failures), len(hands.unchanged))
        run()
        items, skipped, failures, unchanged = (
            hands.items[before[0] :],
            hands.skipped[before[1] :],
            hands.failures[before[2] :],
            hands.unchanged[before[3] :],
        )
        for failure in failures:
            if is_platform_problem(failure["reason"]):
                raise PlatformError(failure["reason"])
        root = hands.sandbox.workspace.resolve()
        data: dict[str, Any] = {}
        if items:
            data["downloaded"] = [
                {"item_id": i["item_id"], "saved_as": _relative(i["path"], root), "bytes": i["size"]} for i in items
            ]
        if unchanged:
            data["unchanged_since_last_run"] = list(unchanged)
        if skipped:
            data["refused"] = [{"item_id": s["item_id"], "reason": s["reason"]} for s in skipped]
        if failures:
            data["failed"] = [{"item_id": f["item_id"], "reason": f["reason"]} for f in failures]
        data["items_left"] = max(0, hands.ctx.max_items_per_source - hands.budget.items)
        ok = bool(items or unchanged)
        error = "; ".join(r["reason"] for r in data.get("refused", []) + data.get("failed", []))
        return {"successful": ok, "data": data, "error": None if ok else (error or f"nothing downloaded for {item_id}")}


def unknown(error: str) -> dict:
    """A download of something the source does not hold: an error for the model, no ledger row."""
    return {"successful": False, "data": {}, "error": error}


def whole_sheet(args: dict) -> str:
    """The sheet name when a VALUES_GET asks for a whole sheet (a download), else '' (a sample)."""
    rng = str(args.get("range") or "").strip()
    if not rng or "!" in rng or args.get("start_row") or A1_RANGE.fullmatch(rng):
        return ""
    if len(rng) > 1 and rng[0] == rng[-1] == "'":
        rng = rng[1:-1].replace("''", "'")
    return rng


def _relative(path: str, root: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(root))
    except ValueError:
        return Path(path).name
