"""`langgraph dev` serves every graph; an SDK client runs the pipeline with only a context and watches it."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("langgraph_api", reason="the server test needs langgraph-cli[inmem] (dev extra)")
from langgraph_sdk import get_sync_client  # noqa: E402

from kb.open_store import open_store  # noqa: E402

pytestmark = pytest.mark.allow_hosts(["127.0.0.1"])

ROOT = Path(__file__).resolve().parents[2]
LANGGRAPH = Path(sys.executable).parent / "langgraph"
READY_TIMEOUT_S = 240  # a cold start imports every graph; slow on a busy 2-core machine
RUN_TIMEOUT_S = 240
# Everything that could make the dev server reach beyond this machine is switched off; any
# stray HTTP(S) request goes to a closed loopback port and fails at once.
OFFLINE_ENV = {
    "LANGGRAPH_CLI_NO_ANALYTICS": "1",
    "LANGGRAPH_NO_VERSION_CHECK": "true",
    "LANGSMITH_TRACING": "false",
    "LANGCHAIN_TRACING_V2": "false",
    "LANGGRAPH_DISABLE_FILE_PERSISTENCE": "true",
    "HTTP_PROXY": "http://127.0.0.1:9",
    "HTTPS_PROXY": "http://127.0.0.1:9",
    "ALL_PROXY": "http://127.0.0.1:9",
    "NO_PROXY": "127.0.0.1,localhost",
    "no_proxy": "127.0.0.1,localhost",
}
DROPPED_ENV = (
    "LANGSMITH_API_KEY",
    "LANGCHAIN_API_KEY",
    "LANGGRAPH_CLOUD_LICENSE_KEY",
    "LANGSMITH_CONTROL_PLANE_API_KEY",
    "LANGSMITH_ENDPOINT",
    "LANGCHAIN_ENDPOINT",
    "http_proxy",
    "https_proxy",
    "all_proxy",
    "COMPOSIO_API_KEY",
    "OPENAI_API_KEY",
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(proc: subprocess.Popen, port: int, log: Path) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"langgraph dev exited with {proc.returncode}:\n{log.read_text()[-4000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                pass
            client = get_sync_client(url=f"http://127.0.0.1:{port}")
            if client.assistants.search(limit=20):
                return
        except Exception:  # not listening or graphs not loaded yet
            pass
        time.sleep(0.5)
    pytest.fail(f"langgraph dev not ready after {READY_TIMEOUT_S}s:\n{log.read_text()[-4000:]}")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A `langgraph dev` server on a free 127.0.0.1 port, started from the repository root."""
    if not LANGGRAPH.exists():
        pytest.skip(f"no langgraph CLI at {LANGGRAPH}; install the dev extra")
    log = tmp_path_factory.mktemp("server") / "langgraph-dev.log"
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in DROPPED_ENV} | OFFLINE_ENV
    api_dir = ROOT / ".langgraph_api"
    had_api_dir = api_dir.exists()
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [str(LANGGRAPH), "dev", "--host", "127.0.0.1", "--port", str(port), "--no-browser", "--no-reload"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    try:
        wait_ready(proc, port, log)
        yield f"http://127.0.0.1:{port}", log
    finally:
        for sig, grace in ((signal.SIGTERM, 20), (signal.SIGKILL, 10)):
            try:
                os.killpg(proc.pid, sig)
            except ProcessLookupError:
                break
            try:
                proc.wait(timeout=grace)
                break
            except subprocess.TimeoutExpired:
                continue
        if not had_api_dir:  # the in-memory server leaves its scratch folder in the working directory
            shutil.rmtree(api_dir, ignore_errors=True)


def test_every_graph_in_langgraph_json_is_served(server):
    url, _ = server
    served = {a["graph_id"] for a in get_sync_client(url=url).assistants.search(limit=50)}
    assert served == set(json.loads((ROOT / "langgraph.json").read_text())["graphs"])


def test_pipeline_runs_from_a_context_streams_progress_and_fills_the_kb(server, tmp_path, tiny_sources):
    url, log = server
    client = get_sync_client(url=url, timeout=RUN_TIMEOUT_S)
    db = str(tmp_path / "kb.db")
    context = {
        "client_id": "srv",
        "sources": tiny_sources,
        "db": db,
        "workspace_root": str(tmp_path / "ws"),
        "isolation": "process",
    }
    thread = client.threads.create()
    events, updates = [], {}
    # Progress events from inside the explorer and structurer subgraphs arrive as "custom|<namespace>".
    for part in client.runs.stream(
        thread["thread_id"],
        "pipeline",
        input={},
        context=context,
        stream_mode=["updates", "custom"],
        stream_subgraphs=True,
    ):
        if part.event.split("|")[0] == "custom":
            events.append(part.data)
        elif part.event == "updates":
            updates.update(part.data)
        elif part.event == "error":
            pytest.fail(f"run failed: {part.data}\n{log.read_text()[-4000:]}")

    kinds = {e["event"] for e in events}
    assert {
        "run_started",
        "source_listed",
        "item_downloaded",
        "batches_planned",
        "batch_structured",
        "entries_written",
        "run_finished",
    } <= kinds
    assert sum(e["event"] == "item_downloaded" for e in events) >= 6

    report = client.threads.get_state(thread["thread_id"])["values"]["report"]
    assert report == updates["report"]["report"]
    assert report["client_id"] == "srv" and report["brain"] == "offline"
    assert sorted(s["status"] for s in report["sources"]) == ["ok", "ok", "ok"]
    assert report["entries"]["inserted"] == report["entries"]["total"] > 0

    store = open_store(db)
    try:
        assert store.counts("srv")["entries"] == report["entries"]["total"]
        hits = store.search("srv", "travel budget")
        assert hits and hits[0].entry.locator.startswith("gmail:")
        assert store.counts("someone-else")["entries"] == 0
    finally:
        store.close()

    answer = client.runs.wait(
        client.threads.create()["thread_id"],
        "kb_query",
        input={"question": "how many days of paid leave?"},
        context={"client_id": "srv", "db": db},
    )
    assert answer["sources"][0].startswith("drive:HR/handbook.md#")
    assert "25 days of paid leave" in answer["answer"].replace("**", "")
