"""Plain-language questions become quoted, OR-ed FTS5 terms."""

from __future__ import annotations

from kb.search.query import fts_query, query_terms


def test_stop_words_are_dropped_and_terms_deduplicated():
    assert query_terms("What is the monthly fee for the Fitness center? The fee!") == [
        "monthly",
        "fee",
        "fitness",
        "center",
    ]


def test_terms_are_quoted_and_or_ed():
    assert fts_query("monthly fee") == '"monthly" OR "fee"'


def test_syntax_characters_never_reach_fts():
    q = fts_query('fee" OR NEAR(x*, y) -z ^a col:b')
    assert q == '"fee" OR "near" OR "x" OR "y" OR "z" OR "col" OR "b"'


def test_nothing_left_is_none():
    assert fts_query("") is None
    assert fts_query("what is it?") is None


def test_unicode_words_survive():
    assert query_terms("Gebühr für Zürich") == ["gebühr", "für", "zürich"]
