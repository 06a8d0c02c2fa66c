"""The Xero read tools (Composio slugs, Xero API shapes and paging), served from CSV exports."""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import Any

from tools.sources.connector import Handler, LocalConnector
from tools.sources.downloads import DownloadSink
from tools.sources.envelope import fail, ok
from tools.sources.export_tree import ExportError
from tools.sources.slugs import Xero
from tools.sources.xero.export import XeroExport

Envelope = dict[str, Any]
PAGE_SIZE = 100  # Xero's page size for invoices
_CLAUSE = re.compile(r'^\s*([A-Za-z.]+)\s*==\s*"([^"]*)"\s*$')


def _field(record: dict, dotted: str) -> str:
    value: Any = record
    for part in dotted.split("."):
        value = value.get(part, "") if isinstance(value, dict) else ""
    return str(value)


def _where(records: list[dict], where: Any) -> list[dict]:
    """Keep records matching a Xero `where` of `Field=="value"` clauses joined by AND."""
    text = str(where or "").strip()
    if not text:
        return records
    clauses = []
    for part in re.split(r"\s+AND\s+|&&", text, flags=re.I):
        m = _CLAUSE.match(part)
        if not m:
            raise ValueError(f'unsupported where clause {part.strip()!r}: use Field=="value" joined by AND')
        clauses.append((m[1], m[2].lower()))
    return [r for r in records if all(_field(r, f).lower() == v for f, v in clauses)]


def _paged(records: list[dict], page: Any, size: int) -> tuple[list[dict], dict]:
    if not page:
        return records, {}
    n = max(int(page), 1)
    count = max(1, -(-len(records) // size))
    return records[(n - 1) * size : n * size], {
        "page": n,
        "pageSize": size,
        "pageCount": count,
        "itemCount": len(records),
    }


class LocalXero(LocalConnector):
    """Answers XERO_* read slugs over the CSV exports under `root`."""

    def __init__(self, root: str | Path, downloads: DownloadSink) -> None:
        self.root = Path(root)
        self._export: XeroExport | None = None
        self._lock = threading.RLock()

    @property
    def export(self) -> XeroExport:
        if self._export is None:
            self._export = XeroExport(self.root)
        return self._export

    label = "the local Xero export"
    prefixed_errors = (ExportError, OSError, ValueError)

    def handlers(self) -> dict[str, Handler]:
        """The tool slugs this connector serves and their handlers."""
        return {
            Xero.LIST_INVOICES: self.list_invoices,
            Xero.GET_INVOICE: self.get_invoice,
            Xero.GET_CONTACTS: self.get_contacts,
            Xero.LIST_ACCOUNTS: self.list_accounts,
        }

    def list_invoices(self, args: dict) -> Envelope:
        """Invoices, filtered by where/Statuses/ContactIDs/InvoiceIDs; 100 a page when `page` is given."""
        found = _where(self.export.invoices, args.get("where"))
        if statuses := {s.strip().upper() for s in str(args.get("Statuses") or "").split(",") if s.strip()}:
            found = [i for i in found if i["Status"] in statuses]
        if contacts := {s.strip() for s in str(args.get("ContactIDs") or "").split(",") if s.strip()}:
            found = [i for i in found if i["Contact"]["ContactID"] in contacts]
        if ids := {s.strip() for s in str(args.get("InvoiceIDs") or "").split(",") if s.strip()}:
            found = [i for i in found if i["InvoiceID"] in ids]
        shown, pagination = _paged(found, args.get("page"), PAGE_SIZE)
        return ok({"Invoices": shown, **({"pagination": pagination} if pagination else {})})

    def get_invoice(self, args: dict) -> Envelope:
        """One invoice by its InvoiceID or its number."""
        ref = str(args.get("invoice_id") or "")
        inv = next((i for i in self.export.invoices if ref in (i["InvoiceID"], i["InvoiceNumber"])), None)
        return ok({"Invoices": [inv]}) if inv else fail(f"invoice not found: {ref!r}")

    def get_contacts(self, args: dict) -> Envelope:
        """Contacts by ContactID/IDs/searchTerm/where; paged by page and pageSize."""
        found = _where(self.export.contacts, args.get("where"))
        ids = set(args.get("IDs") or []) | ({str(args["ContactID"])} if args.get("ContactID") else set())
        if ids:
            found = [c for c in found if c["ContactID"] in ids]
        if term := str(args.get("searchTerm") or "").lower():
            found = [c for c in found if term in (c["Name"] + " " + c["EmailAddress"]).lower()]
        size = min(max(int(args.get("pageSize") or 100), 1), 1000)
        shown, pagination = _paged(found, args.get("page"), size)
        return ok({"Contacts": shown, **({"pagination": pagination} if pagination else {})})

    def list_accounts(self, args: dict) -> Envelope:
        """The chart of accounts, by code."""
        found = _where(self.export.accounts, args.get("where"))
        return ok({"Accounts": sorted(found, key=lambda a: a["Code"])})
