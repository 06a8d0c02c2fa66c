"""A fake tool-calling chat model that replies by input, and a Deps factory handing one to each agent."""

from __future__ import annotations

import threading
from typing import Any, Callable

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage, ToolMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_core.utils.function_calling import convert_to_openai_tool
from llm_policies import reply_for
from pydantic import Field

Policy = Callable[[list[dict], list[str]], dict]


def neutral(messages: list[BaseMessage]) -> list[dict]:
    """LangChain messages as the policies read them."""
    roles = {SystemMessage: "system", HumanMessage: "user", AIMessage: "assistant", ToolMessage: "tool"}
    out = []
    for m in messages:
        out.append(
            {
                "role": roles[type(m)],
                "content": m.content if isinstance(m.content, str) else str(m.content),
                "tool_calls": [{"name": c["name"], "args": c["args"]} for c in getattr(m, "tool_calls", [])],
                "name": getattr(m, "name", None) or "",
            }
        )
    return out


def token_counts(messages: list[dict], tools: list[str], reply: dict) -> dict:
    """Deterministic usage: about four characters a token, like the loopback server reports."""
    inp = sum(len(m["content"]) + len(str(m["tool_calls"])) for m in messages) // 4 + 10 * len(tools)
    out = len(str(reply)) // 4 + 1
    return {"input_tokens": inp, "output_tokens": out, "total_tokens": inp + out}


class FakeToolCallingModel(BaseChatModel):
    """Replies with `policy(messages, bound tool names)`; bind_tools records the tools and returns self."""

    policy: Any
    bound: list = Field(default_factory=list)  # every bind_tools call: the names bound
    seen: list = Field(default_factory=list)  # every call: (bound names, number of messages)
    tool_names: list = Field(default_factory=list)

    @property
    def _llm_type(self) -> str:
        return "fake-tool-calling"

    def bind_tools(self, tools: Any, **kwargs: Any) -> "FakeToolCallingModel":
        names = [convert_to_openai_tool(t)["function"]["name"] for t in tools]
        self.bound.append(names)
        self.tool_names = names
        return self

    def _generate(
        self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None, **kwargs: Any
    ) -> ChatResult:
        plain = neutral(messages)
        reply = self.policy(plain, list(self.tool_names))
        self.seen.append((list(self.tool_names), len(messages)))
        calls = [
            {"name": c["name"], "args": c["args"], "id": f"call-{len(messages)}-{n}", "type": "tool_call"}
            for n, c in enumerate(reply.get("tool_calls") or [])
        ]
        message = AIMessage(
            content=reply.get("content", ""),
            tool_calls=calls,
            usage_metadata=token_counts(plain, self.tool_names, reply),
        )
        return ChatResult(generations=[ChatGeneration(message=message)])


class FakeModels:
    """A `chat_model` factory for Deps: each agent gets its own fake, kept with its role for inspection."""

    def __init__(self, policy: Policy | None = None, structurer_policy: Policy | None = None) -> None:
        self.policy = policy or reply_for
        self.structurer_policy = structurer_policy or self.policy
        self.made: list[tuple[str, FakeToolCallingModel]] = []
        self._lock = threading.Lock()

    def __call__(self, ctx: Any, role: str) -> FakeToolCallingModel:
        model = FakeToolCallingModel(policy=self.policy if role == "explorer" else self.structurer_policy)
        with self._lock:
            self.made.append((role, model))
        return model

    def of(self, role: str) -> list[FakeToolCallingModel]:
        return [m for r, m in self.made if r == role]
