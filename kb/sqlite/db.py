"""SQLite connections for the KB: one per thread, WAL, busy timeout, immediate write transactions."""

from __future__ import annotations

import sqlite3
import threading
from contextlib import contextmanager, nullcontext
from importlib import resources
from pathlib import Path
from typing import Iterator

from kb.forum.terms import COLUMNS, index_forum
from kb.models import KBError, LevelError

SCHEMA_VERSION = (
    5  # 2: forum_sightings; 3: forum hint indexes; 4: scope tokens in the entry FTS; 5: forum rules, also_at
)
_LEVEL_ABORT = "grove-level:"
# Before 4 the entry FTS had no scope column: drop it and its triggers (the schema script makes
# them again) and rebuild it from the entries afterwards.
_DROP_ENTRY_FTS = """
DROP TRIGGER IF EXISTS knowledge_entries_ai;
DROP TRIGGER IF EXISTS knowledge_entries_ad;
DROP TRIGGER IF EXISTS knowledge_entries_au;
DROP TABLE IF EXISTS knowledge_entries_fts;
"""
_REBUILD_ENTRY_FTS = "INSERT INTO knowledge_entries_fts (knowledge_entries_fts) VALUES ('rebuild');"
# Before 5 the forum had a full-text table; its words now live in impact-ordered postings.
_DROP_FORUM_FTS = """
DROP TRIGGER IF EXISTS forum_entries_ai;
DROP TRIGGER IF EXISTS forum_entries_ad;
DROP TRIGGER IF EXISTS forum_entries_au;
DROP TABLE IF EXISTS forum_entries_fts;
"""


def _forum_rule_columns(conn: sqlite3.Connection) -> str:
    """The ALTERs giving an older file's forum the rule columns (5), or '' when it has them or no forum."""
    have = {row[1] for row in conn.execute("PRAGMA table_info(forum_entries)")}
    if not have:
        return ""
    return "".join(
        f"ALTER TABLE forum_entries ADD COLUMN {c} TEXT NOT NULL DEFAULT '';\n"
        for c in ("kind", "rule")
        if c not in have
    )


# Before 5 an entry had one locator: merged duplicates now keep theirs in also_at (a JSON list).
_ADD_ALSO_AT = "ALTER TABLE knowledge_entries ADD COLUMN also_at TEXT NOT NULL DEFAULT '[]';"


def _schema_sql() -> str:
    return resources.files("kb").joinpath("schema.sql").read_text(encoding="utf-8")


class Database:
    """A SQLite file shared by threads: each thread gets its own connection.

    `:memory:` is the exception: one connection, guarded by a lock, because every new
    connection to `:memory:` would open a different, empty database.
    """

    def __init__(self, path: str, busy_timeout_ms: int = 30_000) -> None:
        self.path = path
        self.memory = path == ":memory:"
        self._busy_timeout_ms = busy_timeout_ms
        self._local = threading.local()
        # Connections by owning thread: a finished thread's connection is closed at the next open.
        self._connections: dict[threading.Thread, sqlite3.Connection] = {}
        self._registry_lock = threading.Lock()
        self._guard = threading.RLock() if self.memory else nullcontext()
        self._shared: sqlite3.Connection | None = None
        self._closed = False
        if not self.memory:
            Path(path).expanduser().parent.mkdir(parents=True, exist_ok=True)
        self._create_schema(self._connection())

    def _open(self) -> sqlite3.Connection:
        conn = sqlite3.connect(
            self.path,
            isolation_level=None,  # we issue BEGIN IMMEDIATE / COMMIT ourselves
            check_same_thread=False,  # only so close() may close every thread's connection
            timeout=self._busy_timeout_ms / 1000,
        )
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout = {int(self._busy_timeout_ms)}")
        if not self.memory:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
        return conn

    def _connection(self) -> sqlite3.Connection:
        if self._closed:
            raise KBError(f"the knowledge base {self.path!r} is closed")
        if self.memory:
            if self._shared is None:
                self._shared = self._open()
            return self._shared
        conn = getattr(self._local, "conn", None)
        if conn is None:
            with self._registry_lock:
                for thread in [t for t in self._connections if not t.is_alive()]:
                    self._connections.pop(thread).close()
                conn = self._local.conn = self._connections[threading.current_thread()] = self._open()
        return conn

    @staticmethod
    def _create_schema(conn: sqlite3.Connection) -> None:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version >= SCHEMA_VERSION:
            return
        drop, rebuild = (_DROP_ENTRY_FTS, _REBUILD_ENTRY_FTS) if version < 4 else ("", "")
        if version < 5:
            drop += _DROP_FORUM_FTS + _forum_rule_columns(conn)
        columns = {r[1] for r in conn.execute("PRAGMA table_info(knowledge_entries)")}
        add = _ADD_ALSO_AT if columns and "also_at" not in columns else ""
        try:
            conn.executescript(f"BEGIN IMMEDIATE;\n{drop}{add}{_schema_sql()}\n{rebuild}\n")
            if version < 5:
                index_forum(conn, conn.execute(f"SELECT {COLUMNS} FROM forum_entries").fetchall())
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """Yield this thread's connection for reads (each statement sees a committed snapshot)."""
        with self._guard:
            yield self._connection()

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """Yield this thread's connection inside BEGIN IMMEDIATE; commit, or roll back on error.

        IMMEDIATE takes the write lock up front, so a writer waits (busy_timeout) instead of
        failing with 'database is locked' when it upgrades from reading to writing.
        """
        with self._guard:
            conn = self._connection()
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except sqlite3.IntegrityError as exc:
                conn.execute("ROLLBACK")
                if str(exc).startswith(_LEVEL_ABORT):
                    raise LevelError(str(exc)[len(_LEVEL_ABORT) :].strip()) from exc
                raise
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            try:
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise

    def close(self) -> None:
        """Close every connection opened by any thread; later calls raise KBError."""
        with self._registry_lock:
            self._closed = True
            for conn in self._connections.values():
                conn.close()
            self._connections.clear()
            if self._shared is not None:
                self._shared.close()
                self._shared = None
