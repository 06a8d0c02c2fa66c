"""Xero CSV exports (invoices, contacts, chart of accounts) read into Xero API records."""

from __future__ import annotations

import csv
import io
import uuid
from pathlib import Path, PurePosixPath

from tools.parsers.encoding import decode_bytes
from tools.sources.export_tree import ExportError, ExportTree

_NS = uuid.UUID("6f1c0c52-3d1b-4c1e-9a55-0e0d6c1f7a10")  # stable record ids from their natural keys


def _rows(data: bytes) -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(decode_bytes(data).lstrip("\ufeff")))  # Excel saves a BOM
    return [
        {(k or "").strip().lstrip("*").replace(" ", ""): (v or "").strip() for k, v in row.items()} for row in reader
    ]


def _num(value: str) -> float:
    try:
        return round(float(value.replace(",", "")), 2) if value else 0.0
    except ValueError:
        return 0.0


def _kind(rel: str, rows: list[dict[str, str]]) -> str:
    name, cols = PurePosixPath(rel).name.lower(), set(rows[0]) if rows else set()
    if "invoicenumber" in cols or "invoice" in name:
        return "invoices"
    if "contactname" in cols or "contact" in name:
        return "contacts"
    if {"code", "name", "type"} <= {c.lower() for c in cols} or "account" in name:
        return "accounts"
    return ""


def record_id(kind: str, key: str) -> str:
    return str(uuid.uuid5(_NS, f"{kind}:{key}"))


class XeroExport:
    """Invoices (line items grouped by number), contacts and accounts, as the Xero API shapes them."""

    def __init__(self, root: str | Path) -> None:
        self.tree = ExportTree(root)
        tables: dict[str, list[dict[str, str]]] = {"invoices": [], "contacts": [], "accounts": []}
        self.updated: dict[str, str] = {}
        for rel in self.tree.names():
            if not rel.lower().endswith(".csv"):
                continue
            rows = _rows(self.tree.read(rel))
            kind = _kind(rel, rows)
            if kind:
                tables[kind].extend(rows)
        if not any(tables.values()):
            raise ExportError(f"{root}: not a Xero export (no invoice, contact or account CSV files)")
        self.contacts = [self._contact(r) for r in tables["contacts"] if r.get("ContactName")]
        self.accounts = [self._account(r) for r in tables["accounts"] if r.get("Code") or r.get("Name")]
        self.invoices = self._invoices(tables["invoices"])

    def _contact(self, r: dict[str, str]) -> dict:
        name = r["ContactName"]
        address = {k: r.get(f"PO{k}", "") for k in ("AddressLine1", "City", "Region", "PostalCode", "Country")}
        return {
            "ContactID": record_id("contact", name),
            "Name": name,
            "ContactStatus": "ACTIVE",
            "AccountNumber": r.get("AccountNumber", ""),
            "EmailAddress": r.get("EmailAddress", ""),
            "FirstName": r.get("FirstName", ""),
            "LastName": r.get("LastName", ""),
            "TaxNumber": r.get("TaxNumber", ""),
            "DefaultCurrency": r.get("DefaultCurrency", ""),
            "Addresses": [{"AddressType": "POBOX", **address}] if any(address.values()) else [],
            "Phones": [{"PhoneType": "DEFAULT", "PhoneNumber": r["PhoneNumber"]}] if r.get("PhoneNumber") else [],
            "IsSupplier": r.get("IsSupplier", "").lower() == "true",
            "IsCustomer": r.get("IsCustomer", "").lower() == "true",
        }

    def _account(self, r: dict[str, str]) -> dict:
        return {
            "AccountID": record_id("account", r.get("Code") or r.get("Name", "")),
            "Code": r.get("Code", ""),
            "Name": r.get("Name", ""),
            "Type": r.get("Type", "").upper().replace(" ", ""),
            "TaxType": r.get("TaxCode", ""),
            "Description": r.get("Description", ""),
            "Status": "ACTIVE",
            "EnablePaymentsToAccount": r.get("EnablePayments", "").lower() == "yes",
            "ShowInExpenseClaims": r.get("ExpenseClaims", "").lower() == "yes",
        }

    def _invoices(self, rows: list[dict[str, str]]) -> list[dict]:
        by_number: dict[str, dict] = {}
        for r in rows:
            number = r.get("InvoiceNumber", "")
            if not number:
                continue
            inv = by_number.get(number)
            if inv is None:
                contact = r.get("ContactName", "")
                inv = by_number[number] = {
                    "InvoiceID": record_id("invoice", number),
                    "InvoiceNumber": number,
                    "Type": r.get("Type") or "ACCREC",
                    "Reference": r.get("Reference", ""),
                    "Contact": {"ContactID": record_id("contact", contact), "Name": contact},
                    "Date": r.get("InvoiceDate", ""),
                    "DueDate": r.get("DueDate", ""),
                    "Status": (r.get("Status") or "AUTHORISED").upper(),
                    "LineAmountTypes": "Exclusive",
                    "CurrencyCode": r.get("Currency", ""),
                    "LineItems": [],
                    "SubTotal": 0.0,
                    "TotalTax": 0.0,
                    "Total": _num(r.get("Total", "")),
                    "AmountPaid": _num(r.get("InvoiceAmountPaid", "")),
                    "AmountDue": _num(r.get("InvoiceAmountDue", "")),
                    "UpdatedDateUTC": r.get("InvoiceDate", ""),
                }
            line = {
                "Description": r.get("Description", ""),
                "Quantity": _num(r.get("Quantity", "")),
                "UnitAmount": _num(r.get("UnitAmount", "")),
                "AccountCode": r.get("AccountCode", ""),
                "TaxType": r.get("TaxType", ""),
                "TaxAmount": _num(r.get("TaxAmount", "")),
                "LineAmount": _num(r.get("LineAmount", "")),
            }
            inv["LineItems"].append(line)
            inv["SubTotal"] = round(inv["SubTotal"] + line["LineAmount"], 2)
            inv["TotalTax"] = round(inv["TotalTax"] + line["TaxAmount"], 2)
        for inv in by_number.values():
            inv["Total"] = inv["Total"] or round(inv["SubTotal"] + inv["TotalTax"], 2)
        return [by_number[k] for k in sorted(by_number)]
