"""The local Drive connector over the bundled folder tree and trees made here."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from sources_support import SAMPLE

from tools.sources.drive.local import LocalDrive
from tools.sources.drive.query import QueryError, compile_query

SAMPLE_DRIVE = SAMPLE / "drive"
FOLDER = "application/vnd.google-apps.folder"


def list_all(drive: LocalDrive, **args) -> list[dict]:
    files, token = [], None
    while True:
        out = drive.execute("GOOGLEDRIVE_LIST_FILES", {"pageSize": 4, "pageToken": token, **args})
        assert out["successful"], out
        files += out["data"]["files"]
        token = out["data"].get("nextPageToken")
        if not token:
            return files


def walk_folder(drive: LocalDrive, folder_id: str) -> list[dict]:
    found = []
    for item in list_all(drive, q=f"'{folder_id}' in parents and trashed = false"):
        found.append(item)
        if item["mimeType"] == FOLDER:
            found += walk_folder(drive, item["id"])
    return found


def test_listing_pages_through_the_whole_tree(sink):
    drive = LocalDrive(SAMPLE_DRIVE, sink)
    on_disk = sorted(p.relative_to(SAMPLE_DRIVE).name for p in SAMPLE_DRIVE.rglob("*") if p.is_file())
    flat = list_all(drive, q=f"mimeType != '{FOLDER}'")
    assert sorted(f["name"] for f in flat) == on_disk
    walked = walk_folder(drive, "root")
    assert sorted(f["name"] for f in walked if f["mimeType"] != FOLDER) == on_disk
    assert len({f["id"] for f in walked}) == len(walked) == len(list_all(drive))


def test_item_metadata_matches_the_file(sink):
    drive = LocalDrive(SAMPLE_DRIVE, sink)
    [item] = list_all(drive, q="name = 'W4_2002.pdf'")
    path = SAMPLE_DRIVE / "HR" / "Onboarding 2002" / "W4_2002.pdf"
    assert item["mimeType"] == "application/pdf" and item["size"] == str(path.stat().st_size)
    assert item["md5Checksum"] == hashlib.md5(path.read_bytes()).hexdigest()
    assert (
        item["modifiedTime"].endswith("Z")
        and item["id"] == hashlib.sha256(b"HR/Onboarding 2002/W4_2002.pdf").hexdigest()[:16]
    )
    parent = drive.execute("GOOGLEDRIVE_GET_FILE_METADATA", {"fileId": item["parents"][0]})["data"]
    assert parent["name"] == "Onboarding 2002" and parent["mimeType"] == FOLDER
    grandparent = drive.execute("GOOGLEDRIVE_GET_FILE_METADATA", {"fileId": parent["parents"][0]})["data"]
    assert grandparent["name"] == "HR" and grandparent["parents"] == ["root"]


def test_download_writes_into_the_sink(sink):
    drive = LocalDrive(SAMPLE_DRIVE, sink)
    [item] = list_all(drive, q="name contains 'ERCOT'")
    out = drive.execute("GOOGLEDRIVE_DOWNLOAD_FILE", {"fileId": item["id"]})
    assert out["successful"], out
    content = out["data"]["downloaded_file_content"]
    assert content["name"] == item["name"] and content["mimetype"] == "application/msword"
    saved = Path(content["s3url"])
    assert saved.is_absolute() and saved.read_bytes() == (SAMPLE_DRIVE / "Strategy" / item["name"]).read_bytes()
    assert sink.written == [f"downloads/googledrive/{item['id']}/{item['name']}"]
    folder = drive.execute("GOOGLEDRIVE_DOWNLOAD_FILE", {"fileId": item["parents"][0]})
    assert folder["successful"] is False and "folder" in folder["error"]


def test_find_file_and_query_subset(sink):
    drive = LocalDrive(SAMPLE_DRIVE, sink)
    names = lambda out: sorted(f["name"] for f in out["data"]["files"])  # noqa: E731
    found = drive.execute("GOOGLEDRIVE_FIND_FILE", {"q": "ercot plan"})
    assert names(found) == ["2002 ERCOT Business Plan 1-3-01.doc"]
    pdfs = drive.execute("GOOGLEDRIVE_FIND_FILE", {"q": "mimeType = 'application/pdf' and not name contains 'daily'"})
    assert len(pdfs["data"]["files"]) == 6
    either = drive.execute(
        "GOOGLEDRIVE_LIST_FILES", {"q": "(name contains 'w4' or name contains 'ubswe') and trashed = false"}
    )
    assert names(either) == ["W4_2002.pdf", "ubswe.ppt"]
    by_folder = drive.execute("GOOGLEDRIVE_LIST_FILES", {"folderId": "root", "orderBy": "name desc"})
    assert names(by_folder)[::-1] == [f["name"] for f in by_folder["data"]["files"]]
    assert drive.execute("GOOGLEDRIVE_LIST_FILES", {"q": "modifiedTime > '1990-01-01T00:00:00Z'"})["successful"]


@pytest.mark.parametrize(
    "q",
    [
        "sharedWithMe = true",
        "name contains",
        "name ~ 'x'",
        "'a' in owners",
        "(name = 'a'",
        "name contains 'a' and",
        "starred = maybe",
    ],
)
def test_unknown_query_syntax_is_an_error_envelope(sink, q):
    out = LocalDrive(SAMPLE_DRIVE, sink).execute("GOOGLEDRIVE_LIST_FILES", {"q": q})
    assert out["successful"] is False and out["data"] == {} and out["error"]
    with pytest.raises(QueryError):
        compile_query(q)


def test_bad_ids_tokens_and_folders(sink):
    drive = LocalDrive(SAMPLE_DRIVE, sink)
    cases = [
        ("GOOGLEDRIVE_GET_FILE_METADATA", {"fileId": "abc123"}, "abc123"),
        ("GOOGLEDRIVE_DOWNLOAD_FILE", {"fileId": "abc123"}, "abc123"),
        ("GOOGLEDRIVE_LIST_FILES", {"pageToken": "bm9wZQ"}, "bm9wZQ"),
        ("GOOGLEDRIVE_LIST_FILES", {"folderId": "nofolder"}, "nofolder"),
        ("GOOGLEDRIVE_LIST_FILES", {"orderBy": "size"}, "size"),
        ("GOOGLEDRIVE_DELETE_FILE", {"fileId": "x"}, "GOOGLEDRIVE_DELETE_FILE"),
    ]
    for slug, args, named in cases:
        out = drive.execute(slug, args)
        assert out["successful"] is False and named in out["error"], out


def test_symlinks_out_of_the_root_and_special_files_are_skipped(sink, tmp_path):
    root = tmp_path / "drive"
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "plan.txt").write_text("plan")
    (root / ".hidden").write_text("x")
    outside = tmp_path / "secret.txt"
    outside.write_text("secret")
    os.symlink(outside, root / "docs" / "escape.txt")
    os.symlink(tmp_path, root / "loop")
    os.symlink(root / "docs" / "plan.txt", root / "alias.txt")
    os.mkfifo(root / "pipe")
    names = sorted(f["name"] for f in list_all(LocalDrive(root, sink)))
    assert names == ["alias.txt", "docs", "plan.txt"]
