"""Entry vectors in a sqlite-vec `vec0` table, partitioned by client, with the entry's place as metadata.

The client id is the table's partition key, so a client's nearest-neighbour query reads only
that client's vectors whatever the size of the KB; domain, skill and group ids are metadata
columns that narrow a subtree search inside the partition. Rows are keyed by the entry's
rowid (`knowledge_entries.pk`).

Loading an extension needs a sqlite3 module built for it. Python builds without it (pyenv's
default, some macOS builds) use `sqlean` (the sqlean.py wheel: the stdlib module with
extensions enabled) for this table's connection. That is a second SQLite library in the
process, and two libraries must never open the same file (their POSIX locks clobber each
other and corrupt it), so the table lives in its own file beside the KB (`<kb>.vectors`);
`:memory:` stores keep it in a private in-memory database. Vectors are derived data: an entry
without one is embedded at its next write, a vector without its entry is skipped.
"""

from __future__ import annotations

import logging
import threading
from contextlib import contextmanager
from typing import Iterable, Iterator, Sequence

import numpy as np

from kb.models import KBError
from kb.search.embed import Embedder, embed_entries

log = logging.getLogger(__name__)

TABLE = "knowledge_entries_vec"
SCOPE_COLUMNS = ("domain_id", "skill_id", "group_id")
# vec0 answers at most this many neighbours per query.
MAX_K = 4096


def vectors_path(kb_path: str) -> str:
    """The file of a KB's vectors: beside the KB file, or in memory for an in-memory KB."""
    return kb_path if kb_path == ":memory:" else f"{kb_path}.vectors"


class VectorsUnavailable(KBError):
    """sqlite-vec cannot be loaded on this machine; search runs on BM25 alone."""


def _connect(path: str, timeout: float):
    import sqlite_vec

    modules = []
    try:
        import sqlite3

        modules.append(sqlite3)
    except ImportError:  # pragma: no cover - the stdlib module is always there on CPython
        pass
    try:
        import sqlean

        modules.append(sqlean)
    except ImportError:
        pass
    for module in modules:
        conn = module.connect(path, isolation_level=None, check_same_thread=False, timeout=timeout)
        if not hasattr(conn, "enable_load_extension"):
            conn.close()
            continue
        conn.enable_load_extension(True)
        sqlite_vec.load(conn)
        conn.enable_load_extension(False)
        return conn
    raise VectorsUnavailable("no sqlite3 module here can load extensions (install sqlean.py)")


class VectorIndex:
    """The vec0 table of one KB file: add, delete and query entry vectors, one client at a time."""

    def __init__(self, path: str, dim: int, busy_timeout_ms: int = 30_000) -> None:
        self.dim = dim
        try:
            self._conn = _connect(path, busy_timeout_ms / 1000)
        except ImportError as exc:
            raise VectorsUnavailable(f"sqlite-vec is not installed ({exc})") from exc
        self._lock = threading.RLock()
        self._conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        if path != ":memory:":
            self._conn.execute("PRAGMA journal_mode = WAL")
        self._conn.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING vec0("
            "client_id text partition key, domain_id text, skill_id text, group_id text, "
            f"embedding float[{dim}] distance_metric=cosine)"
        )

    @contextmanager
    def _write(self) -> Iterator:
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def missing(self, pks: Iterable[int]) -> list[int]:
        """Return the entry rowids of `pks` that have no vector yet."""
        with self._lock:
            return [
                pk
                for pk in pks
                if self._conn.execute(f"SELECT 1 FROM {TABLE} WHERE rowid = ?", (pk,)).fetchone() is None
            ]

    def add(self, rows: Sequence[tuple[int, str, str, str, str]], vectors: np.ndarray) -> None:
        """Store one vector per (pk, client_id, domain_id, skill_id, group_id) row."""
        if not rows:
            return
        data = np.ascontiguousarray(vectors, dtype=np.float32)
        with self._write() as conn:
            conn.executemany(f"DELETE FROM {TABLE} WHERE rowid = ?", [(r[0],) for r in rows])
            conn.executemany(
                f"INSERT INTO {TABLE} (rowid, client_id, domain_id, skill_id, group_id, embedding) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [(*row, data[n].tobytes()) for n, row in enumerate(rows)],
            )

    def delete(self, pks: Iterable[int]) -> None:
        """Drop the vectors of these entry rowids."""
        keys = [(pk,) for pk in pks]
        if keys:
            with self._write() as conn:
                conn.executemany(f"DELETE FROM {TABLE} WHERE rowid = ?", keys)

    def delete_client(self, client_id: str) -> int:
        """Drop every vector of one client; return how many."""
        with self._write() as conn:
            return conn.execute(f"DELETE FROM {TABLE} WHERE client_id = ?", (client_id,)).rowcount

    def nearest(
        self, client_id: str, vector: np.ndarray, k: int, depth: int = 0, scope_ids: Sequence[str] = ()
    ) -> list[tuple[int, float]]:
        """Return (pk, cosine distance) of the client's k nearest entries, within the scope if given.

        `depth` 1, 2 or 3 says whether `scope_ids` are domain, skill or group ids.
        """
        if k <= 0:
            return []
        sql = f"SELECT rowid, distance FROM {TABLE} WHERE embedding MATCH ? AND k = ? AND client_id = ?"
        params: list = [np.asarray(vector, dtype=np.float32).tobytes(), min(k, MAX_K), client_id]
        if depth:
            sql += f" AND {SCOPE_COLUMNS[depth - 1]} IN ({', '.join('?' * len(scope_ids))})"
            params += list(scope_ids)
        with self._lock:
            return [(r[0], r[1]) for r in self._conn.execute(sql + " ORDER BY distance", params)]

    def count(self, client_id: str) -> int:
        """How many vectors one client has."""
        with self._lock:
            return self._conn.execute(f"SELECT COUNT(*) FROM {TABLE} WHERE client_id = ?", (client_id,)).fetchone()[0]

    def close(self) -> None:
        with self._lock:
            self._conn.close()


def open_vectors(path: str, dim: int, busy_timeout_ms: int = 30_000) -> VectorIndex | None:
    """Open the vector table, or return None (logged once) when sqlite-vec cannot load here."""
    try:
        return VectorIndex(path, dim, busy_timeout_ms)
    except VectorsUnavailable as exc:
        log.warning("search runs on BM25 alone: %s", exc)
        return None


def index_entries(conn, vectors: VectorIndex, embedder: Embedder, client_id: str, ids: Sequence[str]) -> int:
    """Embed, in one batch, the client's entries of `ids` that have no vector yet; return how many.

    New entries and entries written before vectors existed get one; an entry already embedded
    is never embedded again, so re-runs over unchanged entries cost no model time.
    """
    found = {}
    for start in range(0, len(ids), 500):
        chunk = list(dict.fromkeys(ids[start : start + 500]))
        found.update(
            {
                r[0]: r
                for r in conn.execute(
                    "SELECT pk, domain_id, skill_id, tree_node_id, title, content FROM knowledge_entries "
                    f"WHERE client_id = ? AND id IN ({', '.join('?' * len(chunk))})",
                    [client_id, *chunk],
                )
            }
        )
    todo = [found[pk] for pk in vectors.missing(sorted(found))]
    if todo:
        embedded = embed_entries(embedder, [r[4] for r in todo], [r[5] for r in todo])
        vectors.add([(r[0], client_id, r[1], r[2], r[3]) for r in todo], embedded)
    return len(todo)
