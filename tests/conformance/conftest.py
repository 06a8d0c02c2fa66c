"""Backends for the conformance suite: SQLite always, Convex on a fresh local server when Node is here.

The Convex server (kb/convex/server/serve.ts) runs the real functions under convex-test and is
reached on 127.0.0.1 only: Convex params carry `allow_hosts(["127.0.0.1"])`, so pytest-socket
still blocks every other address. Each test starts from an empty deployment (`/_test/reset`).
The server holds a fresh admin key per session and, like a deployment, runs the (internal) KB
functions only for callers that send it; the stores here send it as CONVEX_DEPLOY_KEY would.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import select
import shutil
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Callable, Iterator

import pytest

from kb.models import EntryDraft
from kb.sqlite.store import SqliteStore

KB_CONVEX = Path(__file__).resolve().parents[2] / "kb" / "convex"
START_TIMEOUT_S = 90
MIN_NODE = 20
ADMIN_KEY = f"local:grove-test|{secrets.token_hex(16)}"
# Select one half with `-k sqlite` / `-k convex` (every Convex test has "convex" in its id).
BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("convex", id="convex", marks=pytest.mark.allow_hosts(["127.0.0.1"])),
]


def convex_unusable() -> str | None:
    """Why the Convex backend cannot run here, or None when it can."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        return "node/npm not available"
    version = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    major = re.match(r"v?(\d+)\.", version)
    if major is None or int(major.group(1)) < MIN_NODE:
        return f"node/npm not available: kb/convex needs Node {MIN_NODE}+, found {version or 'none'}"
    for needed in ("convex", "convex-test", "tsx"):
        if not (KB_CONVEX / "node_modules" / needed).is_dir():
            return "kb/convex/node_modules missing: run npm ci in kb/convex"
    return None


def _read_port(proc: subprocess.Popen, log: Path) -> int:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        ready, _, _ = select.select([proc.stdout], [], [], 0.5)
        if ready:
            line = proc.stdout.readline().strip()
            if line.isdigit():
                return int(line)
        if proc.poll() is not None:
            break
    proc.kill()
    raise RuntimeError(f"the Convex test server did not start:\n{log.read_text()[-4000:]}")


@pytest.fixture(scope="session")
def convex_url() -> Iterator[str]:
    """Start kb/convex/server/serve.ts on a free loopback port; stop it after the session."""
    reason = convex_unusable()
    if reason:
        pytest.skip(reason)
    log = Path(tempfile.mkstemp(prefix="grove-convex-", suffix=".log")[1])
    with log.open("w") as err:
        proc = subprocess.Popen(
            ["node", "--import", "tsx", "server/serve.ts", "--port", "0", "--exit-with-stdin"],
            cwd=KB_CONVEX,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=err,
            text=True,
            env={**os.environ, "GROVE_CONVEX_ADMIN_KEY": ADMIN_KEY},
        )
    patch = pytest.MonkeyPatch()
    patch.setenv("NO_PROXY", ",".join(filter(None, [os.environ.get("NO_PROXY"), "127.0.0.1"])))
    try:
        yield f"http://127.0.0.1:{_read_port(proc, log)}"
    finally:
        patch.undo()
        proc.stdin.close()
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.unlink(missing_ok=True)


def post(url: str, route: str, key: str | None, body: bytes = b"{}") -> tuple[int, dict]:
    """POST `body` to the test deployment, with `key` as admin auth (None: no auth); (status, JSON)."""
    headers = {"Content-Type": "application/json"}
    if key is not None:
        headers["Authorization"] = f"Convex {key}"
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    request = urllib.request.Request(f"{url}{route}", data=body, headers=headers, method="POST")
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def reset(url: str) -> None:
    """Drop every table of the test deployment."""
    status, body = post(url, "/_test/reset", ADMIN_KEY)
    assert status == 200, body


def open_backend(name: str, request: pytest.FixtureRequest, tmp_path: Path):
    """Return a fresh, empty store of backend `name`."""
    if name == "sqlite":
        return SqliteStore(tmp_path / f"kb-{name}.db")
    from kb.convex_store.store import ConvexStore

    url = request.getfixturevalue("convex_url")
    reset(url)
    return ConvexStore(url, admin_key=ADMIN_KEY)


@pytest.fixture
def convex_admin_key() -> str:
    """The key the test deployment runs its functions for (this session's)."""
    return ADMIN_KEY


@pytest.fixture
def open_store(request, tmp_path) -> Iterator[Callable[[str], object]]:
    """A factory of fresh stores by backend name; every store it made is closed afterwards."""
    made = []

    def make(name: str):
        made.append(open_backend(name, request, tmp_path))
        return made[-1]

    yield make
    for s in made:
        s.close()


@pytest.fixture(params=BACKENDS)
def store(request, open_store):
    return open_store(request.param)


@pytest.fixture
def make_draft() -> Callable[..., EntryDraft]:
    def make(
        content: str,
        title: str = "Note",
        domain: str = "Finance",
        skill: str = "Payroll",
        group: str = "Monthly runs",
        item_id: str = "item-1",
        source_type: str = "gmail",
        **extra,
    ) -> EntryDraft:
        return EntryDraft(
            domain=domain,
            skill=skill,
            group=group,
            title=title,
            content=content,
            source_type=source_type,
            file_type=extra.pop("file_type", "eml"),
            locator=extra.pop("locator", f"{source_type}:{item_id}"),
            item_id=item_id,
            **extra,
        )

    return make
