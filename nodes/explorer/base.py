"""Shared machinery of the offline explorer: tool calls with retries, limits, ledger gates, downloads."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Callable, Iterator

from nodes.context import Context
from nodes.forum.apply_hints import trusted_rules
from nodes.state import Item, SourceRecord
from tools.retry import TransientError, is_transient, transient_error, with_retries
from tools.sandbox.sandbox import Sandbox
from tools.scoping import ToolRunner
from tools.sources.errors import ToolFailure
from tools.sources.remote_files import fetch_remote, is_remote

Emit = Callable[..., None]


def ledger_of(store, client_id: str, source_type: str) -> dict[str, dict]:
    """The item ledger of one source type as the explorers read it: item id -> its last outcome."""
    return {
        row.item_id: {
            "revision": row.revision,
            "status": row.status,
            "reason": row.reason,
            "run_id": row.last_seen_run_id,
        }
        for row in store.items(client_id, source_type)
        if row.status != "deleted"
    }


RETRY_ATTEMPTS = 5
RETRY_BASE_SECONDS = 0.5


def call(tools: ToolRunner, name: str, args: dict) -> dict:
    """Invoke a tool and unwrap its Composio envelope; transient failures are retried with backoff."""

    def once() -> dict:
        out = tools.invoke(name, args)
        if not isinstance(out, dict):
            raise ToolFailure(f"{name} returned {type(out).__name__}, not an envelope")
        if not out.get("successful"):
            error = str(out.get("error") or f"{name} failed")
            raise transient_error(error) if is_transient(error) else ToolFailure(error)
        return out.get("data") or {}

    try:
        return with_retries(once, attempts=RETRY_ATTEMPTS, base=RETRY_BASE_SECONDS)
    except TransientError as exc:
        raise ToolFailure(f"{exc} (gave up after {RETRY_ATTEMPTS} tries)") from exc


def safe_name(name: str, fallback: str = "item") -> str:
    """A file name safe inside a workspace: no separators, no leading dots, bounded length."""
    cleaned = re.sub(r"[^\w.\- ]+", "_", name).strip(" ._")[:120]
    return cleaned or fallback


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def ext_of(name: str) -> str:
    suffix = Path(name).suffix.lower().lstrip(".")
    return suffix if suffix.isalnum() else ""


class Budget:
    """The explorer's limits: items, bytes and tool calls for one source."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.items = 0
        self.bytes = 0
        self.calls = 0

    def refuse(self, size: int = 0) -> str:
        """Return why one more item of `size` bytes may not be downloaded, or ''."""
        if self.items >= self.ctx.max_items_per_source:
            return f"item limit reached ({self.ctx.max_items_per_source})"
        if size and size > self.ctx.max_item_bytes:
            return f"item larger than the limit ({size} > {self.ctx.max_item_bytes} bytes)"
        if self.bytes + size > self.ctx.max_bytes_per_source:
            return f"byte limit reached ({self.ctx.max_bytes_per_source})"
        return ""

    def take(self, size: int) -> None:
        self.items += 1
        self.bytes += size


class ExplorerBase:
    """What every offline exploration shares: limits, ledger gates, tool calls, downloads, the record."""

    def __init__(
        self,
        ctx: Context,
        source: dict,
        source_key: str,
        tools: ToolRunner,
        sandbox: Sandbox,
        emit: Emit,
        known: dict[str, dict] | None = None,
        hints: list[dict] | None = None,
    ):
        self.ctx, self.source, self.key = ctx, source, source_key
        self.rules = trusted_rules(hints or [])
        self.ruled_out: list[dict] = []  # items a trusted forum rule says are not worth downloading
        self.tools, self.sandbox, self.emit = tools, sandbox, emit
        self.budget = Budget(ctx)
        self.items: list[Item] = []
        self.skipped: list[dict] = []
        self.failures: list[dict] = []
        self.unchanged: list[str] = []
        self.known_failures: list[dict] = []
        self.seen: list[str] = []
        self.listed = 0
        self.state: dict = {}  # scratch space of a registered source type's walk (lookups it caches)
        # The ledger of earlier runs: item_id -> {"revision", "status"}; empty on a full refresh.
        self.known = {} if ctx.full_refresh else dict(known or {})
        prefix = source["type"] + ":"
        self.only = {i[len(prefix) :] for i in ctx.only_items if i.startswith(prefix)} if ctx.only_items else None
        self.only_parents = {i.split("/", 1)[0] for i in self.only or ()}
        # Attachments ("<message>/<name>") and worksheets ("<book>/<sheet>") by their parent's id.
        self.children: dict[str, list[str]] = {}
        for item_id in sorted(self.known):
            parent, sep, _ = item_id.partition("/")
            if sep:
                self.children.setdefault(parent, []).append(item_id)

    # -- ledger gates -------------------------------------------------------------------------
    def wanted(self, item_id: str) -> bool:
        """False when the run is limited to some items (a retry) and this is not one of them."""
        return self.only is None or item_id in self.only

    def unchanged_since_last_run(self, item_id: str, revision: str, locator: str = "") -> bool:
        """First gate: the source's revision equals the ledger's, so the item is not downloaded again."""
        self.seen.append(item_id)
        row = self.known.get(item_id)
        if self.only is not None or not revision or row is None or row["revision"] != revision:
            return False
        self.settle_unchanged(item_id, locator)
        return True

    def settle_unchanged(self, item_id: str, locator: str = "") -> None:
        """Count an item as unchanged; one the ledger holds as failed stays a failure in the report."""
        self.unchanged.append(item_id)
        row = self.known.get(item_id) or {}
        if row.get("status") == "failed":
            self.known_failures.append(
                {
                    "item_id": item_id,
                    "source_type": self.source["type"],
                    "locator": locator or f"{self.source['type']}:{item_id}",
                    "reason": row.get("reason", ""),
                    "since_run": row.get("run_id", ""),
                }
            )

    # -- shared steps -------------------------------------------------------------------------
    def call(self, name: str, args: dict) -> dict:
        if self.budget.calls >= self.ctx.max_steps:
            raise ToolFailure(f"step limit reached ({self.ctx.max_steps} tool calls)")
        self.budget.calls += 1
        return call(self.tools, name, args)

    def pages(self, name: str, args: dict, token_arg: str, token_keys: tuple[str, ...]) -> Iterator[dict]:
        """Yield each page of a paginated listing until the source says there are no more."""
        token, seen = "", set()
        while True:
            page = self.call(name, {**args, token_arg: token} if token else dict(args))
            yield page
            token = next((page[k] for k in token_keys if page.get(k)), "")
            if not token or token in seen:
                return
            seen.add(token)

    def skip_by_rule(self, item_id: str, locator: str, name: str) -> bool:
        """True (and the item recorded as skipped) when a trusted forum rule says it yields nothing."""
        why = self.rules.skipped(self.source["type"], name)
        if why:
            self.ruled_out.append({"item_id": item_id, "locator": locator, "reason": why})
        return bool(why)

    def fail(self, item_id: str, locator: str, reason: str) -> None:
        self.failures.append(
            {"item_id": item_id, "source_type": self.source["type"], "locator": locator, "reason": reason}
        )

    def skip(self, item_id: str, locator: str, reason: str) -> None:
        self.skipped.append({"item_id": item_id, "locator": locator, "reason": reason})

    def materialise(self, s3url: str, rel: str, expected_type: str = "") -> Path:
        """Make sure a downloaded file sits inside this agent's workspace and return its path.

        A local path (the offline connectors') is copied in unless it is already there; a remote
        s3url (Composio's online download tools) is fetched within the item size limit.
        """
        if is_remote(s3url):
            return fetch_remote(
                s3url,
                lambda data: self.sandbox.write_bytes(rel, data),
                max_bytes=self.ctx.max_item_bytes,
                expected_type=expected_type,
            )
        path = Path(s3url) if s3url and not re.match(r"^[a-z]+://", s3url) else None
        if path is None or not path.is_file():
            raise ToolFailure(f"download not available: {s3url[:120]!r}")
        workspace = self.sandbox.workspace.resolve()
        if path.resolve().is_relative_to(workspace):
            return path.resolve()
        return self.sandbox.write_bytes(rel, path.read_bytes())

    def keep_bytes(self, item: Item, rel: str, blob: bytes) -> bool:
        """Save `blob` in the workspace as `item`, within the limits; False when refused."""
        if why := self.budget.refuse(len(blob)):
            self.skip(item["item_id"], item["locator"], why)
            return False
        self.add(item, self.sandbox.write_bytes(rel, blob))
        return True

    def keep_download(self, item: Item, file: dict, rel: str, size: int = 0) -> bool:
        """Place the file a download tool named as `item`.

        `file` holds its s3url, a local path or a remote URL, and its mimetype.
        """
        if why := self.budget.refuse(size):
            self.skip(item["item_id"], item["locator"], why)
            return False
        try:
            path = self.materialise(str(file.get("s3url") or ""), rel, str(file.get("mimetype") or ""))
        except ToolFailure as exc:
            self.fail(item["item_id"], item["locator"], str(exc))
            return False
        self.add(item, path)
        return True

    def add(self, item: Item, path: Path) -> None:
        size = path.stat().st_size
        self.budget.take(size)
        item.update(
            path=str(path), size=size, sha256=sha256_file(path), source_key=self.key, source_type=self.source["type"]
        )
        item.setdefault("file_type", ext_of(item.get("name", "")))
        self.items.append(item)
        self.emit("item_downloaded", source=self.key, item=item["locator"], size=size)

    def record(self, status: str = "ok", reason: str = "") -> SourceRecord:
        return SourceRecord(
            source_key=self.key,
            source_type=self.source["type"],
            status=status,
            reason=reason,
            listed=self.listed,
            downloaded=len(self.items),
            bytes=self.budget.bytes,
            skipped=self.skipped + self.ruled_out,
            failures=self.failures,
            items=sorted(self.items, key=lambda i: i["item_id"]),
            isolation=self.sandbox.isolation,
            tool_calls=self.budget.calls,
            unchanged=sorted(self.unchanged),
            seen=sorted(set(self.seen)),
            known_failures=sorted(self.known_failures, key=lambda f: f["item_id"]),
            complete=self.only is None and not self.skipped,
        )
