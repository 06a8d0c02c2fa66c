"""Splitting long sections never drops text and respects the limit."""

from nodes.structurer.extract_entries import split_text


def test_split_keeps_every_word_and_respects_the_limit():
    text = "\n\n".join(f"Paragraph {i} " + "word " * 50 for i in range(40))
    chunks = split_text(text, 500)
    assert all(len(c) <= 500 for c in chunks)
    assert " ".join(" ".join(chunks).split()) == " ".join(text.split())


def test_split_of_unbroken_text_and_empty_text():
    assert split_text("x" * 1200, 500) == ["x" * 500, "x" * 500, "x" * 200]
    assert split_text("   ", 500) == []
    assert split_text("short", 500) == ["short"]
