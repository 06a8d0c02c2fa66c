"""The bundled Slack, Notion and Xero sample through `grove run`, `grove tree` and `grove search`, offline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli.main import main

SAMPLE = Path(__file__).resolve().parents[2] / "examples" / "client-c-slack-notion-xero"


@pytest.fixture(scope="module")
def ran(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("client-c")
    db = str(tmp / "kb.db")
    argv = ["run", "--client", "c", "--db", db, "--workspace-root", str(tmp / "ws"), "--isolation", "process", "--json"]
    for kind in ("slack", "notion", "xero"):
        argv += ["--source", f"{kind}={SAMPLE / kind}"]
    return db, argv


def run_json(argv: list[str], capsys) -> dict:
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


def test_the_sample_runs_end_to_end_with_a_sensible_tree(ran, capsys):
    db, argv = ran
    report = run_json(argv, capsys)
    assert report["failures"] == [] and report["status"] == "ok"
    got = {s["type"]: (s["status"], s["downloaded"]) for s in report["sources"]}
    # Slack: four channel-days and one shared file; Notion: five pages; Xero: invoices, contacts, accounts.
    assert got == {"slack": ("ok", 5), "notion": ("ok", 5), "xero": ("ok", 3)}
    assert report["items"]["parsed"] == 13
    tree = run_json(["tree", "--client", "c", "--db", db, "--json"], capsys)["tree"]
    where = {g["name"]: (d["name"], s["name"]) for d in tree for s in d["children"] for g in s["children"]}
    assert where["Invoices"][0] == "Finance" and where["Chart of accounts"][0] == "Finance"
    assert where["Leave Policy"][0] == "HR"
    assert where["Expense Policy"][0] in ("HR", "Finance")  # expense claims are paid through payroll
    assert where["Wholesale Pricing 2026"][0] == "Sales"
    assert where["#roastery-ops"][0] == "Operations"

    hits = run_json(["search", "tier 2 price espresso", "--client", "c", "--db", db, "--json"], capsys)["hits"]
    assert hits[0]["locator"] == "notion:Wholesale Pricing 2026#heading=tiers"
    hits = run_json(["search", "Copperpot overdue", "--client", "c", "--db", db, "--json"], capsys)["hits"]
    locators = [h["locator"] for h in hits]
    assert "xero:Invoices#InvoiceNumber=INV-0107" in locators
    assert any(loc.startswith("slack:#wholesale-orders/2026-03-02#thread=") for loc in locators)
    hits = run_json(["search", "swap shifts rota", "--client", "c", "--db", db, "--json"], capsys)["hits"]
    assert hits[0]["source_type"] == "slack" and hits[0]["locator"].startswith("slack:#people/2026-03-04#thread=")

    again = run_json(argv, capsys)  # nothing changed: the ledger gates every item
    assert again["items"]["unchanged"] == 13 and again["items"]["downloaded"] == 0
