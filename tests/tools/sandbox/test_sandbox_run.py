"""Commands: stripped environment, wall-clock and output limits, rlimits, no survivors, bwrap walls."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tools.sandbox.bwrap import SANDBOX_PATH, find_bubblewrap
from tools.sandbox.sandbox import Sandbox, SandboxError

ALLOWED_ENV = {"PATH", "HOME", "LANG", "TMPDIR", "PWD", "SHLVL", "_", "OLDPWD"}


def _needs_bwrap(sandbox: Sandbox) -> None:
    if sandbox.isolation != "bwrap":
        pytest.skip("only bubblewrap puts a filesystem and network boundary around commands")


def test_environment_is_stripped(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GROVE_SECRET", "hunter2-grove")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-should-not-leak")
    result = sandbox.run("env")
    assert result.exit_code == 0
    assert "hunter2-grove" not in result.stdout and "sk-test" not in result.stdout
    variables = dict(line.split("=", 1) for line in result.stdout.splitlines() if "=" in line)
    assert set(variables) <= ALLOWED_ENV
    assert variables["HOME"] == str(sandbox.workspace)
    assert variables["TMPDIR"] == str(sandbox.workspace / "tmp")


def test_runs_in_the_workspace_and_reports_exit_code_and_streams(sandbox: Sandbox) -> None:
    result = sandbox.run("pwd; echo oops >&2; touch made-here; exit 3")
    assert (result.exit_code, result.stdout, result.stderr) == (3, f"{sandbox.workspace}\n", "oops\n")
    assert (result.truncated, result.timed_out, result.isolation) == (False, False, sandbox.isolation)
    assert sandbox.exists("made-here")


def test_argv_form_is_not_parsed_by_a_shell(sandbox: Sandbox) -> None:
    assert sandbox.run(["echo", "a  b; rm -rf /"]).stdout == "a  b; rm -rf /\n"
    missing = sandbox.run(["no-such-program-here"])
    assert missing.exit_code != 0 and "no-such-program-here" in missing.stderr


def test_timeout_kills_the_whole_group(sandbox: Sandbox, marker: str, survivors) -> None:
    started = time.monotonic()
    result = sandbox.run(f"sleep {marker} & sleep {marker}", timeout=1)
    assert result.timed_out and result.exit_code != 0
    assert time.monotonic() - started < 5
    assert survivors(marker) == []
    assert sandbox.run("echo still usable").stdout == "still usable\n"


def test_infinite_loop_times_out(sandbox: Sandbox) -> None:
    result = sandbox.run("echo partial; while :; do :; done", timeout=1)
    assert result.timed_out
    assert result.stdout == "partial\n"


def test_background_jobs_do_not_outlive_the_command(sandbox: Sandbox, marker: str, survivors) -> None:
    started = time.monotonic()
    result = sandbox.run(f"sleep {marker} & (setsid sleep {marker} &) ; echo started")
    assert (result.stdout, result.timed_out) == ("started\n", False)
    assert time.monotonic() - started < 5
    assert survivors(marker) == []


def test_a_command_that_closes_its_output_is_still_waited_for(sandbox: Sandbox) -> None:
    result = sandbox.run("exec >&- 2>&-; sleep 0.3; touch finished")
    assert not result.timed_out and result.exit_code == 0
    assert sandbox.exists("finished")


def test_output_is_capped_and_the_tail_kept(make_sandbox) -> None:
    box = make_sandbox(output_cap=4096)
    started = time.monotonic()
    result = box.run("yes | head -c 10000000; echo the-end")
    assert time.monotonic() - started < 10
    assert result.truncated and result.exit_code == 0
    assert len(result.stdout) < 4096 // 2 + 100
    assert result.stdout.startswith("y\ny\n") and result.stdout.endswith("the-end\n")
    assert "bytes omitted" in result.stdout


def test_endless_output_is_capped_until_the_timeout(make_sandbox) -> None:
    result = make_sandbox(output_cap=4096).run("yes", timeout=1)
    assert result.timed_out and result.truncated
    assert len(result.stdout) < 4096


def test_file_size_limit_caps_a_written_file(make_sandbox) -> None:
    box = make_sandbox(file_bytes=1 << 20)
    result = box.run("head -c 5000000 /dev/zero > big; echo status=$?")
    assert "status=0" not in result.stdout
    assert (box.workspace / "big").stat().st_size <= 1 << 20


def test_memory_limit_stops_a_large_allocation(make_sandbox) -> None:
    if shutil.which("python3", path=SANDBOX_PATH) is None:
        pytest.skip("no python3 on the sandbox PATH")
    box = make_sandbox(memory_bytes=256 << 20)
    result = box.run(["python3", "-c", "bytearray(512 << 20)"])
    assert result.exit_code != 0 and "MemoryError" in result.stderr


def test_bad_arguments_are_refused(sandbox: Sandbox) -> None:
    with pytest.raises(SandboxError):
        sandbox.run([])
    with pytest.raises(SandboxError):
        sandbox.run("true", timeout=0)


def test_host_secrets_and_files_are_out_of_reach(sandbox: Sandbox, tmp_path: Path) -> None:
    _needs_bwrap(sandbox)
    assert not Path("/etc/x").exists()
    result = sandbox.run("cat /etc/shadow; ls /root; touch /etc/x /usr/x ../escaped; id -u; touch ~/mine")
    assert "root:" not in result.stdout
    assert result.stdout.strip().splitlines()[-1] == "1000"
    assert not Path("/etc/x").exists() and not Path("/usr/x").exists()
    assert not (tmp_path / "root" / "escaped").exists()
    assert sandbox.exists("mine")


def test_read_only_binds_cannot_be_remounted(sandbox: Sandbox) -> None:
    _needs_bwrap(sandbox)
    result = sandbox.run("mount -o remount,bind,rw /usr && touch /usr/remounted")
    assert result.exit_code != 0
    assert not Path("/usr/remounted").exists()


def test_network_fails_fast(sandbox: Sandbox) -> None:
    _needs_bwrap(sandbox)
    started = time.monotonic()
    result = sandbox.run(
        "bash -c 'exec 3<>/dev/tcp/1.1.1.1/80' && echo CONNECTED; "
        "bash -c 'exec 3<>/dev/tcp/127.0.0.1/80' && echo CONNECTED; "
        "getent hosts example.com && echo RESOLVED",
        timeout=10,
    )
    assert "CONNECTED" not in result.stdout and "RESOLVED" not in result.stdout
    assert not result.timed_out
    assert time.monotonic() - started < 3


def test_only_workspace_and_scratch_are_writable(sandbox: Sandbox, marker: str, tmp_path: Path) -> None:
    _needs_bwrap(sandbox)
    result = sandbox.run("for d in / /dev /usr /proc/sys; do touch $d/x 2>/dev/null && echo WROTE $d; done")
    assert "WROTE" not in result.stdout
    if "--size" not in find_bubblewrap(tmp_path)[0].flags:
        pytest.skip("this bwrap has no --size, so no private /tmp is mounted")
    name = f"/tmp/scratch-{marker}"
    assert sandbox.run(f"echo x > {name} && cat {name}").stdout == "x\n"
    assert not Path(name).exists()
    assert sandbox.run(f"test -e {name}").exit_code != 0
    assert sandbox.run("head -c 100000000 /dev/zero > /dev/shm/fill").exit_code != 0


def test_nothing_survives_the_orchestrator_being_killed(tmp_path: Path, isolation: str, marker: str, survivors) -> None:
    script = (
        "import sys; from tools.sandbox.sandbox import Sandbox; "
        f"Sandbox(sys.argv[1], 'run', 'doomed', isolation={isolation!r}).run("
        f"'setsid sleep {marker} & sleep {marker}')"
    )
    orchestrator = subprocess.Popen([sys.executable, "-c", script, str(tmp_path / "root")])
    try:
        _wait_for(lambda: len(survivors(marker)) >= 2, "the command to start")
    finally:
        orchestrator.kill()
        orchestrator.wait()
    _wait_for(lambda: survivors(marker) == [], "every sandboxed process to die")


def _wait_for(condition, what: str, seconds: float = 10.0) -> None:
    give_up = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > give_up:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)
