"""One explorer's tool-calling loop (model node <-> ToolNode), built when the explorer starts.

The loop is built at run time because its tools are bound to this source and this sandbox; the
explorer graph itself stays fixed. Budgets are checked before every model call, so the loop ends
cleanly between turns and everything downloaded so far is kept.
"""

from __future__ import annotations

from typing import Annotated, Any, Callable, TypedDict

from langchain_core.messages import AIMessage, AnyMessage, ToolMessage
from langchain_core.runnables import RunnableConfig
from langgraph.graph import END, START, StateGraph
from langgraph.graph.message import add_messages
from langgraph.prebuilt import ToolNode

from nodes.context import Context
from nodes.explorer.tool_gate import ToolGate
from nodes.usage import UsageBook

OLD_RESULT_CHARS = 300  # tool results older than the last two turns are shortened to this


class LoopState(TypedDict):
    messages: Annotated[list[AnyMessage], add_messages]
    stop: str  # why the loop was stopped by a budget, or ''


def lean_history(messages: list[AnyMessage]) -> list[AnyMessage]:
    """Keep the last two turns whole and shorten older tool results (the catalogue remembers their items)."""
    turns = [i for i, m in enumerate(messages) if isinstance(m, AIMessage)]
    cut = turns[-2] if len(turns) >= 2 else 0
    out = []
    for i, m in enumerate(messages):
        text = m.content if isinstance(m.content, str) else ""
        if i < cut and isinstance(m, ToolMessage) and len(text) > OLD_RESULT_CHARS:
            closing = "\n</document>" if text.startswith("<document") else ""
            m = m.model_copy(
                update={"content": text[:OLD_RESULT_CHARS].rstrip() + " … [older result shortened]" + closing}
            )
        out.append(m)
    return out


class ExplorerLoop:
    """The model side of one explorer: budgets, usage and the bound model."""

    def __init__(
        self,
        ctx: Context,
        run_id: str,
        agent: str,
        model: Any,
        model_name: str,
        gate: ToolGate,
        book: UsageBook,
        describe: Callable[[RunnableConfig | None, str], RunnableConfig],
    ) -> None:
        self.ctx, self.run_id, self.agent = ctx, run_id, agent
        self.model, self.model_name, self.gate, self.book = model, model_name, gate, book
        self.describe = describe  # (config, step) -> the config of one model call: run name, tags, metadata
        self.tools = gate.hands.tools.tools
        self.bound = model.bind_tools(self.tools)

    def budget_stop(self, turns: int) -> str:
        """Why no further model call may be made, or ''."""
        if turns >= self.ctx.max_model_calls:
            return f"turn limit reached ({self.ctx.max_model_calls} model calls)"
        if self.gate.hands.budget.calls >= self.ctx.max_steps:
            return f"step limit reached ({self.ctx.max_steps} tool calls)"
        return self.book.over_budget(self.ctx, self.run_id, self.agent)

    def call_model(self, state: LoopState, config: RunnableConfig) -> dict:
        turns = sum(isinstance(m, AIMessage) for m in state["messages"])
        if stop := self.budget_stop(turns):
            return {"stop": stop}
        reply = self.bound.invoke(lean_history(state["messages"]), self.describe(config, f"turn-{turns + 1}"))
        self.book.record(self.ctx, self.run_id, self.agent, self.model_name, reply)
        return {"messages": [reply]}

    def build(self):
        builder = StateGraph(LoopState)
        builder.add_node("model", self.call_model)
        # handle_tool_errors=False: the gate already turns tool errors into messages, so the only
        # exceptions left are platform errors, which must end the source.
        builder.add_node("tools", ToolNode(self.tools, handle_tool_errors=False, wrap_tool_call=self.gate))
        builder.add_edge(START, "model")
        builder.add_conditional_edges("model", route_after_model, ["tools", END])
        builder.add_edge("tools", "model")
        return builder.compile(name="explorer_loop", checkpointer=False)

    def run(self, messages: list[AnyMessage], config: RunnableConfig) -> LoopState:
        """Run the loop to its end; tool calls of one turn run one at a time, so limits bind in order."""
        loop_config: RunnableConfig = {
            **config,
            "run_name": f"{self.agent}:loop",
            "max_concurrency": 1,
            "recursion_limit": 2 * self.ctx.max_model_calls + 10,
        }
        return self.build().invoke({"messages": messages, "stop": ""}, loop_config)


def route_after_model(state: LoopState) -> str:
    """Tools when the model asked for some; the end when it answered or a budget stopped it."""
    if state.get("stop"):
        return END
    last = state["messages"][-1]
    return "tools" if isinstance(last, AIMessage) and last.tool_calls else END
