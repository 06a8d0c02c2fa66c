"""Fixtures for the security matrix: sandboxes per isolation level in a root any uid can reach."""

from __future__ import annotations

import dataclasses
import os
import secrets
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tools.sandbox.bwrap import find_bubblewrap
from tools.sandbox.sandbox import Sandbox, SandboxLimits

# Tiny limits: these tests run fork bombs, endless output and disk fills on a shared machine.
SECURITY_LIMITS = SandboxLimits(
    timeout=5.0,
    cpu_seconds=5,
    memory_bytes=256 << 20,
    file_bytes=1 << 20,
    max_processes=32,
    workspace_bytes=4 << 20,
    output_cap=16 << 10,
)


@pytest.fixture(scope="session")
def bwrap_reason(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Why bubblewrap cannot be used here ('' when it can)."""
    return find_bubblewrap(tmp_path_factory.mktemp("bwrap-probe"))[1]


@pytest.fixture
def open_root() -> Iterator[Path]:
    """A workspace root under /tmp that any uid may walk through (pytest's own temp dirs are private).

    Commands then run under the workspace's unprivileged uid when the tests run as root.
    """
    root = Path(tempfile.mkdtemp(prefix="grove-sec-"))
    os.chmod(root, 0o711)
    yield root
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(params=["process", "strict"])
def isolation(request: pytest.FixtureRequest, bwrap_reason: str) -> str:
    """'process', or 'strict' (bubblewrap) when this machine can run it."""
    if request.param == "strict" and bwrap_reason:
        pytest.skip(f"bubblewrap unusable here: {bwrap_reason}")
    return request.param


@pytest.fixture
def make_box(open_root: Path, isolation: str) -> Iterator[Callable[..., Sandbox]]:
    """Build sandboxes with the parametrised isolation and SECURITY_LIMITS (overridable); clean up."""
    made: list[Sandbox] = []

    def make(agent: str = "agent", run: str = "run", root: Path | None = None, **limits: object) -> Sandbox:
        box = Sandbox(
            root or open_root / "ws",
            run,
            agent,
            isolation=isolation,
            limits=dataclasses.replace(SECURITY_LIMITS, **limits),
        )
        made.append(box)
        return box

    yield make
    for box in made:
        if box.workspace.exists():
            box.cleanup()
        box.close()


@pytest.fixture
def box(make_box: Callable[..., Sandbox]) -> Sandbox:
    return make_box()


@pytest.fixture
def marker() -> str:
    """A sleep duration unique to this test, to find its processes in /proc."""
    return f"100.{secrets.randbelow(10**8):08d}"


@pytest.fixture
def survivors() -> Callable[..., list[int]]:
    """Return pids of living (non-zombie) processes whose command line holds `text` or whose uid is `uid`."""

    def find(text: str = "", uid: int | None = None) -> list[int]:
        found = []
        for name in os.listdir("/proc"):
            if not name.isdigit():
                continue
            try:
                owner = os.stat(f"/proc/{name}").st_uid
                cmdline = Path(f"/proc/{name}/cmdline").read_bytes()
                state = Path(f"/proc/{name}/stat").read_bytes().rsplit(b")", 1)[1].split()[0]
            except (OSError, IndexError):
                continue
            if state == b"Z":
                continue
            if (text and text.encode() in cmdline) or (uid is not None and owner == uid):
                found.append(int(name))
        return found

    return find


@pytest.fixture
def walled(box: Sandbox) -> Sandbox:
    """The sandbox, when the kernel walls its commands in (bwrap, or process isolation under their own uid)."""
    if box.isolation == "process" and box.run_as is None:
        pytest.skip(
            "process isolation has a filesystem boundary only when commands get their own uid "
            "(the orchestrator runs as root)"
        )
    return box
