"""Forum text loses every address, number, id and name before it is shared."""

from __future__ import annotations

import pytest

from kb.scrub import header_names, scrub

MAIL = """From: Kenneth Lay <ken.lay@enron.com>
To: "Skilling, Jeff" <jeff.skilling@corp.local>, Sherron Watkins <sw@enron.com>
Subject: payroll change

Jeff, please call (713) 853-6161 or +49 30 12345678 or +44 20 7946 0958.
Account no: 12-3456-78 and acct 99887766; IBAN DE89 3704 0044 0532 0130 00.
Card 4111 1111 1111 1111. Employee 00123456 at 1400 Smith Street.
See https://portal.example.com/pay?user=klay&token=abc123 for details.
Doc 1A2b3C4d5E6f7G8h9I0j. Thanks, Ken Lay. SKILLING agreed.
"""

SECRETS = [
    "ken.lay@enron.com",
    "jeff.skilling@corp.local",
    "sw@enron.com",
    "853-6161",
    "12345678",
    "7946 0958",
    "12-3456-78",
    "99887766",
    "DE89",
    "4111",
    "00123456",
    "1400 Smith",
    "token=abc123",
    "klay",
    "1A2b3C4d5E6f7G8h9I0j",
    "Kenneth",
    "Lay",
    "Jeff",
    "Skilling",
    "SKILLING",
    "Sherron",
    "Watkins",
]


def test_mail_is_scrubbed_of_every_secret():
    out = scrub(MAIL)
    for secret in SECRETS:
        assert secret not in out, secret
    for placeholder in ("[email]", "[phone]", "[account]", "[iban]", "[card]", "[url]", "[name]", "[id]"):
        assert placeholder in out, placeholder
    assert "Subject: payroll change" in out


def test_header_names_are_read_from_address_headers():
    assert sorted(header_names(MAIL)) == ["Kenneth Lay", "Sherron Watkins", "Skilling, Jeff"]


def test_given_names_are_removed_in_any_order_and_case():
    out = scrub("Ask Mary Smith, or SMITH, or smith, mary.", names=["Mary Smith"])
    assert "Mary" not in out and "SMITH" not in out and "Smith" not in out
    assert out.count("[name]") >= 3


@pytest.mark.parametrize(
    "text",
    [
        "Invoices arrive as PDF attachments every Monday.",
        "Sheets have 12 columns and a header row; dates look like 2002-02-28.",
        "Use the Drive folder https://drive.google.com/drive/folders for contracts.",
    ],
)
def test_patterns_without_client_data_are_kept(text):
    assert scrub(text) == text


def test_bare_email_with_private_tld():
    assert scrub("write to bob@evil.tld today") == "write to [email] today"


def test_long_digit_runs_and_grouped_numbers():
    out = scrub("ticket 98765432 and total 1,250,000 and ref 555 1234 567")
    assert "98765432" not in out and "1,250,000" not in out and "1234" not in out
