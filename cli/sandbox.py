"""`grove sandbox`: run one command or file operation in an agent workspace, to check the sandbox here."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from tools.sandbox.sandbox import Sandbox, SandboxError, SandboxLimits

TIMED_OUT = 124  # what coreutils' timeout(1) exits with
REFUSED = 1


def add_sandbox_parser(sub: argparse._SubParsersAction) -> None:
    """Register `grove sandbox` and its four actions."""
    box = sub.add_parser("sandbox", help="run a command or a file operation in an agent sandbox (debugging)")
    box.set_defaults(func=cmd_sandbox)
    box.add_argument("--isolation", default="auto", choices=["auto", "strict", "process"])
    box.add_argument(
        "--workspace",
        default="",
        metavar="DIR",
        help="keep the workspace under DIR, so several calls share it (default: a fresh one)",
    )
    box.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS")
    actions = box.add_subparsers(dest="action", required=True)
    run = actions.add_parser("exec", help="run a command: grove sandbox exec -- CMD ARGS...")
    run.add_argument("argv", nargs=argparse.REMAINDER)
    actions.add_parser("read", help="print a workspace file").add_argument("path")
    actions.add_parser("write", help="write stdin to a workspace file").add_argument("path")
    actions.add_parser("ls", help="list the workspace").add_argument("path", nargs="?", default=".")


def cmd_sandbox(args: argparse.Namespace) -> int:
    """Run the action; print its result, or the refusal on stderr and exit non-zero."""
    limits = SandboxLimits(timeout=args.timeout)
    try:
        with _workspace(args.workspace) as root:
            box = Sandbox(root, "cli", "shell", isolation=args.isolation, limits=limits)
            try:
                return _ACTIONS[args.action](box, args)
            finally:
                box.close()
    except SandboxError as exc:
        print(f"grove sandbox: refused: {exc}", file=sys.stderr)
        return REFUSED


def _exec(box: Sandbox, args: argparse.Namespace) -> int:
    argv = args.argv[1:] if args.argv[:1] == ["--"] else args.argv
    if not argv:
        raise SandboxError("no command given: grove sandbox exec -- CMD ARGS...")
    result = box.run(argv)
    sys.stdout.write(result.stdout)
    sys.stderr.write(result.stderr)
    owner = f"uid {box.run_as[0]}" if box.run_as else f"uid {os.geteuid()} (the caller's)"
    print(
        f"[sandbox: isolation={box.isolation} network={box.network} user={owner} "
        f"workspace={box.workspace} exit={result.exit_code}"
        f"{' timed-out' if result.timed_out else ''}{' truncated' if result.truncated else ''}]",
        file=sys.stderr,
    )
    if result.timed_out:
        return TIMED_OUT
    return result.exit_code


def _read(box: Sandbox, args: argparse.Namespace) -> int:
    sys.stdout.buffer.write(box.read_bytes(args.path))
    return 0


def _write(box: Sandbox, args: argparse.Namespace) -> int:
    data = sys.stdin.buffer.read()
    box.write_bytes(args.path, data)
    print(f"wrote {len(data)} bytes to {args.path} in {box.workspace}", file=sys.stderr)
    return 0


def _ls(box: Sandbox, args: argparse.Namespace) -> int:
    for entry in box.list(args.path):
        print(f"{'-' if entry['is_dir'] else entry['size']:>12}  {entry['path']}{'/' if entry['is_dir'] else ''}")
    return 0


_ACTIONS = {"exec": _exec, "read": _read, "write": _write, "ls": _ls}


@contextmanager
def _workspace(given: str) -> Iterator[Path]:
    """Yield the root to put the workspace in: DIR (kept), or a fresh temp dir removed afterwards."""
    if given:
        root = Path(given).expanduser()
        root.mkdir(parents=True, exist_ok=True)
        yield root
        return
    root = Path(tempfile.mkdtemp(prefix="grove-sandbox-"))
    # Searchable, not listable: commands may run under an unprivileged uid that must reach it.
    os.chmod(root, 0o711)
    try:
        yield root
    finally:
        shutil.rmtree(root, ignore_errors=True)
