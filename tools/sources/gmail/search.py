"""Running Gmail searches over the index, with the last few result lists cached for paging."""

from __future__ import annotations

import re
from array import array
from collections import OrderedDict
from typing import Any

from tools.sources.gmail.labels import SYSTEM, label_id
from tools.sources.gmail.mail_index import MailEntry, MailIndex
from tools.sources.gmail.query import compile_mail_query

_MENTIONS_BIN = re.compile(r"\b(in|label|is):(spam|trash)\b", re.I)
_CACHED = 8


class MailSearch:
    """Matches for (query, label ids, spam/trash flag); paging reuses them, not a rescan.

    A result is the matches' places in the index's newest-first listing (8 bytes each), so
    even a listing of every message of a large mailbox stays small; pages read their rows.
    """

    def __init__(self, index: MailIndex) -> None:
        self.index = index
        self._results: OrderedDict[tuple, array] = OrderedDict()

    def run(self, query: Any, label_ids: list[str], spam_trash: bool) -> array:
        """Return the places of matching messages, newest first; SPAM and TRASH only when asked for."""
        key = (str(query or ""), tuple(sorted(_as_ids(label_ids))), spam_trash)
        if key not in self._results:
            self._results[key] = self._scan(*key)
            while len(self._results) > _CACHED:
                self._results.popitem(last=False)
        self._results.move_to_end(key)
        return self._results[key]

    def _scan(self, query: str, label_ids: tuple[str, ...], spam_trash: bool) -> array:
        compiled = compile_mail_query(query)
        show_bin = spam_trash or compiled.anywhere or bool(_MENTIONS_BIN.search(query))
        wanted = set(label_ids)
        bodies: dict[str, str] = {}

        def body(entry: MailEntry) -> str:
            # Parsed at most once per message per scan, and dropped right after.
            if entry.id not in bodies:
                bodies[entry.id] = self.index.parsed(entry).body_text
            return bodies[entry.id]

        found = array("q")
        for entry in self.index.entries:
            labels = set(entry.labels)
            if (show_bin or not {"SPAM", "TRASH"} & labels) and wanted <= labels:
                if compiled.matches(entry, body):
                    found.append(entry.pos)
            bodies.pop(entry.id, None)
        return found


def _as_ids(labels: list[str]) -> set[str]:
    # Label names given where ids belong ("Finance" for "Label_...") are mapped, not ignored.
    out = set()
    for label in map(str, labels):
        out.add(label if label in SYSTEM or label.startswith("Label_") else (label_id(label) or label))
    return out
