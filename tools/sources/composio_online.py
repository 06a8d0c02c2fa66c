"""Online source tools, fetched from Composio for a connected user."""

from __future__ import annotations

import os

from langchain_core.tools import StructuredTool

from tools.sources.errors import MissingCredentials
from tools.sources.registry import source_type


def composio_source_tools(source_type_name: str, user_id: str) -> list[StructuredTool]:
    """Return the source's allow-listed read tools from Composio for `user_id`."""
    declared = source_type(source_type_name)
    if not os.environ.get("COMPOSIO_API_KEY", "").strip():
        raise MissingCredentials(
            "COMPOSIO_API_KEY is not set: export a Composio project API key to read "
            f"{source_type_name} online, or give the source connection 'local' and a path to an export"
        )
    from composio import Composio
    from composio_langgraph import LanggraphProvider

    client = Composio(provider=LanggraphProvider())
    return client.tools.get(user_id, tools=list(declared.read_tools))
