"""How both explorer brains walk a Xero source: every invoice, contact and account, one item per kind.

An item is a JSON records document (tools.parsers.exported reads it, one section per record).
Walk functions take the explorer's hands (nodes.explorer.base.ExplorerBase).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from tools.sources.errors import ToolFailure
from tools.sources.registry import Hands
from tools.sources.slugs import Xero

KINDS = {  # unit -> (listing tool, result key, readable name, paged)
    "invoices": (Xero.LIST_INVOICES, "Invoices", "Invoices", True),
    "contacts": (Xero.GET_CONTACTS, "Contacts", "Contacts", True),
    "accounts": (Xero.LIST_ACCOUNTS, "Accounts", "Chart of accounts", False),
}
NARROWING = ("where", "Statuses", "ContactIDs", "InvoiceIDs", "IDs", "ContactID", "searchTerm", "page")


def walk(hands: Hands) -> None:
    hands.listed = len(KINDS)
    for unit in KINDS:
        fetch_unit(hands, unit)


def units(tool: str, args: dict, data: dict) -> dict[str, str]:
    """A listing of a kind shows that kind as a downloadable unit."""
    return {unit: name for unit, (t, key, name, _) in KINDS.items() if t == tool and key in data}


def download_unit(tool: str, args: dict) -> str | None:
    """An unfiltered, unpaged listing downloads the whole kind."""
    if any(args.get(k) for k in NARROWING):
        return None
    return next((unit for unit, (t, *_rest) in KINDS.items() if t == tool), None)


def _records(hands: Hands, tool: str, key: str, paged: bool) -> list[dict]:
    if not paged:
        return list(hands.call(tool, {}).get(key) or [])
    records, page = [], 1
    while True:
        data = hands.call(tool, {"page": page, **({"pageSize": 100} if tool == Xero.GET_CONTACTS else {})})
        records.extend(data.get(key) or [])
        if page >= int((data.get("pagination") or {}).get("pageCount") or 1):
            return records
        page += 1


def _money(value: Any, currency: str = "") -> str:
    return f"{float(value or 0):,.2f}" + (f" {currency}" if currency else "")


def _entry(unit: str, r: dict) -> dict:
    """One record as a titled entry with readable fields."""
    if unit == "invoices":
        kind = "Bill" if r.get("Type") == "ACCPAY" else "Invoice"
        fields = {
            "Contact": (r.get("Contact") or {}).get("Name", ""),
            "Date": r.get("Date"),
            "Due": r.get("DueDate"),
            "Status": r.get("Status"),
            "Reference": r.get("Reference"),
            "Total": _money(r.get("Total"), r.get("CurrencyCode", "")),
            "Amount due": _money(r.get("AmountDue")),
            "Lines": [
                f"{li.get('Description')} — {li.get('Quantity'):g} × {_money(li.get('UnitAmount'))} "
                f"= {_money(li.get('LineAmount'))} (account {li.get('AccountCode')})"
                for li in r.get("LineItems") or []
            ],
        }
        return {
            "title": f"{kind} {r.get('InvoiceNumber')} — {fields['Contact']}",
            "locator": f"InvoiceNumber={r.get('InvoiceNumber')}",
            "fields": fields,
        }
    if unit == "contacts":
        address = (
            ", ".join(v for v in (r.get("Addresses") or [{}])[0].values() if v and v != "POBOX")
            if r.get("Addresses")
            else ""
        )
        fields = {
            "Email": r.get("EmailAddress"),
            "Account number": r.get("AccountNumber"),
            "Contact person": " ".join(x for x in (r.get("FirstName"), r.get("LastName")) if x),
            "Phone": ", ".join(p.get("PhoneNumber", "") for p in r.get("Phones") or []),
            "Address": address,
            "Tax number": r.get("TaxNumber"),
            "Role": ", ".join(
                x for x, on in (("customer", r.get("IsCustomer")), ("supplier", r.get("IsSupplier"))) if on
            ),
        }
        return {"title": f"Contact {r.get('Name')}", "locator": f"ContactName={r.get('Name')}", "fields": fields}
    fields = {"Type": r.get("Type"), "Tax": r.get("TaxType"), "Description": r.get("Description")}
    return {"title": f"Account {r.get('Code')} {r.get('Name')}", "locator": f"Code={r.get('Code')}", "fields": fields}


def fetch_unit(hands: Hands, unit: str) -> None:
    """Download every record of one kind as one records document."""
    if unit not in KINDS:
        hands.fail(unit, f"xero:{unit}", f"not a Xero record kind: {unit!r} (use {', '.join(KINDS)})")
        return
    tool, key, name, paged = KINDS[unit]
    locator = f"xero:{name}"
    if not hands.wanted(unit) or any(i["item_id"] == unit for i in hands.items):
        return
    try:
        records = _records(hands, tool, key, paged)
    except ToolFailure as exc:
        hands.fail(unit, locator, str(exc))
        return
    if not records:
        hands.skip(unit, locator, "no records")
        return
    blob = json.dumps(
        {"kind": "records", "title": name, "records": [_entry(unit, r) for r in records]}, ensure_ascii=False, indent=1
    ).encode("utf-8")
    revision = hashlib.sha256(json.dumps(records, sort_keys=True, default=str).encode()).hexdigest()[:16]
    if hands.unchanged_since_last_run(unit, revision):
        return
    hands.keep_bytes(
        {
            "item_id": unit,
            "kind": "records",
            "name": name,
            "revision": revision,
            "locator": locator,
            "hints": ["Xero", "accounting", name],
            "group_key": f"xero:{unit}",
            "group_name": name,
            "file_type": "json",
        },
        f"xero/{unit}.json",
        blob,
    )
