"""Fixtures for the sandbox tests: each runs once per isolation level, bwrap skipped where unusable."""

from __future__ import annotations

import dataclasses
import os
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tools.sandbox.bwrap import find_bubblewrap
from tools.sandbox.sandbox import Sandbox, SandboxLimits

TEST_LIMITS = SandboxLimits(timeout=10.0, file_bytes=1 << 20, workspace_bytes=8 << 20)


@pytest.fixture(scope="session")
def bwrap_unusable(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Why bubblewrap cannot be used here ('' when it can)."""
    _, reason = find_bubblewrap(tmp_path_factory.mktemp("bwrap-probe"))
    return reason


@pytest.fixture(params=["process", "bwrap"])
def isolation(request: pytest.FixtureRequest, bwrap_unusable: str) -> str:
    """The isolation argument to pass: 'process', or 'strict' to demand bubblewrap."""
    if request.param == "bwrap":
        if bwrap_unusable:
            pytest.skip(f"bubblewrap unusable: {bwrap_unusable}")
        return "strict"
    return "process"


@pytest.fixture
def make_sandbox(tmp_path: Path, isolation: str) -> Iterator[Callable[..., Sandbox]]:
    """Build sandboxes under tmp_path/root with the parametrised isolation; clean them all up."""
    made: list[Sandbox] = []

    def make(agent_id: str = "agent", run_id: str = "run", **limits: object) -> Sandbox:
        chosen = dataclasses.replace(TEST_LIMITS, **limits)
        box = Sandbox(tmp_path / "root", run_id, agent_id, isolation=isolation, limits=chosen)
        made.append(box)
        return box

    yield make
    for box in made:
        if box.workspace.exists():
            box.cleanup()
        box.close()


@pytest.fixture
def sandbox(make_sandbox: Callable[..., Sandbox]) -> Sandbox:
    return make_sandbox()


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A directory outside every workspace, holding secret.txt."""
    directory = tmp_path / "outside"
    directory.mkdir()
    (directory / "secret.txt").write_text("top secret")
    return directory


@pytest.fixture
def marker() -> str:
    """A sleep duration unique to this test, to find its processes in /proc."""
    return f"100.{secrets.randbelow(10**8):08d}"


@pytest.fixture
def survivors() -> Callable[[str], list[int]]:
    """Return the pids of living (non-zombie) processes whose command line contains a marker."""

    def find(text: str) -> list[int]:
        found = []
        for name in os.listdir("/proc"):
            if not name.isdigit():
                continue
            try:
                cmdline = Path(f"/proc/{name}/cmdline").read_bytes()
                state = Path(f"/proc/{name}/stat").read_bytes().rsplit(b")", 1)[1].split()[0]
            except (OSError, IndexError):
                continue
            if text.encode() in cmdline and state != b"Z":
                found.append(int(name))
        return found

    return find
