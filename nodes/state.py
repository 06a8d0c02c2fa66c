"""State schemas of the three graphs and the keyed, order-independent reducers they use."""

from __future__ import annotations

from typing import Annotated, Any, Callable

# typing_extensions' TypedDict: pydantic (Studio's input/output forms) rejects typing's on Python 3.11.
from typing_extensions import TypedDict


class Item(TypedDict, total=False):
    """A downloaded source item: a reference into a sandbox workspace, never the bytes."""

    item_id: (
        str  # stable id within its source type (message id, file id, "sheet id/sheet name", "message id/attachment")
    )
    source_type: str  # gmail | drive | sheets
    source_key: str  # which configured source it came from
    kind: str  # message | attachment | file | sheet
    name: str  # display name (subject, file name, sheet title)
    path: str  # absolute path of the downloaded copy inside the agent's workspace
    sha256: str
    size: int
    revision: str  # source revision: modified time, message id, ...
    locator: str  # where it lives in the source: gmail:<msg id>, drive:<path>, sheets:<book>/<sheet>
    hints: list[str]  # folder names, labels, subjects, sheet names: classification hints
    group_key: str  # entry group key: thread id, document id or sheet id
    group_name: str  # readable entry group name
    file_type: str  # extension without dot, or "eml" for messages


class Failure(TypedDict):
    """An item that could not be explored or structured, with its reason."""

    item_id: str
    source_type: str
    locator: str
    reason: str


class SourceRecord(TypedDict, total=False):
    """What one explorer branch did: ok / failed / skipped, plus its manifest."""

    source_key: str
    source_type: str
    status: str  # ok | failed | skipped
    reason: str
    listed: int
    downloaded: int
    bytes: int
    skipped: list[dict]  # [{item_id, locator, reason}] not downloaded on purpose (limits)
    failures: list[Failure]
    items: list[Item]
    hints_read: int
    isolation: str
    tool_calls: int
    unchanged: list[str]  # item ids whose revision matched the ledger: not downloaded again
    known_failures: list[
        dict
    ]  # unchanged items the ledger holds as failed: [{item_id, source_type, locator, reason, since_run}]
    seen: list[str]  # every item id the source listed this run (for deletion detection)
    complete: bool  # the whole source was listed and nothing was left out by limits or filters
    brain: str  # model (when a chat model explored it); absent for the offline brain
    manifest: dict  # model brain: {summary, downloaded: [{item_id, locator, why}], skipped: [...]}


class BatchRecord(TypedDict, total=False):
    """What one structurer branch did with its batch."""

    batch_id: str
    status: str  # ok | failed | skipped
    reason: str
    drafts: list[dict]  # kb.models.EntryDraft as dicts
    failures: list[Failure]
    parsed: list[dict]  # [{item_id, source_type, sha256, revision, sections, entries}]
    brain: str  # model | offline-fallback (the model's answer failed its checks twice); absent offline
    fallback_reason: str  # why the batch fell back to the offline brain


def merge_by(key: str) -> Callable[[list, list], list]:
    """Reducer merging lists of records keyed by `key`; the result is sorted, so branch order never matters."""

    def merge(left: list | None, right: list | None) -> list:
        merged: dict[Any, dict] = {rec[key]: rec for rec in (left or [])}
        for rec in right or []:
            merged[rec[key]] = rec
        return [merged[k] for k in sorted(merged)]

    merge.__name__ = f"merge_by_{key}"
    return merge


merge_sources = merge_by("source_key")
merge_batches = merge_by("batch_id")


def concat_sorted(left: list | None, right: list | None) -> list:
    """Reducer appending forum drafts and keeping a canonical order."""
    out = list(left or []) + list(right or [])
    return sorted(
        out, key=lambda d: (d.get("source_type", ""), d.get("phase", ""), d.get("file_type", ""), d.get("title", ""))
    )


def merge_usage(left: dict | None, right: dict | None) -> dict:
    """Reducer keeping each agent's latest usage row, keyed by agent name and sorted."""
    merged = {**(left or {}), **(right or {})}
    return {name: merged[name] for name in sorted(merged)}


class PipelineInput(TypedDict, total=False):
    """The pipeline needs no input: the run settings come as `context`."""

    run_id: str


class PipelineState(TypedDict, total=False):
    run_id: str
    started_at: float
    planned: list[dict]  # [{source_key, source}] the explorers fan out over
    explorations: Annotated[list[SourceRecord], merge_sources]
    items: list[Item]
    tree: list[dict]  # the client's existing tree before this run, [{domain, skill, group}]
    unchanged: list[dict]  # [{source_type, item_id, gate}] items skipped because the ledger says nothing changed
    deleted: list[dict]  # [{source_type, item_id}] ledger items no longer in their (fully listed) source
    aborted: str  # why the run stopped early, or ""
    batches: list[dict]
    structures: Annotated[list[BatchRecord], merge_batches]
    forum_drafts: Annotated[list[dict], concat_sorted]
    usage: Annotated[dict, merge_usage]  # {agent name: token usage} of model-driven agents
    written: dict
    report: dict


class PipelineOutput(TypedDict, total=False):
    run_id: str
    report: dict


class ExplorerInput(TypedDict, total=False):
    """One source to explore: the payload of a `Send("explore", ...)`."""

    run_id: str
    source: dict
    source_key: str


class ExplorerState(TypedDict, total=False):
    run_id: str
    source: dict
    source_key: str
    hints: list[dict]
    record: SourceRecord
    explorations: Annotated[list[SourceRecord], merge_sources]
    forum_drafts: Annotated[list[dict], concat_sorted]
    usage: Annotated[dict, merge_usage]


class ExplorerOutput(TypedDict, total=False):
    explorations: Annotated[list[SourceRecord], merge_sources]
    forum_drafts: Annotated[list[dict], concat_sorted]
    usage: Annotated[dict, merge_usage]


class StructurerInput(TypedDict, total=False):
    """One batch of items to structure: the payload of a `Send("structure", ...)`."""

    run_id: str
    batch: dict  # {batch_id, items: [Item]}
    tree: list[dict]  # the client's existing tree, [{domain, skill, group}], for name reuse


class StructurerState(TypedDict, total=False):
    run_id: str
    batch: dict
    tree: list[dict]
    hints: list[dict]
    parsed: list[dict]  # per item: {item, ok, reason, file_type, sections: [{title, text, locator, kind}]}
    record: BatchRecord
    structures: Annotated[list[BatchRecord], merge_batches]
    forum_drafts: Annotated[list[dict], concat_sorted]
    usage: Annotated[dict, merge_usage]


class StructurerOutput(TypedDict, total=False):
    structures: Annotated[list[BatchRecord], merge_batches]
    forum_drafts: Annotated[list[dict], concat_sorted]
    usage: Annotated[dict, merge_usage]
