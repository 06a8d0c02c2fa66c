"""Fetch a file a Composio tool left at a remote `s3url` into the agent's workspace, within limits.

Composio's download tools (Drive download, Gmail attachment, ...) answer with a presigned URL
rather than the bytes. The fetch is bounded: https only (redirects too), a size cap counted on
the streamed bytes, a timeout, and a content type that must not be an HTML or JSON error page.
The SDK could download instead, but only with `dangerously_allow_auto_upload_download_files`,
which also turns on automatic uploads of local paths named in tool arguments, and into one
directory per Composio client rather than each agent's own workspace; fetching here keeps the
explorer read-only and the bytes in its sandbox. `RemotePolicy` holds the limits; `POLICY` is the
production default, which tests may replace (for example to reach a loopback server over plain
http) — production code never loosens it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx

from tools.sources.errors import ToolFailure

REFUSED_TYPES = ("text/html", "application/json", "application/problem+json", "application/xml")


@dataclass(frozen=True)
class RemotePolicy:
    """Limits of one remote fetch."""

    max_bytes: int = 64 * 1024 * 1024
    timeout: float = 60.0
    max_redirects: int = 5
    http_hosts: frozenset[str] = field(default_factory=frozenset)  # hosts allowed over plain http (tests only)
    refused_types: tuple[str, ...] = REFUSED_TYPES
    transport: httpx.BaseTransport | None = None  # None: httpx's own (tests may pass a mock transport)


POLICY = RemotePolicy()


def is_remote(url: str) -> bool:
    """True for an http(s) URL (a tool's s3url), False for a local path."""
    return urlsplit(str(url or "")).scheme in ("http", "https")


def find_file(data: Any) -> dict:
    """The first file reference (a dict with an `s3url`) anywhere in a tool's data, or {}."""
    if isinstance(data, dict):
        if isinstance(data.get("s3url"), str) and data["s3url"]:
            return data
        values = list(data.values())
    elif isinstance(data, list):
        values = data
    else:
        return {}
    return next((found for v in values if (found := find_file(v))), {})


def find_s3url(data: Any) -> str:
    """The first `s3url` anywhere in a tool's data (Composio nests it under the file field)."""
    return str(find_file(data).get("s3url") or "")


def _allowed(url: str, policy: RemotePolicy) -> str:
    """Why `url` may not be fetched, or ''."""
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return ""
    if parts.scheme == "http" and parts.hostname in policy.http_hosts:
        return ""
    return f"refused: only https downloads are allowed, not {parts.scheme or 'no'} scheme ({parts.hostname or '?'})"


def fetch_remote(
    url: str,
    write: Callable[[bytes], Path],
    *,
    max_bytes: int = 0,
    expected_type: str = "",
    policy: RemotePolicy | None = None,
) -> Path:
    """Download `url` and hand its bytes to `write` (which saves them in the workspace); raise ToolFailure.

    An HTML, JSON or XML answer is taken for the storage's error page unless the tool said the
    file is of that type (`expected_type`, the mimetype beside the s3url).
    """
    policy = policy or POLICY
    limit = min(max_bytes or policy.max_bytes, policy.max_bytes)
    deadline = time.monotonic() + policy.timeout  # httpx's timeout is per read; this one bounds the whole fetch
    shown = _redact(url)
    with httpx.Client(timeout=policy.timeout, follow_redirects=False, transport=policy.transport) as client:
        for _ in range(policy.max_redirects + 1):
            if why := _allowed(url, policy):
                raise ToolFailure(f"download {shown}: {why}")
            try:
                with client.stream("GET", url) as response:
                    if response.is_redirect:
                        url = urljoin(url, response.headers.get("location", ""))
                        continue
                    if response.status_code != 200:
                        raise ToolFailure(f"download {shown}: HTTP {response.status_code}")
                    kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
                    if kind in policy.refused_types and kind != expected_type.split(";")[0].strip().lower():
                        raise ToolFailure(
                            f"download {shown}: refused content type {kind!r} (an error page, not a file)"
                        )
                    declared = int(response.headers.get("content-length") or 0)
                    if declared > limit:
                        raise ToolFailure(f"download {shown}: too large ({declared} > {limit} bytes)")
                    chunks, total = [], 0
                    for chunk in response.iter_bytes():
                        if time.monotonic() > deadline:
                            raise httpx.ReadTimeout("the whole download took too long")
                        total += len(chunk)
                        if total > limit:
                            raise ToolFailure(f"download {shown}: too large (over {limit} bytes)")
                        chunks.append(chunk)
            except httpx.TimeoutException as exc:
                raise ToolFailure(f"download {shown}: timed out after {policy.timeout:g}s") from exc
            except httpx.HTTPError as exc:
                raise ToolFailure(f"download {shown}: {type(exc).__name__}: {exc}") from exc
            return write(b"".join(chunks))
    raise ToolFailure(f"download {shown}: more than {policy.max_redirects} redirects")


def _redact(url: str) -> str:
    """The URL without its query (presigned URLs carry credentials there)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"[:160]
