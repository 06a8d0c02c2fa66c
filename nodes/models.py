"""Chat model factory: 'provider:model' through init_chat_model, or any OpenAI-compatible server."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from nodes.context import Context

if TYPE_CHECKING:  # annotations only: naming a model must not load the chat-model stack
    from langchain_core.language_models import BaseChatModel

ROLES = ("explorer", "structurer")

# The variable each hosted provider reads its key from; a missing one is named in the error.
KEY_VARS: dict[str, tuple[str, ...]] = {
    "openai": ("OPENAI_API_KEY",),
    "anthropic": ("ANTHROPIC_API_KEY",),
    "azure_openai": ("AZURE_OPENAI_API_KEY",),
    "google_genai": ("GOOGLE_API_KEY", "GEMINI_API_KEY"),
    "mistralai": ("MISTRAL_API_KEY",),
    "groq": ("GROQ_API_KEY",),
    "fireworks": ("FIREWORKS_API_KEY",),
    "together": ("TOGETHER_API_KEY",),
    "deepseek": ("DEEPSEEK_API_KEY",),
    "xai": ("XAI_API_KEY",),
    "cohere": ("COHERE_API_KEY",),
    "openrouter": ("OPENROUTER_API_KEY",),
    "perplexity": ("PPLX_API_KEY",),
}
# Local servers accept any key, but the OpenAI client refuses to start without one.
PLACEHOLDER_KEY = "not-needed"
# Provider SDKs retry 429/5xx/timeouts themselves with exponential backoff that honours
# Retry-After (the OpenAI and Anthropic clients do); permanent errors are not retried.
MODEL_RETRIES = 5


class MissingModelKey(ValueError):
    """The configured model needs an API key that is not set."""


def model_name(ctx: Context, role: str) -> str:
    """The model an agent of `role` uses: its own setting, else `model`; empty means the offline brain."""
    if role not in ROLES:
        raise ValueError(f"unknown agent role {role!r}; expected one of {', '.join(ROLES)}")
    own = ctx.explorer_model if role == "explorer" else ctx.structurer_model
    return (own or ctx.model).strip()


def base_url(ctx: Context) -> str:
    """The OpenAI-compatible server to use, if any (run settings first, then OPENAI_BASE_URL)."""
    return (ctx.base_url or os.environ.get("OPENAI_BASE_URL", "")).strip()


def split_name(name: str) -> tuple[str, str]:
    """Split 'provider:model' into its parts; a bare name has no provider ('', name).

    Only the first colon separates, so local model tags survive: 'openai:qwen2.5:7b'.
    """
    provider, sep, model = name.partition(":")
    if sep and provider and provider.replace("_", "").isalnum() and provider.lower() == provider:
        return provider, model
    return "", name


def _compatible(ctx: Context, provider: str) -> bool:
    return bool(base_url(ctx)) and provider in ("", "openai")


def check_models(ctx: Context) -> None:
    """Raise MissingModelKey, naming the variable, when a configured model has no key; build nothing."""
    for role in ROLES:
        name = model_name(ctx, role)
        if not name:
            continue
        provider, _ = split_name(name)
        if _compatible(ctx, provider):
            continue
        wanted = KEY_VARS.get(provider, ())
        if wanted and not any(os.environ.get(var, "").strip() for var in wanted):
            raise MissingModelKey(
                f"{' or '.join(wanted)} is not set: the {role} model {name!r} needs it "
                f"(export it, or pass --base-url for an OpenAI-compatible local server)"
            )


def make_chat_model(ctx: Context, role: str, **kwargs: Any) -> BaseChatModel:
    """Build the chat model an agent of `role` uses; raises MissingModelKey or ValueError with the fix."""
    name = model_name(ctx, role)
    if not name:
        raise ValueError(f"no model configured for the {role}; set `model` or `{role}_model`")
    check_models(ctx)
    kwargs.setdefault("max_retries", MODEL_RETRIES)
    provider, model = split_name(name)
    if _compatible(ctx, provider):
        from langchain_openai import ChatOpenAI

        key = os.environ.get("OPENAI_API_KEY", "").strip() or PLACEHOLDER_KEY
        return ChatOpenAI(model=model, base_url=base_url(ctx), api_key=key, **kwargs)
    from langchain.chat_models import init_chat_model

    return init_chat_model(name, **kwargs)
