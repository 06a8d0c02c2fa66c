"""P8: hybrid search (BM25 + vectors fused by reciprocal rank) p50 with 1,000,000 entries, against 10,000.

The KBs are P3's (one client of 10,000 entries; then the same client plus 99 others, 1,000,000
entries), each entry with a 256-number vector in the sqlite-vec table beside the KB. The
vectors are random unit vectors (the measure is the index's cost, not the model's quality;
embedding a million entries would take the bench an hour), loaded client by client. Queries
are P3's word pairs, each asked of the whole client and under a domain or a skill of it:
`search(client, query, under=..., limit=10)`, which embeds the query with the bundled model,
runs BM25 and the nearest-vector query (client partition, scope as metadata filter) and fuses
them. Ratio = the worse of the two p50 ratios (client-wide, subtree).
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from bench.result import Result, cli, percentile

GOAL = 2.0
SMALL, LARGE = 1, 100
PER_CLIENT = 10_000

FINDINGS = """
**Findings.** The client id is the vec0 table's partition key, so a client's nearest-neighbour
query reads only that client's vectors, and a subtree's domain, skill or group ids are
metadata columns filtered inside the partition; BM25 runs on the scoped candidates of P3.
Neither side reads the other clients' rows, so the hybrid search costs about the same with
1,000,000 entries as with 10,000.
"""


def add_vectors(path: Path, dim: int = 256, seed: int = 11) -> int:
    """Give every entry of the KB at `path` a random unit vector, client by client; return how many."""
    import sqlite3

    import numpy as np

    from kb.sqlite.vectors import VectorIndex, vectors_path

    rng = np.random.default_rng(seed)
    conn = sqlite3.connect(path)
    index = VectorIndex(vectors_path(str(path)), dim)
    clients = [r[0] for r in conn.execute("SELECT DISTINCT client_id FROM knowledge_entries ORDER BY client_id")]
    total = 0
    for client in clients:
        rows = conn.execute(
            "SELECT pk, client_id, domain_id, skill_id, tree_node_id FROM knowledge_entries "
            "WHERE client_id = ? ORDER BY pk",
            (client,),
        ).fetchall()
        vectors = rng.standard_normal((len(rows), dim)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        index.add(rows, vectors)
        total += len(rows)
    index.close()
    conn.close()
    return total


def run_queries(path: Path, words: list[str], repeat: int) -> dict:
    """p50 seconds of client-wide and subtree hybrid searches on the KB at `path`."""
    from bench.p3_search import _queries, _timed
    from kb.sqlite.store import SqliteStore

    wide, subtree = [], []
    with SqliteStore(path) as store:
        store.search("client-0", words[0])  # load the model, open the connections
        for _ in range(repeat):
            for query, scope in _queries(words):
                subtree.append(_timed(lambda: store.search("client-0", query, under=scope, limit=10)))
            for query, _ in _queries(words)[::4]:
                wide.append(_timed(lambda: store.search("client-0", query, limit=10)))
    return {
        "client_p50_ms": percentile(wide, 0.5) * 1000,
        "subtree_p50_ms": percentile(subtree, 0.5) * 1000,
        "subtree_p90_ms": percentile(subtree, 0.9) * 1000,
        "queries": len(wide) + len(subtree),
    }


def measure(tiny: bool = False) -> Result:
    """P8: hybrid search p50 at 1,000,000 entries, against the same at 10,000."""
    from bench.corpus import Corpus
    from bench.kb_build import build

    small, large = (1, 4) if tiny else (SMALL, LARGE)
    per_client = 1_000 if tiny else PER_CLIENT
    words = Corpus().query_words(8)
    out: dict = {}
    with tempfile.TemporaryDirectory(prefix="grove-bench-p8-") as tmp:
        for label, clients in (("small", small), ("large", large)):
            path = Path(tmp) / f"{label}.db"
            started = time.perf_counter()
            build(path, clients, per_client, 0)
            out[f"{label}_vectors"] = add_vectors(path)
            out[f"{label}_build_s"] = round(time.perf_counter() - started, 1)
            out[label] = {k: round(v, 3) for k, v in run_queries(path, words, 1 if tiny else 3).items()}
            out[label]["entries"] = clients * per_client
            for leftover in Path(tmp).glob(f"{label}.db*"):
                leftover.unlink()
    ratios = {
        f"{kind}_ratio": out["large"][f"{kind}_p50_ms"] / max(out["small"][f"{kind}_p50_ms"], 1e-6)
        for kind in ("client", "subtree")
    }
    out.update({k: round(v, 3) for k, v in ratios.items()})
    return Result("P8", "hybrid_search", round(max(ratios.values()), 3), GOAL, measured=out)


if __name__ == "__main__":
    raise SystemExit(cli(measure))
