"""Matrix group A: shell commands stay inside their sandbox, within their limits, and leave nothing running."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from cli.main import main as grove
from tools.sandbox.sandbox import Sandbox, SandboxUnavailable
from tools.sandbox.tools import sandbox_tools

ALLOWED_ENV = {"PATH", "HOME", "LANG", "TMPDIR", "PWD", "SHLVL", "_", "OLDPWD"}


def test_a1_writes_outside_the_workspace_are_refused(make_box, walled: Sandbox, marker: str) -> None:
    other = make_box("other-agent")
    targets = [f"/etc/grove-{marker}", f"/root/.bashrc-{marker}", f"../{other.workspace.name}/x-{marker}"]
    result = walled.run("; ".join(f"touch {t}" for t in targets) + "; echo done")
    assert result.stdout == "done\n"
    assert result.stderr.count("touch: cannot touch") == 3
    assert any(word in result.stderr for word in ("Read-only file system", "Permission denied", "No such file"))
    assert not Path(targets[0]).exists() and not Path(targets[1]).exists()
    assert other.list() == [] or all("x-" not in e["path"] for e in other.list())
    denied = {t.name: t for t in sandbox_tools(walled)}["workspace_write"].invoke(
        {"path": f"../{other.workspace.name}/x", "content": "x"}
    )
    assert denied["ok"] is False and "escapes the workspace" in denied["error"]


def test_a2_a_read_only_bind_cannot_be_remounted(walled: Sandbox) -> None:
    result = walled.run(
        "mount -o remount,bind,rw /usr && touch /usr/grove-remounted; mount -t tmpfs none /mnt && echo MOUNTED"
    )
    assert result.exit_code != 0 and "MOUNTED" not in result.stdout
    assert "superuser" in result.stderr or "ermission denied" in result.stderr
    assert not Path("/usr/grove-remounted").exists()


def test_a3_host_secrets_are_out_of_reach(walled: Sandbox) -> None:
    result = walled.run("cat /etc/shadow; ls /root; cat ~/.ssh/id_* /root/.ssh/id_*; echo end")
    assert result.stdout.strip().splitlines()[-1] == "end"
    assert "root:" not in result.stdout and "PRIVATE KEY" not in result.stdout
    assert result.stderr.count("/etc/shadow") == 1 and "/root" in result.stderr


@pytest.mark.allow_hosts(["127.0.0.1"])
def test_a4_network_fails_fast(box: Sandbox) -> None:
    if box.network != "none":
        pytest.skip("process isolation gets no network namespace here (needs root with CAP_SYS_ADMIN)")
    with socket.create_server(("127.0.0.1", 0)) as server:
        port = server.getsockname()[1]
        probes = [
            f"python3 -c 'import socket; socket.create_connection((\"127.0.0.1\", {port}), timeout=5)' "
            "2>/dev/null && echo CONNECTED",
            f"bash -c 'exec 3<>/dev/tcp/127.0.0.1/{port}' 2>/dev/null && echo CONNECTED",
            "getent hosts example.com && echo RESOLVED",
            f"command -v curl >/dev/null && curl -s -m 5 http://127.0.0.1:{port}/ && echo CONNECTED",
            f"command -v nc >/dev/null && nc -w 5 127.0.0.1 {port} </dev/null && echo CONNECTED",
        ]
        for probe in probes:
            started = time.monotonic()
            result = box.run(probe, timeout=5)
            assert "CONNECTED" not in result.stdout and "RESOLVED" not in result.stdout, probe
            assert not result.timed_out and time.monotonic() - started < 2, probe


def test_a5_environment_holds_no_secrets(box: Sandbox, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-grove-secret")
    monkeypatch.setenv("COMPOSIO_API_KEY", "composio-grove-secret")
    result = box.run("env; printenv")
    assert "grove-secret" not in result.stdout
    names = {line.split("=", 1)[0] for line in result.stdout.splitlines() if "=" in line}
    assert names <= ALLOWED_ENV and {"PATH", "HOME", "LANG"} <= names


def test_a6_an_endless_loop_is_stopped_and_the_next_command_runs(make_box) -> None:
    box = make_box(cpu_seconds=1)
    started = time.monotonic()
    result = box.run("echo partial; while :; do :; done", timeout=4)
    assert result.stdout == "partial\n" and time.monotonic() - started < 4.5
    assert result.timed_out or result.exit_code == 128 + 24  # SIGXCPU from RLIMIT_CPU
    timed = box.run("echo partial; sleep 30", timeout=1)
    assert timed.timed_out and timed.stdout == "partial\n"
    assert box.run("echo next").stdout == "next\n"


def test_a7_nothing_survives_a_command(box: Sandbox, marker: str, survivors) -> None:
    result = box.run(f"sleep {marker} & (setsid sleep {marker} &); nohup sleep {marker} >/dev/null 2>&1 & echo out")
    assert result.stdout == "out\n" and not result.timed_out
    assert survivors(marker) == []
    box.run(f"setsid sleep {marker} & sleep {marker}", timeout=1)
    assert survivors(marker) == []
    if box.run_as:
        assert survivors(uid=box.run_as[0]) == []


def test_a8_a_fork_bomb_is_bounded_and_the_orchestrator_stays_responsive(make_box, survivors) -> None:
    box = make_box(max_processes=16)
    if box.run_as is None:
        pytest.skip("RLIMIT_NPROC does not apply to root: commands need their own uid")
    gaps: list[float] = []
    stop = threading.Event()

    def heartbeat() -> None:
        last = time.monotonic()
        while not stop.is_set():
            time.sleep(0.05)
            now = time.monotonic()
            gaps.append(now - last)
            last = now

    beat = threading.Thread(target=heartbeat)
    beat.start()
    try:
        result = box.run(["bash", "-c", "f() { f | f & }; f; sleep 1; echo survived"], timeout=3)
    finally:
        stop.set()
        beat.join()
    assert "Resource temporarily unavailable" in result.stderr  # fork() hit the process limit
    assert max(gaps) < 1.0
    assert survivors(uid=box.run_as[0]) == []
    assert box.run("echo fine").stdout == "fine\n"


def test_a9_endless_output_is_capped_and_its_producer_killed(box: Sandbox, survivors) -> None:
    result = box.run("yes grove-output", timeout=1)
    assert result.timed_out and result.truncated
    assert len(result.stdout) < box.limits.output_cap
    big = box.run("head -c 50000000 /dev/zero | tr '\\0' y; echo the-end")
    assert big.truncated and big.stdout.endswith("the-end\n") and not big.timed_out
    assert survivors("yes grove-output") == []


def test_a10_a_file_cannot_grow_past_the_limit_nor_the_workspace_past_its_quota(make_box) -> None:
    box, neighbour = make_box(), make_box("neighbour")
    capped = box.run("head -c 10000000 /dev/zero > big; echo status=$?")
    assert "status=0" not in capped.stdout and (box.workspace / "big").stat().st_size <= box.limits.file_bytes
    filled = box.run("for i in 1 2 3 4 5; do head -c 1000000 /dev/zero > f$i; done")
    assert filled.quota_exceeded and "quota exceeded" in filled.stderr
    refused = {t.name: t for t in sandbox_tools(box)}["workspace_write"].invoke({"path": "more", "content": "x"})
    assert refused["ok"] is False and "quota" in refused["error"]
    neighbour.write_text("fine.txt", "unaffected")
    assert neighbour.read_text("fine.txt") == "unaffected"


def test_a11_strict_fails_closed_and_auto_falls_back_saying_so(open_root: Path, monkeypatch, caplog) -> None:
    monkeypatch.setattr("tools.sandbox.bwrap.shutil.which", lambda name: None)
    monkeypatch.setattr("tools.sandbox.sandbox._FALLBACK_SAID", set())
    with pytest.raises(SandboxUnavailable, match="bubblewrap"):
        Sandbox(open_root, "run", "strict", isolation="strict")
    assert not (open_root / "sandbox_run_strict").exists()
    with caplog.at_level("WARNING", logger="tools.sandbox.sandbox"), Sandbox(open_root, "run", "auto") as box:
        assert box.isolation == "process"
        assert box.run("echo ok").isolation == "process"
    assert "falls back to process isolation" in caplog.text
    caplog.clear()
    with caplog.at_level("WARNING", logger="tools.sandbox.sandbox"), Sandbox(open_root, "run", "again") as box:
        assert box.isolation == "process"
    assert "falls back" not in caplog.text  # said once per process, not once per agent


def test_a12_killing_the_orchestrator_leaves_nothing_and_the_workspace_is_reused(
    open_root: Path, isolation: str, marker: str, survivors
) -> None:
    script = (
        "import sys; from tools.sandbox.sandbox import Sandbox; "
        f"box = Sandbox(sys.argv[1], 'run', 'doomed', isolation={isolation!r}); "
        "box.write_text('kept.txt', 'before the crash'); "
        f"box.run('setsid sleep {marker} & sleep {marker}')"
    )
    orchestrator = subprocess.Popen([sys.executable, "-c", script, str(open_root)])
    try:
        _wait_for(lambda: len(survivors(marker)) >= 2)
    finally:
        orchestrator.kill()
        orchestrator.wait()
    _wait_for(lambda: survivors(marker) == [])
    with Sandbox(open_root, "run", "doomed", isolation=isolation) as again:
        assert again.read_text("kept.txt") == "before the crash"
        assert again.run("cat kept.txt").stdout == "before the crash"


@pytest.mark.parametrize("level", ["process", "strict"])
def test_done_when_grove_sandbox_shows_allowed_variables_and_two_refusals(level: str, bwrap_reason: str, capfd) -> None:
    if level == "strict" and bwrap_reason:
        pytest.skip(f"bubblewrap unusable here: {bwrap_reason}")
    code = grove(["sandbox", "--isolation", level, "exec", "--", "sh", "-c", "env; cat /etc/shadow; touch /etc/x"])
    out, err = capfd.readouterr()
    assert code != 0
    assert {line.split("=", 1)[0] for line in out.splitlines()} <= ALLOWED_ENV
    refusals = [line for line in err.splitlines() if line.startswith(("cat: /etc/shadow", "touch: cannot touch"))]
    assert len(refusals) == 2, err
    assert f"isolation={'bwrap' if level == 'strict' else 'process'}" in err
    assert not Path("/etc/x").exists()


def _wait_for(condition, seconds: float = 10.0) -> None:
    give_up = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < give_up, "timed out waiting"
        time.sleep(0.05)
