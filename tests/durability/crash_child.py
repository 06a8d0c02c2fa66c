"""Run the pipeline durably in a child process and SIGKILL it after the Nth node event (crash injection)."""

from __future__ import annotations

import json
import os
import signal
import sys
from pathlib import Path

from cli.runs import checkpoint_path, open_checkpointer, remember_run, run_config
from graphs.pipeline import build_pipeline_graph
from nodes.context import Context
from nodes.deps import default_deps


def main() -> None:
    settings, kill_after, resume = json.loads(sys.argv[1]), int(sys.argv[2]), sys.argv[3] == "resume"
    ctx = Context(**settings)
    deps = default_deps()
    with open_checkpointer(checkpoint_path(ctx.db)) as saver:
        graph = build_pipeline_graph(deps, checkpointer=saver, branch_checkpoints=False)
        config = run_config(ctx.run_id, 4)
        if not resume:
            remember_run(saver, ctx)
        events = 0
        # One event per finished supervisor node; parallel branches may still be running at a kill.
        for chunk in graph.stream(None if resume else {}, config=config, context=ctx, stream_mode="updates"):
            events += len(chunk)
            if 0 < kill_after <= events:
                os.kill(os.getpid(), signal.SIGKILL)
        report = graph.get_state(config).values.get("report") or {}
    deps.store.close_all()
    Path(settings["db"] + ".events").write_text(str(events))
    print(json.dumps({"events": events, "status": report.get("status")}))


if __name__ == "__main__":
    main()
