"""Check workspace-relative paths before any file tool walks them."""

from __future__ import annotations

import os
import unicodedata

from tools.sandbox.types import InvalidPath, PathEscapeError

_MAX_PATH_BYTES = 4096
_MAX_NAME_BYTES = 255
# Names that hold credentials or that shells and tools load on their own: a file tool never
# reads or writes them, in any case (".ENV" too), wherever they sit in the workspace.
DENIED_NAMES = frozenset(
    {
        ".env",
        ".envrc",
        ".netrc",
        ".npmrc",
        ".pypirc",
        ".pgpass",
        ".git-credentials",
        ".bashrc",
        ".bash_profile",
        ".bash_login",
        ".bash_logout",
        ".profile",
        ".zshrc",
        ".zprofile",
        ".ssh",
        ".gnupg",
        ".aws",
        ".docker",
        ".kube",
    }
)


def split_relative(rel: str) -> tuple[str, ...]:
    """Return the components of a workspace-relative path, refusing any that could leave it."""
    if not isinstance(rel, str):
        raise InvalidPath(f"path must be a string, got {type(rel).__name__}")
    if "\x00" in rel:
        raise InvalidPath(f"path contains a NUL byte: {rel[:60]!r}")
    try:
        encoded = os.fsencode(rel)
    except UnicodeEncodeError:
        raise InvalidPath(f"path is not valid text: {rel[:60]!r}") from None
    if len(encoded) > _MAX_PATH_BYTES:
        raise InvalidPath(f"path is too long ({len(encoded)} bytes): {rel[:60]}...")
    if rel.startswith("/"):
        raise PathEscapeError(f"path escapes the workspace (absolute paths are not allowed): {rel}")
    parts = tuple(part for part in rel.split("/") if part not in ("", "."))
    if ".." in parts:
        raise PathEscapeError(f"path escapes the workspace: {rel}")
    for part in parts:
        _check_name(part, rel)
    return parts


def _check_name(part: str, rel: str) -> None:
    if len(os.fsencode(part)) > _MAX_NAME_BYTES:
        raise InvalidPath(f"path has a component longer than {_MAX_NAME_BYTES} bytes: {part[:60]}...")
    # Fullwidth dots and slashes ("．．／") are harmless to the kernel but turn into ".." and
    # "/" once any tool normalises the name, so they are refused outright.
    folded = unicodedata.normalize("NFKC", part)
    if folded != part and ("/" in folded or "\\" in folded or folded.strip(".") == ""):
        raise InvalidPath(f"path uses lookalike dots or slashes: {rel[:60]}")
    if folded.casefold() in DENIED_NAMES:
        raise InvalidPath(f"file tools never touch {part!r} (credentials or shell start-up files): {rel[:60]}")
