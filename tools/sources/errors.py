"""Errors raised while building or running source tools."""


class MissingCredentials(RuntimeError):
    """A connector needs a credential that is not configured."""


class ToolNotAllowed(PermissionError):
    """A tool outside the caller's allow-list was requested."""

    def __init__(self, name: str, allowed: tuple[str, ...] = (), agent: str = "") -> None:
        hint = f"; allowed: {', '.join(allowed)}" if allowed else ""
        who = f" for {agent}" if agent else ""
        super().__init__(f"tool {name!r} is not allowed{who} here{hint}")
        self.name = name
        self.agent = agent


class ToolFailure(Exception):
    """A tool answered with `successful: false` (or a download failed); the message is the reason."""
