"""Slugs identify a node among its siblings, whatever the case, spacing or accents."""

from __future__ import annotations

from kb.slug import MAX_SLUG, slugify


def test_slugify():
    assert slugify("Monthly  Runs") == "monthly-runs"
    assert slugify("  R&D / Tax_Credits ") == "r-d-tax-credits"
    assert slugify("Café Niño") == "cafe-nino"
    assert slugify("会计") == "会计"
    assert slugify("!!!") == ""
    assert len(slugify("x" * 500)) == MAX_SLUG
