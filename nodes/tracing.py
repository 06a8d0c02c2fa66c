"""Run name, tags and metadata of each model call, so traces (LangSmith) show which agent spent what."""

from __future__ import annotations

import hashlib

from langchain_core.runnables import RunnableConfig
from langchain_core.runnables.config import merge_configs

from nodes.context import Context


def client_id_hash(client_id: str) -> str:
    """The sha256 of a client id: traces carry this, never the id itself."""
    return hashlib.sha256(client_id.encode("utf-8")).hexdigest()[:16]


def model_call_config(
    config: RunnableConfig | None,
    ctx: Context,
    *,
    run_id: str,
    agent: str,
    phase: str,
    source_types: list[str],
    step: str = "",
) -> RunnableConfig:
    """The node's config plus this agent's run name, tags and metadata, for one model call.

    Tracing itself follows the standard LANGSMITH_* variables; nothing here turns it on.
    """
    types = sorted({t for t in source_types if t})
    own: RunnableConfig = {
        "run_name": agent,
        "tags": ["grove", f"phase:{phase}", *(f"source:{t}" for t in types), "brain:model"],
        "metadata": {
            "grove_run_id": run_id,
            "client_id_hash": client_id_hash(ctx.client_id),
            "agent": agent,
            "phase": phase,
            "source_types": types,
            **({"step": step} if step else {}),
        },
    }
    return merge_configs(config or {}, own)
