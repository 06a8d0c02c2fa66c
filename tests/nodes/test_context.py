"""Run settings: defaults, validation, JSON round trip."""

import json
import re

import pytest

from nodes.context import Context, context_of, source_key


def test_defaults_are_json_serialisable_and_complete():
    ctx = Context()
    data = json.loads(json.dumps(ctx.to_dict()))
    assert data["client_id"] == "default" and data["sources"] == [] and data["model"] == ""
    assert Context(**data) == ctx


def test_context_rebuilds_from_a_plain_dict_as_a_server_sends_it():
    ctx = context_of(type("R", (), {"context": {"client_id": "a", "sources": [{"type": "drive", "path": "/x"}]}})())
    assert ctx.client_id == "a" and ctx.sources[0]["type"] == "drive"


@pytest.mark.parametrize(
    "sources, message",
    [
        ([{"type": "slackish", "path": "/x"}], "sources[0].type must be one of"),
        ([{"type": "gmail"}], "is local but has no path"),
        ([{"type": "gmail", "path": "/x", "connection": "ftp"}], "connection must be"),
        ("gmail", "sources must be a list"),
    ],
)
def test_bad_sources_name_the_item_and_the_reason(sources, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        Context(sources=sources)


def test_empty_client_and_zero_batch_are_refused():
    with pytest.raises(ValueError, match="client_id is empty"):
        Context(client_id=" ")
    with pytest.raises(ValueError, match="batch_size"):
        Context(batch_size=0)


def test_composio_source_needs_no_path_and_keys_are_unique():
    ctx = Context(sources=[{"type": "gmail", "connection": "composio"}])
    assert source_key(ctx.sources[0], 0) == "gmail-0"
    assert source_key({"type": "drive", "name": "shared"}, 3) == "shared"
