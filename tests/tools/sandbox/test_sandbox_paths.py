"""File tools: every path stays inside the workspace, symlinks and special files are refused."""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tools.sandbox.sandbox import PathEscapeError, Sandbox, SandboxError

ESCAPES = ["../x", "a/../../x", "/etc/passwd", "../sandbox_other/x", "./../x", "a/..", "..", "x\x00y", "a/" * 3000]


@pytest.mark.parametrize("rel", ESCAPES)
def test_escaping_paths_are_refused_everywhere(sandbox: Sandbox, tmp_path: Path, rel: str) -> None:
    before = sorted(p.name for p in tmp_path.iterdir())
    for attempt in (
        lambda: sandbox.resolve(rel),
        lambda: sandbox.read_bytes(rel),
        lambda: sandbox.write_bytes(rel, b"x"),
        lambda: sandbox.list(rel),
        lambda: sandbox.exists(rel),
    ):
        with pytest.raises(PathEscapeError):
            attempt()
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_error_message_names_the_path(sandbox: Sandbox) -> None:
    with pytest.raises(PathEscapeError, match=r"\.\./x"):
        sandbox.write_bytes("../x", b"")


def test_symlink_to_a_sibling_with_a_common_prefix_is_an_escape(sandbox: Sandbox) -> None:
    sibling = Path(f"{sandbox.workspace}-evil")
    sibling.mkdir()
    (sibling / "x").write_text("other agent")
    os.symlink(sibling, sandbox.workspace / "link")
    with pytest.raises(PathEscapeError):
        sandbox.resolve("link/x")
    with pytest.raises(PathEscapeError):
        sandbox.read_bytes("link/x")


# Symlinked files and folders (matrix rows B3, B4): tests/security/test_security_b_paths.py.


def test_magic_proc_link_is_refused(sandbox: Sandbox) -> None:
    os.symlink("/proc/self/root/etc/hostname", sandbox.workspace / "magic")
    with pytest.raises(PathEscapeError):
        sandbox.read_bytes("magic")
    with pytest.raises(PathEscapeError):
        sandbox.resolve("magic")


def test_fifo_is_refused_without_hanging(sandbox: Sandbox) -> None:
    os.mkfifo(sandbox.workspace / "fifo")
    with ThreadPoolExecutor(1) as pool:
        for attempt in (
            lambda: sandbox.read_bytes("fifo"),
            lambda: sandbox.write_bytes("fifo", b"x"),
            lambda: sandbox.resolve("fifo"),
        ):
            with pytest.raises(PathEscapeError, match="fifo"):
                pool.submit(attempt).result(timeout=5)


def test_write_replaces_a_hard_link_instead_of_writing_through_it(sandbox: Sandbox, outside: Path) -> None:
    os.link(outside / "secret.txt", sandbox.workspace / "hard")
    sandbox.write_text("hard", "new")
    assert (outside / "secret.txt").read_text() == "top secret"
    assert sandbox.read_text("hard") == "new"


def test_swapping_a_directory_for_a_symlink_never_reaches_outside(sandbox: Sandbox, outside: Path) -> None:
    workspace = sandbox.workspace
    (workspace / "d").mkdir()
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
    try:
        for _ in range(500):
            try:
                sandbox.write_bytes("d/f.txt", b"x")
                sandbox.read_bytes("d/secret.txt")
            except SandboxError:
                pass
            else:
                raise AssertionError("read a file that only exists outside the workspace")
    finally:
        stop.set()
        swapper.join()
    assert sorted(p.name for p in outside.iterdir()) == ["secret.txt"]


def test_write_creates_parents_and_reads_back(sandbox: Sandbox) -> None:
    path = sandbox.write_text("a/b/c.txt", "héllo")
    assert path == sandbox.workspace / "a" / "b" / "c.txt"
    assert sandbox.read_text("a/b/c.txt") == "héllo"
    assert sandbox.read_bytes("a/b/c.txt", max_bytes=2) == b"h\xc3"
    assert sandbox.read_text("a/b/c.txt", max_chars=2) == "hé"
    assert sandbox.resolve("./a//b/c.txt") == path


def test_workspace_files_are_private(sandbox: Sandbox) -> None:
    assert sandbox.workspace.stat().st_mode & 0o777 == 0o700
    sandbox.write_text("a/b.txt", "x")
    assert (sandbox.workspace / "a").stat().st_mode & 0o077 == 0


def test_write_refuses_directories_and_files_as_parents(sandbox: Sandbox) -> None:
    sandbox.write_text("file.txt", "x")
    (sandbox.workspace / "folder").mkdir()
    with pytest.raises(SandboxError):
        sandbox.write_text("folder", "x")
    with pytest.raises(SandboxError):
        sandbox.write_text("file.txt/inner", "x")
    with pytest.raises(SandboxError):
        sandbox.write_text(".", "x")


def test_quota_counts_every_file_and_credits_overwrites(make_sandbox) -> None:
    box = make_sandbox(workspace_bytes=1000)
    box.write_bytes("one", b"x" * 600)
    with pytest.raises(SandboxError, match="quota"):
        box.write_bytes("two", b"x" * 600)
    box.write_bytes("one", b"x" * 900)
    assert not box.exists("two")
    assert [entry["path"] for entry in box.list() if not entry["is_dir"]] == ["one"]


def test_list_is_sorted_relative_and_skips_links(sandbox: Sandbox, outside: Path) -> None:
    sandbox.write_text("b.txt", "bb")
    sandbox.write_text("a/z.txt", "z")
    os.symlink(outside, sandbox.workspace / "link")
    os.mkfifo(sandbox.workspace / "fifo")
    listing = sandbox.list()
    assert [entry["path"] for entry in listing] == ["a", "a/z.txt", "b.txt"]
    assert {"path": "b.txt", "size": 2, "is_dir": False} in listing
    assert sandbox.list("a") == [{"path": "a/z.txt", "size": 1, "is_dir": False}]
    assert sandbox.list("b.txt") == [{"path": "b.txt", "size": 2, "is_dir": False}]


def test_exists(sandbox: Sandbox) -> None:
    sandbox.write_text("a/b.txt", "x")
    assert sandbox.exists("a/b.txt")
    assert sandbox.exists("a")
    assert sandbox.exists(".")
    assert not sandbox.exists("a/missing")
    assert not sandbox.exists("missing/deeper")
    assert not sandbox.exists("a/b.txt/under-a-file")


def test_missing_file_is_a_sandbox_error_and_a_file_not_found(sandbox: Sandbox) -> None:
    with pytest.raises(SandboxError):
        sandbox.read_bytes("nope.txt")
    with pytest.raises(FileNotFoundError):
        sandbox.read_bytes("nope.txt")
