"""Re-read a client's sources for evaluation: the same explorer walk and parsers a run uses, no KB writes.

Each source is walked by the offline explorer (ledger ignored, nothing posted to the forum)
in a temporary workspace, then every downloaded item goes through the parsers that
`parse_items` uses. The result says which items exist (for citations) and what text each
parsed into (for coverage).
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from nodes.context import Context, source_key
from nodes.deps import make_explorer_tools, make_sandbox
from nodes.explorer.offline import explore_offline
from tools.parsers import is_archive, parse_archive, parse_file


@dataclass
class SourceTexts:
    """What the sources hold: every item locator listed, and each parsed item's text."""

    locators: set[str] = field(default_factory=set)
    texts: dict[str, str] = field(default_factory=dict)
    failures: list[dict] = field(default_factory=list)


def _parse(item: dict, max_bytes: int) -> tuple[str, str]:
    """Return (text, failure reason) of one downloaded item, as parse_items reads it."""
    path = Path(item["path"])
    name = item["name"] if item.get("kind") in ("file", "attachment") else path.name
    parse = parse_archive if is_archive(path, name) else parse_file
    result = parse(path, name=name, max_bytes=max_bytes)
    if not result.ok:
        return "", result.reason or "no text"
    return "\n\n".join(s.text for s in result.sections), ""


def read_sources(ctx: Context, sources: list[dict]) -> SourceTexts:
    """Explore and parse `sources` offline into a SourceTexts; one bad item fails alone."""
    out = SourceTexts()
    with tempfile.TemporaryDirectory(prefix="grove-eval-") as root:
        # Searchable, not listable: the sandbox hands each workspace to an unprivileged uid,
        # which must be able to reach it (a private parent would keep its commands as root).
        os.chmod(root, 0o711)
        run = replace(ctx, workspace_root=root, full_refresh=True, only_items=[], sources=sources)
        for index, source in enumerate(sources):
            key = source_key(source, index)
            sandbox = make_sandbox(run, "eval", f"explore-{key}")
            try:
                tools = make_explorer_tools(run, source, sandbox)
                record = explore_offline(run, source, key, tools, sandbox, lambda *a, **k: None, {})
            finally:
                sandbox.close()
            for gone in record.get("failures") or []:
                out.locators.add(gone["locator"])
                out.failures.append({"locator": gone["locator"], "reason": gone["reason"]})
            for skipped in record.get("skipped") or []:
                out.locators.add(skipped["locator"])
            for item in record.get("items") or []:
                out.locators.add(item["locator"])
                text, reason = _parse(item, run.max_item_bytes)
                if reason:
                    out.failures.append({"locator": item["locator"], "reason": reason})
                else:
                    out.texts[item["locator"]] = text
    return out
