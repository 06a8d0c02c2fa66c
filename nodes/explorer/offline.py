"""The offline explorer brain: walk a source's listing tools page by page and download what the limits allow."""

from __future__ import annotations

from nodes.context import Context
from nodes.explorer.base import RETRY_ATTEMPTS, Budget, Emit, ToolFailure, call, ext_of, safe_name, sha256_file
from nodes.explorer.drive import DriveExploration, folder_path
from nodes.explorer.gmail import GmailExploration, subject_root
from nodes.explorer.sheets import SheetsExploration
from nodes.state import SourceRecord
from tools.sandbox.sandbox import Sandbox
from tools.scoping import ToolRunner
from tools.sources.registry import source_type

__all__ = [
    "Budget",
    "OfflineExplorer",
    "RETRY_ATTEMPTS",
    "ToolFailure",
    "call",
    "explore_offline",
    "ext_of",
    "folder_path",
    "safe_name",
    "sha256_file",
    "subject_root",
]


class OfflineExplorer(GmailExploration, DriveExploration, SheetsExploration):
    """Deterministic exploration of one source through its scoped tools."""

    def run(self) -> SourceRecord:
        source_type(self.source["type"]).walk(self)
        self.emit(
            "source_explored",
            source=self.key,
            listed=self.listed,
            downloaded=len(self.items),
            failed=len(self.failures),
            skipped=len(self.skipped),
        )
        return self.record()


def explore_offline(
    ctx: Context,
    source: dict,
    source_key: str,
    tools: ToolRunner,
    sandbox: Sandbox,
    emit: Emit,
    known: dict[str, dict] | None = None,
    hints: list[dict] | None = None,
) -> SourceRecord:
    """Explore one source with the offline brain and return its record; `known` is the item ledger,
    `hints` the forum hints whose trusted skip rules it applies."""
    return OfflineExplorer(ctx, source, source_key, tools, sandbox, emit, known, hints).run()
