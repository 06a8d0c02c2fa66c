"""P7: the KB's bulk write rate of entries, against raw `sqlite3.executemany` of the same rows.

N entry drafts (synthetic text, 60 words each, spread over a 3-level tree of 1,000 entry
groups) are written through `SqliteStore.upsert_entries` in batches of BATCH, as the KB
node writes one structurer batch per call. The baseline inserts exactly the rows the store
wrote (same ids, hashes and tree ids, read back from the store's file) into a fresh file
with the same schema (so the same FTS index and triggers), tree nodes created beforehand,
one `executemany` per batch inside BEGIN IMMEDIATE .. COMMIT. Ratio = store rate / raw rate.
The store runs without entry vectors (`vectors=False`): embedding is model time, not storage,
and the pipeline's measure (P2) carries it.
"""

from __future__ import annotations

import sqlite3
import tempfile
import time
from pathlib import Path

from bench.result import Result, cli

ENTRIES = 50_000
BATCH = 500
GOAL = 0.5
_COLUMNS = (
    "id",
    "client_id",
    "tree_node_id",
    "domain_id",
    "skill_id",
    "title",
    "content",
    "source_type",
    "file_type",
    "locator",
    "item_id",
    "content_hash",
    "run_id",
)

FINDINGS = """
**Findings.** Both sides pay for the same schema: six indexes on `knowledge_entries`
(random 32- and 64-character keys among them) and the FTS5 index kept by a trigger, which
is most of the cost of a row. The store adds hashing each draft, creating or reusing its
tree path once per distinct (domain, skill, group) in the batch, and building the rows in
Python.
"""


def _store_write(path: Path, batches: list) -> float:
    from kb.sqlite.store import SqliteStore

    with SqliteStore(path, vectors=False) as store:
        started = time.perf_counter()
        for batch in batches:
            store.upsert_entries("bench", batch, "run-1")
        return time.perf_counter() - started


def _raw_write(path: Path, source: Path, batch: int) -> tuple[float, int]:
    """Copy the tree, then time inserting the store's entry rows with plain executemany."""
    from kb.sqlite.store import SqliteStore

    SqliteStore(path).close()  # the same schema, indexes and triggers
    with sqlite3.connect(source) as src:
        tree = src.execute(
            "SELECT * FROM knowledge_tree ORDER BY CASE level WHEN 'domain' THEN 0 WHEN 'skill' THEN 1 ELSE 2 END"
        ).fetchall()
        rows = src.execute(f"SELECT {', '.join(_COLUMNS)} FROM knowledge_entries ORDER BY pk").fetchall()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.executemany("INSERT INTO knowledge_tree VALUES (?, ?, ?, ?, ?, ?, ?)", tree)
    insert = f"INSERT INTO knowledge_entries ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})"
    started = time.perf_counter()
    for start in range(0, len(rows), batch):
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(insert, rows[start : start + batch])
        conn.execute("COMMIT")
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed, len(rows)


def measure(tiny: bool = False) -> Result:
    """P7: KB bulk write rate of entries, against raw sqlite3.executemany of the same rows."""
    from bench.corpus import Corpus, drafts, tree_names

    count, batch = (2_000, 200) if tiny else (ENTRIES, BATCH)
    corpus = Corpus(stream=200_000 if tiny else 2_000_000)
    places = tree_names(10, 10, 10)
    all_drafts = drafts(corpus, places, count, "p7")
    batches = [all_drafts[i : i + batch] for i in range(0, count, batch)]
    with tempfile.TemporaryDirectory(prefix="grove-bench-p7-") as tmp:
        store_s = _store_write(Path(tmp) / "store.db", batches)
        raw_s, rows = _raw_write(Path(tmp) / "raw.db", Path(tmp) / "store.db", batch)
    store_rate, raw_rate = count / store_s, rows / raw_s
    return Result(
        "P7",
        "kb_writes",
        round(store_rate / raw_rate, 3),
        GOAL,
        better="higher",
        measured={
            "entries": count,
            "batch": batch,
            "rows_written": rows,
            "store_s": round(store_s, 3),
            "raw_s": round(raw_s, 3),
            "store_rows_per_s": round(store_rate),
            "raw_rows_per_s": round(raw_rate),
        },
        note="" if rows == count else f"the store wrote {rows} rows of {count}",
    )


if __name__ == "__main__":
    raise SystemExit(cli(measure))
