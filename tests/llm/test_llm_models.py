"""The chat model factory, its key checks, and the run settings and CLI flags that choose models."""

from __future__ import annotations

import json

import pytest
from langchain_openai import ChatOpenAI

from cli.commands import run_settings
from cli.main import build_parser, main
from nodes.context import Context
from nodes.models import MissingModelKey, check_models, make_chat_model, model_name, split_name


@pytest.fixture
def no_keys(monkeypatch):
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "ANTHROPIC_API_KEY"):
        monkeypatch.delenv(var, raising=False)
    return monkeypatch


def test_names_split_at_the_first_colon_only():
    assert split_name("openai:qwen2.5:7b") == ("openai", "qwen2.5:7b")
    assert split_name("anthropic:claude-3-5-haiku-latest") == ("anthropic", "claude-3-5-haiku-latest")
    assert split_name("gpt-4o-mini") == ("", "gpt-4o-mini")
    assert split_name("llama3.1:8b") == ("llama3.1", "8b") or split_name("llama3.1:8b") == ("", "llama3.1:8b")


def test_each_role_has_its_model_or_the_shared_one():
    ctx = Context(model="openai:a", structurer_model="openai:b")
    assert model_name(ctx, "explorer") == "openai:a" and model_name(ctx, "structurer") == "openai:b"
    assert model_name(Context(), "explorer") == ""
    with pytest.raises(ValueError, match="unknown agent role"):
        model_name(ctx, "writer")


def test_missing_keys_name_their_variable(no_keys):
    with pytest.raises(MissingModelKey, match="OPENAI_API_KEY is not set: the explorer model 'openai:gpt-4o-mini'"):
        make_chat_model(Context(model="openai:gpt-4o-mini"), "explorer")
    with pytest.raises(MissingModelKey, match="ANTHROPIC_API_KEY is not set: the structurer model"):
        check_models(Context(structurer_model="anthropic:claude-3-5-haiku-latest"))
    check_models(Context())  # offline: nothing to check
    no_keys.setenv("ANTHROPIC_API_KEY", "k")
    check_models(Context(structurer_model="anthropic:claude-3-5-haiku-latest"))


# ChatOpenAI probes socket options by creating (never connecting) a socket; loopback only, to be sure.
@pytest.mark.allow_hosts(["127.0.0.1"])
def test_a_base_url_builds_chat_openai_for_a_local_server_without_a_key(no_keys):
    model = make_chat_model(Context(model="openai:qwen2.5:7b", base_url="http://127.0.0.1:8080/v1"), "explorer")
    assert isinstance(model, ChatOpenAI) and model.model_name == "qwen2.5:7b"
    assert str(model.openai_api_base) == "http://127.0.0.1:8080/v1"
    no_keys.setenv("OPENAI_BASE_URL", "http://127.0.0.1:11434/v1")
    model = make_chat_model(Context(model="llama3.2"), "structurer")
    assert isinstance(model, ChatOpenAI) and str(model.openai_api_base) == "http://127.0.0.1:11434/v1"


# ChatOpenAI probes socket options by creating (never connecting) a socket; loopback only, to be sure.
@pytest.mark.allow_hosts(["127.0.0.1"])
def test_hosted_openai_goes_through_init_chat_model(no_keys):
    no_keys.setenv("OPENAI_API_KEY", "sk-test")
    model = make_chat_model(Context(model="openai:gpt-4o-mini"), "explorer")
    assert isinstance(model, ChatOpenAI) and model.model_name == "gpt-4o-mini" and model.openai_api_base is None


def test_run_flags_reach_the_context(tmp_path):
    args = build_parser().parse_args(
        [
            "run",
            "--client",
            "a",
            "--source",
            f"drive={tmp_path}",
            "--model",
            "openai:m",
            "--base-url",
            "http://127.0.0.1:1/v1",
            "--explorer-model",
            "openai:e",
            "--structurer-model",
            "openai:s",
            "--max-tokens",
            "5000",
            "--max-cost",
            "0.25",
            "--price-table",
            '{"m": {"input": 1, "output": 2}}',
            "--db",
            str(tmp_path / "kb.db"),
        ]
    )
    ctx, _ = run_settings(args, tmp_path / "cp.db")
    assert (ctx.base_url, ctx.explorer_model, ctx.structurer_model) == ("http://127.0.0.1:1/v1", "openai:e", "openai:s")
    assert (ctx.max_tokens, ctx.max_cost, ctx.price_table) == (5000, 0.25, {"m": {"input": 1, "output": 2}})
    assert json.loads(json.dumps(ctx.to_dict()))["price_table"] == {"m": {"input": 1, "output": 2}}
    prices = tmp_path / "prices.json"
    prices.write_text('{"x": {"input": 3}}')
    assert build_parser().parse_args(["run", "--price-table", str(prices)]).price_table == {"x": {"input": 3}}


def test_cli_names_the_missing_key_before_running(tmp_path, no_keys, capsys):
    code = main(
        [
            "run",
            "--client",
            "a",
            "--source",
            f"drive={tmp_path}",
            "--model",
            "anthropic:claude-3-5-haiku-latest",
            "--db",
            str(tmp_path / "kb.db"),
            "--json",
        ]
    )
    assert code == 2 and "ANTHROPIC_API_KEY is not set" in capsys.readouterr().err
    assert not (tmp_path / "kb.db").exists()
