"""What Studio shows of each graph: readable node names, drawable graphs, input and output forms."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from graphs.kb_query import graph as kb_query
from graphs.pipeline import graph as pipeline

ROOT = Path(__file__).resolve().parents[2]
GRAPH_FILES = json.loads((ROOT / "langgraph.json").read_text())["graphs"]
NODE_NAME = re.compile(r"^[a-z]+(_[a-z]+)*$")
GENERIC = {"call", "node", "partial", "lambda", "runnable", "func", "step"}


def graphs() -> dict:
    from graphs.explorer import graph as explorer
    from graphs.structurer import graph as structurer

    return {"pipeline": pipeline, "explorer": explorer, "structurer": structurer, "kb_query": kb_query}


def test_langgraph_json_names_exactly_these_graphs():
    assert set(GRAPH_FILES) == set(graphs())


@pytest.mark.parametrize("name", sorted(GRAPH_FILES))
def test_node_names_read_well_and_the_graph_draws(name):
    drawn = graphs()[name].get_graph(xray=True)
    names = {part for node in drawn.nodes if not node.startswith("__") for part in node.split(":")}
    assert names, name
    for node in names:
        assert NODE_NAME.match(node) and node not in GENERIC, f"{name}: node {node!r} does not read well"
    mermaid = drawn.draw_mermaid()
    assert all(node in mermaid for node in names)


def test_kb_query_shows_its_question_form_and_answer():
    schema = kb_query.get_input_jsonschema()
    Draft202012Validator.check_schema(schema)
    assert schema["required"] == ["question"] and schema["properties"]["question"]["type"] == "string"
    assert {"answer", "sources", "hits"} <= set(kb_query.get_output_jsonschema()["properties"])
    assert list(kb_query.get_graph().nodes) == ["__start__", "retrieve_entries", "compose_answer", "__end__"]


@pytest.mark.parametrize("name", ["pipeline", "explorer", "structurer"])
def test_pipeline_graphs_show_input_and_output_forms(name):
    graph = graphs()[name]
    Draft202012Validator.check_schema(graph.get_input_jsonschema())
    Draft202012Validator.check_schema(graph.get_output_jsonschema())
