"""The built-in taxonomy loads, classifies from hints and text, and can be replaced."""

import json

import pytest

from kb.taxonomy import load_taxonomy, parse_taxonomy


def test_builtin_taxonomy_has_the_business_domains():
    names = {d.name for d in load_taxonomy().domains}
    assert {"Finance", "HR", "Legal", "Operations", "Sales", "Regulatory", "Strategy"} <= names
    assert all(d.skills for d in load_taxonomy().domains)


@pytest.mark.parametrize(
    "hints, text, domain",
    [
        (["Regulatory", "TWFERCExtension.doc"], "request for extension of time, FERC docket CP01-115", "Regulatory"),
        (["HR", "Onboarding 2002", "W4_2002.pdf"], "Employee's Withholding Allowance Certificate", "HR"),
        (["Legal"], "This confidentiality agreement between the parties", "Legal"),
        (["sheets", "PCS Live Trades"], "deal number, swap, volume, price per mmbtu", "Sales"),
        (["INBOX", "lunch?"], "see you at noon", "General"),
    ],
)
def test_classify_uses_hints_then_text(hints, text, domain):
    got, skill, score = load_taxonomy().classify(hints, text)
    assert got == domain, (got, skill, score)


def test_a_user_taxonomy_file_replaces_the_builtin(tmp_path):
    path = tmp_path / "tax.json"
    path.write_text(
        json.dumps({"domains": [{"name": "Kitchen", "skills": [{"name": "Recipes", "keywords": ["flour"]}]}]})
    )
    tax = load_taxonomy(str(path))
    assert tax.classify([], "two cups of flour")[:2] == ("Kitchen", "Recipes")


def test_malformed_taxonomy_says_what_is_wrong():
    with pytest.raises(ValueError, match="malformed"):
        parse_taxonomy({"domains": [{"skills": []}]})
    with pytest.raises(ValueError, match="at least one"):
        parse_taxonomy({"domains": []})
