"""Every graph named in langgraph.json loads by file path, as `langgraph dev` loads it."""

import importlib.util
import json
import sys
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from langgraph.graph.state import CompiledStateGraph

from nodes.context import Context

ROOT = Path(__file__).resolve().parents[2]
SPEC = json.loads((ROOT / "langgraph.json").read_text())


def load_by_path(ref: str):
    file, _, attr = ref.partition(":")
    path = (ROOT / file).resolve()
    name = f"lgjson_{path.stem}"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return getattr(module, attr)


def test_the_graphs_are_named():
    assert set(SPEC["graphs"]) >= {"pipeline", "explorer", "structurer", "kb_query"}


@pytest.mark.parametrize("name", sorted(SPEC["graphs"]))
def test_graph_loads_by_path_and_is_compiled(name):
    graph = load_by_path(SPEC["graphs"][name])
    assert isinstance(graph, CompiledStateGraph)
    assert graph.name == name
    schema = graph.get_context_jsonschema()
    assert "client_id" in schema["properties"] and "sources" in schema["properties"]
    assert all(p.get("description") for p in schema["properties"].values()), "every context field is described"
    Draft202012Validator.check_schema(schema)  # Studio builds its settings form from this
    assert not list(Draft202012Validator(schema).iter_errors(Context().to_dict())), "the defaults fit the schema"


def test_pipeline_shows_the_fan_out_nodes_and_subgraphs():
    graph = load_by_path(SPEC["graphs"]["pipeline"])
    nodes = set(graph.get_graph().nodes)
    assert {
        "plan_sources",
        "explore",
        "join_explorations",
        "plan_batches",
        "structure",
        "join_structures",
        "write_kb",
        "report",
    } <= nodes
    xray = set(graph.get_graph(xray=True).nodes)
    assert "explore:explore_source" in xray and "structure:parse_items" in xray
