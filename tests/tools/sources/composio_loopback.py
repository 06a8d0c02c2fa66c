"""A loopback stand-in for Composio's API and its file storage, serving recorded responses.

`GET /api/v3/tools` answers with tool schemas, `POST /api/v3.1/tools/execute/<slug>` with the
recorded response of that slug (s3urls point back at this server), `/s3/...` serves the files a
download tool names. Every request is recorded for assertions.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from pdf_bytes import pdf_of

RECORDED = Path(__file__).parent / "recorded"
SCHEMAS = Path(__file__).resolve().parents[3] / "tools" / "sources" / "schemas"

LEAVE_POLICY = (
    b"<html><body><h1>Leave policy 2026</h1><p>Every employee gets 27 days of paid leave a year.</p>"
    b"<p>Requests go to the team lead two weeks ahead.</p></body></html>"
)
SCHEDULE_PDF = pdf_of(b"BT /F1 12 Tf 72 720 Td (Cleaning schedule: offices cleaned nightly, windows monthly.) Tj ET")


def api_item(schema: dict, toolkit: str) -> dict:
    """A tool as Composio's tool listing serves it."""
    return {
        "slug": schema["slug"],
        "name": schema.get("name", schema["slug"]),
        "description": schema.get("description", ""),
        "input_parameters": schema["input_parameters"],
        "output_parameters": schema.get("output_parameters", {}),
        "toolkit": {"logo": "", "name": toolkit, "slug": toolkit},
        "version": "20260101_00",
        "available_versions": ["20260101_00"],
        "is_deprecated": False,
        "no_auth": False,
        "deprecated": {
            "available_versions": [],
            "displayName": schema["slug"],
            "is_deprecated": False,
            "toolkit": {"logo": ""},
            "version": "20260101_00",
        },
        "scopes": [],
        "tags": [],
    }


def tool_schemas() -> dict[str, tuple[str, dict]]:
    """slug -> (toolkit, schema): Gmail as recorded from the API, the other toolkits as shipped."""
    out = {t["slug"]: ("gmail", t) for t in json.loads((RECORDED / "gmail_tools.json").read_text())}
    for toolkit in ("googledrive", "googlesheets", "slack", "notion", "xero"):
        out.update({t["slug"]: (toolkit, t) for t in json.loads((SCHEMAS / f"{toolkit}.json").read_text())})
    return out


class ComposioLoopback:
    """Start with `with ComposioLoopback() as server:`; `server.base` is its URL."""

    def __init__(self, replay: dict | None = None) -> None:
        """`replay` maps a slug prefix (SLACK_) to a connector whose answers are served as recordings."""
        self.replay = replay or {}
        self.responses = json.loads((RECORDED / "online_responses.json").read_text())
        self.schemas = tool_schemas()
        self.executed: list[tuple[str, dict]] = []
        self.fetched: list[str] = []
        self.files = {
            "/s3/files/leave-policy": ("text/html; charset=utf-8", LEAVE_POLICY),
            "/s3/files/att1": ("application/pdf", SCHEDULE_PDF),
            "/s3/files/error-page": ("text/html", b"<html>AccessDenied</html>"),
            "/s3/files/big": ("application/octet-stream", b"x" * 4096),
        }
        self.redirects = {"/s3/redirect/att1": "/s3/files/att1", "/s3/redirect/http-elsewhere": "http://example.org/x"}
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> ComposioLoopback:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def replayed(self, slug: str, args: dict) -> dict | None:
        """The answer of a replayed connector, its saved files moved behind s3urls of this server."""
        connector = next((c for prefix, c in self.replay.items() if slug.startswith(prefix)), None)
        if connector is None:
            return None
        answer = connector.execute(slug, args)
        file = (answer.get("data") or {}).get("downloaded_file_content")
        if file and Path(file["s3url"]).is_file():
            key = f"/s3/files/replayed-{len(self.files)}"
            self.files[key] = (file.get("mimetype") or "application/octet-stream", Path(file["s3url"]).read_bytes())
            file["s3url"] = "{base}" + key + "?X-Amz-Signature=replayed"
        return answer

    def _handler(self):
        loop = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # keep test output quiet
                pass

            def _send(self, status: int, body: bytes, kind: str = "application/json", headers: dict | None = None):
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:
                url = urlparse(self.path)
                if url.path in ("/api/v3/tools", "/api/v3.1/tools"):
                    asked = parse_qs(url.query).get("tool_slugs", [""])[0].split(",")
                    items = [api_item(loop.schemas[s][1], loop.schemas[s][0]) for s in asked if s in loop.schemas]
                    body = {
                        "items": items,
                        "total_items": len(items),
                        "total_pages": 1,
                        "current_page": 1,
                        "next_cursor": None,
                    }
                    return self._send(200, json.dumps(body).encode())
                loop.fetched.append(url.path)
                if url.path in loop.redirects:
                    target = loop.redirects[url.path]
                    return self._send(
                        302, b"", "text/plain", {"Location": target if "://" in target else loop.base + target}
                    )
                if url.path == "/s3/files/slow":  # headers at once, then a stalled body
                    self.send_response(200)
                    self.send_header("Content-Type", "application/pdf")
                    self.send_header("Content-Length", "10")
                    self.end_headers()
                    self.wfile.flush()
                    time.sleep(1.5)
                    return
                if url.path in loop.files:
                    kind, data = loop.files[url.path]
                    return self._send(200, data, kind)
                return self._send(404, b"NoSuchKey", "text/plain")

            def do_POST(self) -> None:
                url = urlparse(self.path)
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
                slug = url.path.rsplit("/", 1)[-1]
                args = body.get("arguments") or {}
                loop.executed.append((slug, args))
                key = f"{slug}:{args.get('format')}" if f"{slug}:{args.get('format')}" in loop.responses else slug
                answer = loop.responses.get(key) or loop.replayed(slug, args)
                if answer is None or not url.path.startswith("/api/v3.1/tools/execute/"):
                    return self._send(404, json.dumps({"error": {"message": f"no recording for {slug}"}}).encode())
                text = json.dumps(answer).replace("{base}", loop.base)
                return self._send(200, text.encode())

        return Handler
