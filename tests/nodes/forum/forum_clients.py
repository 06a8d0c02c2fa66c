"""Small client exports for the forum tests: Drive folders of text files and a folder of .eml mail.

Clients of the same "kind" share the shapes a forum rule keys on (a Legal folder, mail from a
regulator's public domain, signed mail with .p7s attachments) but not their text.
"""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

REGULATOR = "ferc.gov"
LEGAL_CONTRACTS = [
    "This agreement between the parties sets out indemnification, governing law and termination.",
    "The non-disclosure agreement binds each party to confidentiality; breach allows termination of the contract.",
    "Amendment to the master agreement: the parties agree on liability, warranties and governing law.",
]
# Filed under Legal by the client, though their words lean to money: the text alone misplaces them.
LEGAL_MONEY_TALK = [
    "Schedule of fees: each invoice is paid within 30 days; payment by remittance; reimbursement of fees.",
    "Invoices are paid monthly; fees, payroll, salary and bonus, reimbursement and remittance for each payment.",
    "Fee table: payment due on invoice; fees paid by remittance; reimbursement and payroll deduction.",
]
REGULATOR_FILINGS = [
    ("Docket filing", "The Commission issued an order in the docket. Please file comments on the tariff filing."),
    ("Compliance order", "The Commission's order requires a compliance filing in the docket within the period."),
    ("Rulemaking notice", "A notice of proposed rulemaking was issued; comments on the filing are due."),
]
# From the regulator, about a visit: the text alone reads as an ordinary meeting.
REGULATOR_VISITS = [
    ("Visit next week", "Our team will visit next week to meet; please send the agenda and the meeting schedule."),
    ("Site visit", "We plan a site visit; the agenda for the meeting and the staff schedule are attached below."),
    ("Follow-up meeting", "Thank you for the meeting; please confirm the agenda and schedule for the next visit."),
]
RECIPES = [
    ("Bread", "Mix flour, water, salt and yeast; knead the dough and bake it for forty minutes."),
    ("Soup", "Simmer onions, carrots and lentils in stock until soft, then season with pepper."),
    ("Cake", "Beat butter and sugar, fold in eggs and flour, and bake until golden."),
]


def _mail(path: Path, n: int, sender: str, subject: str, body: str, signed: bool) -> None:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, "desk@client.example", subject
    msg["Message-ID"] = f"<{path.parent.parent.name}-{n}@client.example>"
    msg["Date"] = f"Mon, {n + 1:02d} Dec 2025 10:00:00 +0000"
    msg.set_content(body)
    if signed:  # S/MIME signatures: binary data no parser reads
        msg.add_attachment(
            bytes(range(256)) * 4, maintype="application", subtype="pkcs7-signature", filename="smime.p7s"
        )
    path.write_bytes(bytes(msg))


def write_client(root: Path, kind: str) -> list[dict]:
    """Write one client's export under `root` and return its sources.

    kind: "teacher" (contracts under Legal, filings from the regulator), "learner" (money talk
    under Legal, visits from the regulator) or "unrelated" (recipes, private mail).
    """
    drive, gmail = root / "drive", root / "gmail"
    gmail.mkdir(parents=True)
    if kind == "unrelated":
        (drive / "Recipes").mkdir(parents=True)
        for title, text in RECIPES:
            (drive / "Recipes" / f"{title}.txt").write_text(text + "\n", encoding="utf-8")
        for n, (title, text) in enumerate(RECIPES):
            _mail(gmail / f"{n}.eml", n, "friend@example.org", title, text, signed=False)
    else:
        texts = LEGAL_CONTRACTS if kind == "teacher" else LEGAL_MONEY_TALK
        mails = REGULATOR_FILINGS if kind == "teacher" else REGULATOR_VISITS
        (drive / "Legal").mkdir(parents=True)
        for n, text in enumerate(texts):
            (drive / "Legal" / f"{root.name} document {n}.txt").write_text(text + "\n", encoding="utf-8")
        for n, (subject, text) in enumerate(mails):
            _mail(gmail / f"{n}.eml", n, f"staff{n}@{REGULATOR}", subject, text, signed=True)
    return [{"type": "drive", "path": str(drive)}, {"type": "gmail", "path": str(gmail)}]
