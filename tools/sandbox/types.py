"""Errors, limits and results shared by the sandbox modules."""

from __future__ import annotations

from dataclasses import dataclass


class SandboxError(Exception):
    """Base class for every refusal or failure raised by a sandbox."""


class PathEscapeError(SandboxError):
    """A path names something outside the workspace, or something the file tools refuse to open."""


class InvalidPath(PathEscapeError):
    """A path no file tool accepts: NUL bytes, too long, lookalike dots, or a deny-listed name."""


class SandboxFileNotFound(SandboxError, FileNotFoundError):
    """The path is inside the workspace but nothing is there."""


class SandboxTimeout(SandboxError):
    """A command ran past its wall-clock limit; `result` holds its partial output."""

    def __init__(self, message: str, result: CommandResult | None = None) -> None:
        super().__init__(message)
        self.result = result


class SandboxUnavailable(SandboxError):
    """Strict isolation was asked for, but bubblewrap or user namespaces are unusable here."""


@dataclass(frozen=True)
class SandboxLimits:
    """Resource limits applied to every command and file write of one sandbox."""

    timeout: float = 30.0
    output_cap: int = 64 * 1024
    cpu_seconds: int = 30
    memory_bytes: int = 1 << 30
    file_bytes: int = 256 << 20
    max_processes: int = 64
    workspace_bytes: int = 2 << 30


@dataclass(frozen=True)
class CommandResult:
    """What one command produced. `exit_code` follows the shell: 128 + N when killed by signal N."""

    exit_code: int
    stdout: str
    stderr: str
    truncated: bool
    timed_out: bool
    isolation: str
    # Set when the workspace holds more than `SandboxLimits.workspace_bytes` after the command.
    quota_exceeded: bool = False
