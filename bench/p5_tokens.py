"""P5: tokens of the tool schemas bound to one explorer, against every read tool of every Composio toolkit.

Each explorer's runner is built as the pipeline builds it (`make_explorer_tools`: the
source's allow-listed read tools plus the sandbox tools); its tools are converted to the
OpenAI tool format a model receives (`convert_to_openai_tool`) and their JSON counted in
tokens. The baseline is the same count over every tool marked `read_only` in every toolkit
of the Composio reference (../shared/reference/composio/*.json), in the same format. The
ratio takes the largest explorer. Without the reference folder, the per-toolkit counts in
bench/data/composio_read_tools.json (made from it by `--write-reference`; counts only, no
schema text) stand in.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from pathlib import Path

from bench.exports import REPO, small_source
from bench.result import Result, cli

GOAL = 0.15
REFERENCE = Path(os.environ.get("GROVE_COMPOSIO_REFERENCE") or REPO.parent / "shared" / "reference" / "composio")
DERIVED = Path(__file__).resolve().parent / "data" / "composio_read_tools.json"

FINDINGS = """
**Findings.** An explorer sees its own toolkit's allow-listed read tools (four or five)
plus the four sandbox tools, never the other toolkits' tools nor any write tool.
"""


def _as_tool(spec: dict) -> dict:
    """A reference tool in the OpenAI tool format (what a model bound to it is sent)."""
    return {
        "type": "function",
        "function": {
            "name": spec["slug"],
            "description": spec.get("description") or "",
            "parameters": spec.get("input_parameters") or {},
        },
    }


def reference_counts(count) -> dict:
    """Per-toolkit read tools and tokens of the reference folder, with the files' hashes."""
    toolkits, hashes = {}, {}
    for path in sorted(REFERENCE.glob("*.json")):
        if path.name.startswith("_"):
            continue
        raw = path.read_bytes()
        hashes[path.name] = hashlib.sha256(raw).hexdigest()
        read = [_as_tool(spec) for spec in json.loads(raw) if spec.get("read_only")]
        toolkits[path.stem] = {"read_tools": len(read), "tokens": count(json.dumps(read))}
    return {
        "toolkits": toolkits,
        "files_sha256": hashes,
        "read_tools": sum(t["read_tools"] for t in toolkits.values()),
        "tokens": sum(t["tokens"] for t in toolkits.values()),
    }


def explorer_counts(count) -> dict:
    """Tokens of the tool schemas bound to each kind of explorer."""
    from langchain_core.utils.function_calling import convert_to_openai_tool

    from nodes.context import Context
    from nodes.deps import make_explorer_tools
    from tools.sandbox.sandbox import Sandbox

    out = {}
    with tempfile.TemporaryDirectory(prefix="grove-bench-p5-") as tmp:
        for kind in ("gmail", "drive", "sheets"):
            source = small_source(Path(tmp) / kind, kind, 0, 1)
            sandbox = Sandbox(Path(tmp) / "ws", "p5", kind, isolation="process")
            try:
                runner = make_explorer_tools(Context(client_id="bench"), source, sandbox)
                schemas = [convert_to_openai_tool(tool) for tool in runner.tools]
            finally:
                sandbox.close()
            out[kind] = {"tools": len(schemas), "names": list(runner.names), "tokens": count(json.dumps(schemas))}
    return out


def measure(tiny: bool = False) -> Result:
    """P5: tokens of one explorer's tool schemas, against all read tools of all Composio toolkits."""
    from bench.pipeline_run import quiet_logs
    from bench.tokens import counter

    quiet_logs()
    count, method = counter()
    if REFERENCE.is_dir():
        reference, origin = reference_counts(count), str(REFERENCE)
    elif DERIVED.is_file():
        reference, origin = json.loads(DERIVED.read_text()), f"{DERIVED.relative_to(REPO)} (reference folder absent)"
        if reference.get("method") != method:
            return Result(
                "P5",
                "tool_tokens",
                None,
                GOAL,
                better="lower",
                skipped=f"the shipped counts were made with {reference.get('method')}, this machine has {method}",
            )
    else:
        return Result(
            "P5", "tool_tokens", None, GOAL, skipped=f"no Composio reference at {REFERENCE} and no {DERIVED.name}"
        )
    explorers = explorer_counts(count)
    largest = max(explorers.values(), key=lambda e: e["tokens"])
    return Result(
        "P5",
        "tool_tokens",
        round(largest["tokens"] / reference["tokens"], 4),
        GOAL,
        measured={
            "method": method,
            "reference": origin,
            "reference_read_tools": reference["read_tools"],
            "reference_tokens": reference["tokens"],
            "reference_toolkits": reference["toolkits"],
            "explorers": explorers,
        },
    )


def write_reference() -> None:
    """Write the per-toolkit counts (never the schemas) for machines without the reference folder."""
    from bench.tokens import counter

    count, method = counter()
    data = {"method": method, **reference_counts(count)}
    DERIVED.parent.mkdir(parents=True, exist_ok=True)
    DERIVED.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")
    print(f"wrote {DERIVED}: {data['read_tools']} read tools, {data['tokens']} tokens")


if __name__ == "__main__":
    if "--write-reference" in sys.argv:
        write_reference()
        raise SystemExit(0)
    raise SystemExit(cli(measure))
