"""A downstream agent binds the KB tools and answers from them, citing the hit's locator."""

from __future__ import annotations

import json

from langchain.agents import create_agent
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, ToolMessage
from langchain_core.outputs import ChatGeneration, ChatResult

from tools.kb_tools import kb_tools


class SearchThenCite(BaseChatModel):
    """Replies by input: a question -> one search_kb call within Legal; a tool result -> cite its first hit."""

    @property
    def _llm_type(self) -> str:
        return "search-then-cite"

    def bind_tools(self, tools, **kwargs):
        self.__dict__["bound"] = sorted(t.name for t in tools)
        return self

    def _generate(self, messages, stop=None, run_manager=None, **kwargs):
        last = messages[-1]
        if isinstance(last, ToolMessage):
            hits = json.loads(last.content)["hits"]
            reply = AIMessage(content=f"{hits[0]['snippet']} [{hits[0]['locator']}]" if hits else "No entry.")
        else:
            reply = AIMessage(
                content="",
                tool_calls=[{"name": "search_kb", "id": "call-1", "args": {"query": last.content, "under": "Legal"}}],
            )
        return ChatResult(generations=[ChatGeneration(message=reply)])


def test_an_agent_bound_to_the_tools_cites_the_source(kb_store):
    model = SearchThenCite()
    agent = create_agent(model, kb_tools(kb_store, "acme"))
    out = agent.invoke({"messages": [{"role": "user", "content": "how is the consulting fee invoiced?"}]})
    assert model.__dict__["bound"] == ["browse_kb_tree", "search_forum", "search_kb"]
    tool_result = next(m for m in out["messages"] if isinstance(m, ToolMessage))
    assert json.loads(tool_result.content)["under"] == "Legal"
    assert out["messages"][-1].content.endswith("[drive:Legal/consulting.docx#paragraphs=3-5]")
