"""Child process of P4: ingest one mbox through the local Gmail tools and print peak RSS as JSON.

Ingest = what the explorer asks of the connector, then the parse the structurer makes: list
every page of message ids (GMAIL_FETCH_EMAILS, ids only), fetch each message raw
(GMAIL_FETCH_MESSAGE_BY_MESSAGE_ID, format raw), decode it and parse it (parse_email).
Nothing is kept between messages: what stays in memory is the connector's own.
"""

from __future__ import annotations

import base64
import json
import resource
import sys
import tempfile
import time
from pathlib import Path


def ingest(mbox: Path, page_size: int = 500, parse: bool = True) -> dict:
    from nodes.context import Context
    from nodes.deps import make_explorer_tools
    from tools.parsers.mail import parse_email
    from tools.sandbox.sandbox import Sandbox

    started = time.perf_counter()
    messages = parsed_bytes = 0
    with tempfile.TemporaryDirectory(prefix="grove-bench-p4-ws-") as tmp:
        sandbox = Sandbox(Path(tmp), "p4", "gmail", isolation="process")
        runner = make_explorer_tools(Context(client_id="bench"), {"type": "gmail", "path": str(mbox)}, sandbox)
        token = ""
        while True:
            args = {"max_results": page_size, "ids_only": True, **({"page_token": token} if token else {})}
            page = runner.invoke("GMAIL_FETCH_EMAILS", args)["data"]
            for msg in page.get("messages") or []:
                data = runner.invoke(
                    "GMAIL_FETCH_MESSAGE_BY_MESSAGE_ID", {"message_id": msg["messageId"], "format": "raw"}
                )["data"]
                raw = base64.urlsafe_b64decode(data["raw"] + "=" * (-len(data["raw"]) % 4))
                parsed_bytes += len(parse_email(raw).body_text) if parse else len(raw)
                messages += 1
            token = page.get("nextPageToken") or ""
            if not token:
                break
        sandbox.close()
    return {
        "messages": messages,
        "body_chars": parsed_bytes,
        "seconds": round(time.perf_counter() - started, 2),
        # ru_maxrss is in KiB on Linux
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


if __name__ == "__main__":
    print(json.dumps(ingest(Path(sys.argv[1]), parse="--no-parse" not in sys.argv)), flush=True)
