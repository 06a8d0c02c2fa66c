"""Matrix group C: archives expand only inside their item's folder, within limits, or fail alone."""

from __future__ import annotations

import io
import os
import shutil
import stat
import struct
import subprocess
import sys
import tarfile
import time
import zipfile
from pathlib import Path

import pytest
from langgraph.runtime import Runtime

from nodes.context import Context
from nodes.structurer.parse_items import parse_items
from tools.archives.extract import (
    ArchiveError,
    ArchiveRejected,
    ArchiveTooLarge,
    EncryptedUnsupported,
    extract_archive,
)

REPO = Path(__file__).resolve().parents[2]
SYSTEM_PYTHON = Path("/usr/bin/python3")


def tar_of(path: Path, *members: tuple[str, bytes | None, dict]) -> Path:
    """Write a tar whose members are (name, data or None, TarInfo attributes)."""
    with tarfile.open(path, "w") as archive:
        for name, data, attrs in members:
            info = tarfile.TarInfo(name)
            info.size = len(data) if data is not None else 0
            for key, value in attrs.items():
                setattr(info, key, value)
            archive.addfile(info, io.BytesIO(data) if data is not None else None)
    return path


def zip_of(path: Path, **members: bytes) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def nothing_outside(folder: Path, allowed: set[str]) -> None:
    assert {p.name for p in folder.iterdir()} <= allowed


@pytest.mark.parametrize(
    "members",
    [
        [("../escape", b"x", {})],
        [("/tmp/grove-absolute-escape", b"x", {})],
        [("up", None, {"type": tarfile.SYMTYPE, "linkname": ".."}), ("up/escape", b"x", {})],
        [("ok.txt", b"fine", {}), ("a/../../escape", b"x", {})],
    ],
    ids=["dotdot", "absolute", "symlink-then-file", "late-dotdot"],
)
def test_c1_escaping_members_reject_the_archive_and_write_nothing_outside(tmp_path: Path, members) -> None:
    archive = tar_of(tmp_path / "evil.tar", *members)
    with pytest.raises(ArchiveRejected) as refused:
        extract_archive(archive, tmp_path / "out")
    assert refused.value.member in {m[0] for m in members}
    nothing_outside(tmp_path, {"evil.tar"})
    assert not Path("/tmp/grove-absolute-escape").exists() and not (tmp_path.parent / "escape").exists()


@pytest.mark.skipif(not SYSTEM_PYTHON.exists(), reason="no system /usr/bin/python3 here")
def test_c2_the_system_python_without_tar_filters_still_refuses(tmp_path: Path) -> None:
    archive = tar_of(
        tmp_path / "evil.tar",
        ("ok.txt", b"fine", {}),
        ("up", None, {"type": tarfile.SYMTYPE, "linkname": "/etc"}),
        ("up/grove-x", b"x", {}),
    )
    code = (
        "import sys, tarfile; sys.path.insert(0, sys.argv[1]); "
        "from pathlib import Path; from tools.archives.extract import ArchiveRejected, extract_archive\n"
        "print('data_filter' if hasattr(tarfile, 'data_filter') else 'no-filter')\n"
        "try:\n    extract_archive(Path(sys.argv[2]), Path(sys.argv[3]))\n"
        "except ArchiveRejected as exc:\n    print('rejected', exc.member)\n"
    )
    done = subprocess.run(
        [str(SYSTEM_PYTHON), "-c", code, str(REPO), str(archive), str(tmp_path / "out")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "rejected up"
    assert not Path("/etc/grove-x").exists() and not (tmp_path / "out").exists()


def test_c2_extraction_never_relies_on_tarfile_filters(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(tarfile, "data_filter", raising=False)
    monkeypatch.setattr(tarfile.TarFile, "extractall", None)
    monkeypatch.setattr(tarfile.TarFile, "extract", None)
    archive = tar_of(tmp_path / "ok.tar", ("a/b.txt", b"hello", {}))
    [member] = extract_archive(archive, tmp_path / "out")
    assert (member.name, member.path.read_bytes()) == ("a/b.txt", b"hello")


def test_c3_devices_and_hard_links_are_rejected_and_setuid_bits_stripped(tmp_path: Path) -> None:
    for name, attrs in [
        ("dev", {"type": tarfile.CHRTYPE, "devmajor": 1, "devminor": 3}),
        ("fifo", {"type": tarfile.FIFOTYPE}),
        ("hostname", {"type": tarfile.LNKTYPE, "linkname": "/etc/hostname"}),
    ]:
        with pytest.raises(ArchiveRejected, match="not extracted"):
            extract_archive(tar_of(tmp_path / f"{name}.tar", (name, None, attrs)), tmp_path / f"{name}.d")
        assert not (tmp_path / f"{name}.d").exists()
    archive = tar_of(tmp_path / "suid.tar", ("tool", b"#!/bin/sh\n", {"mode": 0o6755, "uid": 0}))
    [member] = extract_archive(archive, tmp_path / "suid.d")
    mode = os.stat(member.path).st_mode
    assert not mode & (stat.S_ISUID | stat.S_ISGID | stat.S_IXUSR) and stat.S_IMODE(mode) == 0o644


def test_c4_a_zip_bomb_and_a_zip_of_100k_entries_are_refused_before_extraction(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive, archive.open("zeros.bin", "w") as member:
        chunk = bytes(1 << 20)
        for _ in range(200):
            member.write(chunk)
    assert bomb.stat().st_size < (1 << 20)  # about 1000:1
    started = time.monotonic()
    with pytest.raises(ArchiveTooLarge, match="too large"):
        extract_archive(bomb, tmp_path / "bomb.d")
    assert time.monotonic() - started < 1 and not (tmp_path / "bomb.d").exists()
    many = tmp_path / "many.zip"
    with zipfile.ZipFile(many, "w") as archive:
        for n in range(100_000):
            archive.writestr(f"f{n}", b"")
    with pytest.raises(ArchiveTooLarge, match="members"):
        extract_archive(many, tmp_path / "many.d")
    assert not (tmp_path / "many.d").exists()


def test_c4_a_lying_header_is_caught_while_streaming(tmp_path: Path) -> None:
    archive = tar_of(tmp_path / "big.tar", ("big.bin", bytes(3 << 20), {}))
    from tools.archives.extract import ArchiveLimits

    with pytest.raises(ArchiveTooLarge):
        extract_archive(archive, tmp_path / "out", ArchiveLimits(max_member_bytes=1 << 20))
    assert not (tmp_path / "out").exists()


def test_c5_nesting_encryption_and_corruption_each_fail_with_their_reason(tmp_path: Path) -> None:
    blob = b"leaf text"
    for level in range(10):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("leaf.txt" if level == 0 else f"level{level}.zip", blob)
        blob = buffer.getvalue()
    (tmp_path / "nested.zip").write_bytes(blob)
    with pytest.raises(ArchiveTooLarge, match="nested deeper"):
        extract_archive(tmp_path / "nested.zip", tmp_path / "nested.d")
    with pytest.raises(EncryptedUnsupported):
        extract_archive(encrypted_zip(tmp_path / "locked.zip"), tmp_path / "locked.d")
    with pytest.raises(ArchiveError, match="corrupt: Bad CRC"):
        extract_archive(bad_crc_zip(tmp_path / "crc.zip"), tmp_path / "crc.d")


def test_c4_c5_bad_archives_fail_alone_and_good_ones_are_parsed_like_other_items(tmp_path: Path) -> None:
    drive = tmp_path / "downloads"
    drive.mkdir()
    zip_of(
        drive / "bundle.zip",
        **{"inner/notes.txt": b"The lease renews every March.", "table.csv": b"name,amount\nrent,1200\n"},
    )
    shutil.copy(encrypted_zip(tmp_path / "locked.zip"), drive / "locked.zip")
    shutil.copy(bad_crc_zip(tmp_path / "crc.zip"), drive / "crc.zip")
    (drive / "plain.txt").write_text("A plain note about invoices.")
    items = [
        {
            "item_id": name,
            "source_type": "drive",
            "kind": "file",
            "name": name,
            "path": str(drive / name),
            "locator": f"drive:Awkward/{name}",
        }
        for name in ("bundle.zip", "locked.zip", "crc.zip", "plain.txt")
    ]
    parsed = parse_items({"batch": {"batch_id": "b", "items": items}}, Runtime(context=Context()))["parsed"]
    by_name = {p["item"]["item_id"]: p for p in parsed}
    assert (by_name["locked.zip"]["ok"], by_name["locked.zip"]["reason"]) == (
        False,
        "encrypted: password-protected archive",
    )
    assert not by_name["crc.zip"]["ok"] and by_name["crc.zip"]["reason"].startswith("corrupt:")
    assert by_name["plain.txt"]["ok"]
    bundle = by_name["bundle.zip"]
    assert bundle["ok"] and bundle["file_type"] == "zip"
    locators = {s["locator"].split(";")[0] for s in bundle["sections"]}
    assert {"members", "!/inner/notes.txt", "!/table.csv"} <= locators
    assert any("lease renews every March" in s["text"] for s in bundle["sections"])
    assert (drive / "bundle.zip.d" / "inner" / "notes.txt").is_file()


def encrypted_zip(path: Path) -> Path:
    """A zip whose member carries the 'encrypted' flag (zipfile cannot write real encryption)."""
    data = bytearray(zip_of(path, **{"secret.txt": b"hidden"}).read_bytes())
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.find(signature) + offset
        flags = struct.unpack_from("<H", data, at)[0]
        struct.pack_into("<H", data, at, flags | 0x1)
    path.write_bytes(bytes(data))
    return path


def bad_crc_zip(path: Path) -> Path:
    data = bytearray(zip_of(path, **{"a.txt": b"hello world " * 20}).read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("a.txt")
    at = info.header_offset + 14  # the CRC-32 field of the local header
    struct.pack_into("<I", data, at, struct.unpack_from("<I", data, at)[0] ^ 0xFFFF)
    central = data.find(b"PK\x01\x02") + 16
    struct.pack_into("<I", data, central, struct.unpack_from("<I", data, central)[0] ^ 0xFFFF)
    path.write_bytes(bytes(data))
    return path


def test_helpers_make_what_they_claim(tmp_path: Path) -> None:
    with zipfile.ZipFile(encrypted_zip(tmp_path / "e.zip")) as archive:
        assert archive.getinfo("secret.txt").flag_bits & 0x1
    with zipfile.ZipFile(bad_crc_zip(tmp_path / "c.zip")) as archive:
        assert archive.testzip() == "a.txt"
    assert sys.version_info >= (3, 11)
