"""Isolation levels, fallback when bubblewrap is unusable, and one workspace per agent."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tools.sandbox.sandbox import Sandbox, SandboxError, SandboxUnavailable, safe_id


@pytest.fixture
def no_bwrap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Hide bwrap: an empty PATH for the orchestrator (commands get their own fixed PATH)."""
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))


@pytest.fixture
def broken_bwrap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A bwrap that fails as it does where unprivileged user namespaces are disabled."""
    bin_dir = tmp_path / "broken-bin"
    bin_dir.mkdir()
    fake = bin_dir / "bwrap"
    fake.write_text("#!/bin/sh\necho 'bwrap: setting up uid map: Permission denied' >&2\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:/usr/bin:/bin")


@pytest.mark.usefixtures("no_bwrap")
def test_strict_fails_closed_without_bwrap(tmp_path: Path) -> None:
    with pytest.raises(SandboxUnavailable, match="bwrap"):
        Sandbox(tmp_path / "root", "run", "agent", isolation="strict")
    assert not (tmp_path / "root" / "sandbox_run_agent").exists()


@pytest.mark.usefixtures("broken_bwrap")
def test_strict_fails_closed_when_user_namespaces_are_off(tmp_path: Path) -> None:
    with pytest.raises(SandboxUnavailable, match="uid map"):
        Sandbox(tmp_path / "root", "run", "agent", isolation="strict")


@pytest.mark.usefixtures("broken_bwrap")
def test_auto_falls_back_to_process_isolation_and_says_so(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="tools")  # whatever level an earlier test left
    box = Sandbox(tmp_path / "root", "run", "agent", isolation="auto")
    assert box.isolation == "process"
    assert "process isolation" in caplog.text
    result = box.run("echo fine")
    assert (result.stdout, result.isolation) == ("fine\n", "process")
    box.cleanup()


def test_auto_uses_bwrap_when_it_works(tmp_path: Path, bwrap_unusable: str) -> None:
    box = Sandbox(tmp_path / "root", "run", "agent")
    assert box.isolation == ("process" if bwrap_unusable else "bwrap")
    box.cleanup()


def test_unknown_isolation_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        Sandbox(tmp_path, "run", "agent", isolation="none")


def test_workspace_is_named_after_run_and_agent(sandbox: Sandbox, tmp_path: Path) -> None:
    assert sandbox.workspace == (tmp_path / "root").resolve() / "sandbox_run_agent"
    assert sandbox.workspace.is_dir()


def test_ids_that_sanitise_alike_get_distinct_workspaces(make_sandbox) -> None:
    names = {make_sandbox(agent_id=agent).workspace.name for agent in ("a/b", "a_b", "a-b", "a b", "../a")}
    assert len(names) == 5
    assert all("/" not in name and name.startswith("sandbox_run_") for name in names)


def test_safe_id_names_the_workspace(make_sandbox) -> None:
    assert safe_id("run-1.a") == "run-1.a"
    assert make_sandbox(agent_id="explore/gmail", run_id="r 1").workspace.name == (
        f"sandbox_{safe_id('r 1')}_{safe_id('explore/gmail')}"
    )


def test_with_block_releases_the_workspace_and_keeps_files(tmp_path: Path, isolation: str) -> None:
    with Sandbox(tmp_path / "root", "run", "agent", isolation=isolation) as box:
        box.write_text("kept.txt", "still here")
    with Sandbox(tmp_path / "root", "run", "agent", isolation=isolation) as again:
        assert again.read_text("kept.txt") == "still here"
        again.cleanup()


def test_a_workspace_is_never_shared(make_sandbox) -> None:
    first = make_sandbox(agent_id="solo")
    with pytest.raises(SandboxError, match="in use"):
        make_sandbox(agent_id="solo")
    with ThreadPoolExecutor(1) as pool:
        with pytest.raises(SandboxError, match="in use"):
            pool.submit(make_sandbox, "solo").result()
    first.close()
    make_sandbox(agent_id="solo").write_text("again.txt", "reclaimed after close")


def test_concurrent_agents_do_not_collide(make_sandbox) -> None:
    def agent(number: int) -> tuple[str, str, list[str]]:
        box = make_sandbox(agent_id=f"agent-{number}")
        box.write_text("mine.txt", f"agent {number}")
        result = box.run("cat mine.txt; echo; ls")
        return str(box.workspace), result.stdout, [entry["path"] for entry in box.list()]

    with ThreadPoolExecutor(4) as pool:
        outcomes = list(pool.map(agent, range(6)))
    assert len({workspace for workspace, _, _ in outcomes}) == 6
    for number, (_, stdout, listing) in enumerate(outcomes):
        assert stdout.splitlines() == [f"agent {number}", "mine.txt", "tmp"]
        assert listing == ["mine.txt", "tmp"]


def test_cleanup_removes_the_workspace_and_closes_the_sandbox(sandbox: Sandbox) -> None:
    sandbox.run("mkdir -p deep/er && touch deep/er/file && chmod 500 deep/er")
    sandbox.cleanup()
    assert not sandbox.workspace.exists()
    with pytest.raises(SandboxError, match="closed"):
        sandbox.run("true")
    with pytest.raises(SandboxError, match="closed"):
        sandbox.read_bytes("anything")


def test_a_replaced_workspace_is_not_used(sandbox: Sandbox, tmp_path: Path) -> None:
    moved = tmp_path / "moved"
    sandbox.workspace.rename(moved)
    (tmp_path / "decoy").mkdir()
    sandbox.workspace.symlink_to(tmp_path / "decoy")
    with pytest.raises(SandboxError, match="moved or replaced"):
        sandbox.run("touch planted")
    assert not (tmp_path / "decoy" / "planted").exists()
    sandbox.workspace.unlink()
    moved.rename(sandbox.workspace)
