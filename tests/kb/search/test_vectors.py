"""Entry vectors: bundled model offline, client-partitioned storage, scoping, no recomputation."""

from __future__ import annotations

import numpy as np
import pytest

from kb.models import EntryDraft
from kb.search import embed as embed_module
from kb.search.embed import WordLlamaEmbedder, default_embedder, embed_entries
from kb.sqlite.store import SqliteStore
from kb.sqlite.vectors import VectorIndex, vectors_path


class CountingEmbedder:
    """The real model, counting the texts it embeds."""

    def __init__(self) -> None:
        self.inner = default_embedder()
        self.name, self.dim = self.inner.name, self.inner.dim
        self.texts: list[str] = []

    def embed(self, texts):
        self.texts.extend(texts)
        return self.inner.embed(texts)


def draft(content, title, domain="Finance", skill="Payroll", group="Runs", item="i1", locator=""):
    return EntryDraft(
        domain=domain,
        skill=skill,
        group=group,
        title=title,
        content=content,
        source_type="drive",
        file_type="txt",
        locator=locator or f"drive:{item}.txt",
        item_id=item,
    )


def test_the_bundled_model_loads_and_embeds_without_network():
    # pytest-socket refuses every connection: a download attempt would fail this test.
    model = WordLlamaEmbedder()
    vectors = model.embed(
        ["restart cost estimate", "the plan estimates the restart will cost $2 million", "holiday party menu"]
    )
    assert vectors.shape == (3, embed_module.DIM) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]
    assert model.embed([]).shape == (0, embed_module.DIM)
    both = embed_entries(model, ["Restart plan"], ["It will cost $2 million."])
    assert both.shape == (1, embed_module.DIM) and np.isclose(np.linalg.norm(both[0]), 1.0)


def test_vectors_are_partitioned_by_client_and_filtered_by_place(tmp_path):
    index = VectorIndex(str(tmp_path / "v.db"), dim=4)
    unit = np.eye(4, dtype=np.float32)
    index.add([(1, "acme", "d1", "s1", "g1"), (2, "acme", "d2", "s2", "g2"), (3, "globex", "d1", "s1", "g1")], unit[:3])
    assert [pk for pk, _ in index.nearest("acme", np.array([1, 0.5, 0, 0], dtype=np.float32), k=5)] == [1, 2]
    assert [pk for pk, _ in index.nearest("globex", unit[0], k=5)] == [3]
    assert [pk for pk, _ in index.nearest("acme", unit[0], k=5, depth=1, scope_ids=["d2"])] == [2]
    assert [pk for pk, _ in index.nearest("acme", unit[1], k=5, depth=3, scope_ids=["g1", "g2"])][0] == 2
    assert index.missing([1, 2, 3, 4]) == [4]
    index.delete([2])
    assert index.count("acme") == 1 and index.delete_client("globex") == 1 and index.count("globex") == 0
    index.close()


def test_the_store_embeds_new_entries_once_and_scopes_vector_hits(tmp_path):
    counter = CountingEmbedder()
    path = tmp_path / "kb.db"
    store = SqliteStore(path, embedder=counter)
    drafts = [
        draft(
            "The restart and integration plan is estimated to cost less than two million dollars.",
            "ERCOT business plan",
            item="plan",
        ),
        draft(
            "Employees get twenty-five days of paid leave a year.",
            "Leave policy",
            domain="HR",
            skill="Policies",
            group="Leave",
            item="leave",
        ),
    ]
    store.upsert_entries("acme", drafts, "r1")
    store.upsert_entries("globex", drafts[:1], "r1")
    assert len(counter.texts) == 2 * 3  # a title and a text per new entry
    assert (tmp_path / "kb.db.vectors").is_file() and vectors_path(str(path)) == f"{path}.vectors"
    store.upsert_entries("acme", drafts, "r2")  # unchanged entries: nothing embedded again
    assert len(counter.texts) == 6
    hits = store.search("acme", "what would bringing the trading desk back cost?")
    assert hits and hits[0].entry.title == "ERCOT business plan" and {h.entry.client_id for h in hits} == {"acme"}
    scoped = store.search("acme", "what would bringing the trading desk back cost?", under="HR")
    assert all(h.path[0] == "HR" for h in scoped)
    store.delete_item_entries("acme", "drive", "plan")
    assert all(h.entry.item_id != "plan" for h in store.search("acme", "restart plan cost"))
    store.delete_client("globex")
    assert store.search("globex", "restart plan cost") == []
    store.close()


def test_entries_written_before_vectors_get_them_at_their_next_write(tmp_path):
    path = tmp_path / "kb.db"
    with SqliteStore(path, vectors=False) as plain:
        plain.upsert_entries("acme", [draft("Quarterly tax filings are due in April.", "Tax calendar")], "r1")
    assert not (tmp_path / "kb.db.vectors").exists()
    counter = CountingEmbedder()
    with SqliteStore(path, embedder=counter) as store:
        store.upsert_entries("acme", [draft("Quarterly tax filings are due in April.", "Tax calendar")], "r2")
        assert len(counter.texts) == 2
        store.upsert_entries("acme", [draft("Quarterly tax filings are due in April.", "Tax calendar")], "r3")
        assert len(counter.texts) == 2


def test_search_without_vectors_is_bm25_alone(tmp_path):
    with SqliteStore(tmp_path / "kb.db", vectors=False) as store:
        store.upsert_entries("acme", [draft("Invoices are paid net 30.", "Vendor terms")], "r1")
        assert [h.entry.title for h in store.search("acme", "invoices")] == ["Vendor terms"]
        assert store.search("acme", "holiday party") == []


@pytest.mark.parametrize("question", ["", "what is the"])
def test_empty_questions_find_nothing(tmp_path, question):
    with SqliteStore(tmp_path / "kb.db") as store:
        store.upsert_entries("acme", [draft("Invoices are paid net 30.", "Vendor terms")], "r1")
        assert store.search("acme", question) == []


def test_a_model_that_cannot_load_leaves_search_on_bm25(tmp_path, monkeypatch):
    def broken():
        raise FileNotFoundError("no model files")

    monkeypatch.setattr("kb.sqlite.store.default_embedder", broken)
    with SqliteStore(tmp_path / "kb.db") as store:
        store.upsert_entries("acme", [draft("Invoices are paid net 30.", "Vendor terms")], "r1")
        assert [h.entry.title for h in store.search("acme", "invoices")] == ["Vendor terms"]
