"""Matrix group B: the file tools reach nothing outside the workspace, whatever path or link they are given."""

from __future__ import annotations

import os
import socket
import stat
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tools.sandbox.sandbox import InvalidPath, PathEscapeError, Sandbox, SandboxError
from tools.sandbox.tools import sandbox_tools


@pytest.fixture
def outside(open_root: Path) -> Path:
    directory = open_root / "outside"
    directory.mkdir()
    (directory / "secret.txt").write_text("top secret")
    return directory


@pytest.mark.parametrize(
    "rel", ["../outside/secret.txt", "a/../../outside/secret.txt", "/etc/passwd", "a/../../../etc/passwd"]
)
def test_b1_escaping_paths_are_refused_for_every_operation(box: Sandbox, outside: Path, rel: str) -> None:
    for operation in (
        lambda: box.read_bytes(rel),
        lambda: box.write_text(rel, "x"),
        lambda: box.resolve(rel),
        lambda: box.list(rel),
    ):
        with pytest.raises(PathEscapeError):
            operation()
    assert (outside / "secret.txt").read_text() == "top secret"
    assert sorted(p.name for p in outside.iterdir()) == ["secret.txt"]


def test_b2_a_sibling_with_the_workspace_name_as_prefix_is_outside(box: Sandbox) -> None:
    sibling = box.workspace.with_name(box.workspace.name + "-evil")
    sibling.mkdir()
    (sibling / "x").write_text("sibling")
    assert str(sibling / "x").startswith(str(box.workspace))  # what a prefix check would accept
    with pytest.raises(PathEscapeError):
        box.read_text(f"../{sibling.name}/x")
    os.symlink(sibling / "x", box.workspace / "via-link")
    with pytest.raises(PathEscapeError):
        box.resolve("via-link")


def test_b3_a_symlinked_file_is_refused_for_read_and_write(box: Sandbox, outside: Path) -> None:
    os.symlink(outside / "secret.txt", box.workspace / "link")
    with pytest.raises(PathEscapeError, match="link"):
        box.resolve("link")
    with pytest.raises(PathEscapeError, match="symlink"):
        box.read_text("link")
    with pytest.raises(PathEscapeError):
        box.write_text("link", "overwritten")
    assert (outside / "secret.txt").read_text() == "top secret"


def test_b4_a_symlinked_directory_is_refused(box: Sandbox, outside: Path) -> None:
    os.symlink(outside, box.workspace / "linkdir")
    with pytest.raises(PathEscapeError, match="symlink"):
        box.write_text("linkdir/new.txt", "x")
    with pytest.raises(PathEscapeError):
        box.read_text("linkdir/secret.txt")
    with pytest.raises(PathEscapeError):
        box.list("linkdir")
    assert not (outside / "new.txt").exists()


def test_b5_swapping_a_directory_for_a_symlink_never_reaches_outside(box: Sandbox, outside: Path) -> None:
    workspace = box.workspace
    (workspace / "d").mkdir()
    (workspace / "d" / "secret.txt").write_text("inside")
    os.symlink(outside, workspace / "d_link")
    stop = threading.Event()

    def swap() -> None:
        while not stop.is_set():
            for source, target in (("d", "d_dir"), ("d_link", "d"), ("d", "d_link"), ("d_dir", "d")):
                try:
                    os.rename(workspace / source, workspace / target)
                except OSError:
                    pass

    swapper = threading.Thread(target=swap)
    swapper.start()
    reads = 0
    try:
        for _ in range(10_000):
            try:
                data = box.read_bytes("d/secret.txt")
            except SandboxError:
                continue
            reads += 1
            assert data == b"inside", "read a file that only exists outside the workspace"
    finally:
        stop.set()
        swapper.join()
    assert reads > 0  # the race was really run against successful opens too
    assert sorted(p.name for p in outside.iterdir()) == ["secret.txt"]


def test_b6_magic_proc_links_are_refused(box: Sandbox) -> None:
    os.symlink("/proc/self/root/etc/hostname", box.workspace / "magic")
    os.symlink("/proc/self/root", box.workspace / "rootlink")
    for rel in ("magic", "rootlink/etc/hostname"):
        with pytest.raises(PathEscapeError):
            box.read_text(rel)


def test_b7_a_hard_link_to_an_outside_file_is_neither_read_nor_written_through(box: Sandbox, outside: Path) -> None:
    os.link(outside / "secret.txt", box.workspace / "hard")
    with pytest.raises(PathEscapeError, match="hard link"):
        box.read_text("hard")
    box.write_text("hard", "new")  # replaces the link in the workspace; never writes through it
    assert (outside / "secret.txt").read_text() == "top secret"
    assert os.stat(outside / "secret.txt").st_nlink == 1


@pytest.mark.parametrize(
    "rel, why",
    [
        ("a\x00b", "NUL"),
        ("x" * 5000, "too long"),
        ("．．/．．/etc/passwd", "lookalike"),
        ("．．", "lookalike"),
        (".ENV", "never touch"),
        ("config/.Env", "never touch"),
        ("home/.ssh/id_rsa", "never touch"),
        ("d/" + "y" * 300, "longer than"),
    ],
)
def test_b8_malformed_and_denied_names_are_clean_refusals(box: Sandbox, rel: str, why: str) -> None:
    for operation in (lambda: box.read_text(rel), lambda: box.write_text(rel, "x")):
        with pytest.raises(InvalidPath, match=why):
            operation()
    tools = {t.name: t for t in sandbox_tools(box)}
    answer = tools["workspace_read"].invoke({"path": rel})
    assert answer["ok"] is False and why.split()[0].lower() in answer["error"].lower()
    assert "Traceback" not in answer["error"]


def test_b9_fifos_sockets_and_devices_are_refused_without_hanging(box: Sandbox) -> None:
    os.mkfifo(box.workspace / "fifo")
    with socket.socket(socket.AF_UNIX) as listener:
        listener.bind(str(box.workspace / "sock"))
        names = ["fifo", "sock"]
        if os.geteuid() == 0:
            os.mknod(box.workspace / "null", stat.S_IFCHR | 0o666, os.makedev(1, 3))
            names.append("null")
        with ThreadPoolExecutor(1) as pool:
            for name in names:
                started = time.monotonic()
                with pytest.raises(PathEscapeError, match="not a regular file"):
                    pool.submit(box.read_bytes, name).result(timeout=5)
                assert time.monotonic() - started < 2
                with pytest.raises(PathEscapeError):
                    box.write_text(name, "x")
