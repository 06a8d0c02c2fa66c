"""A loopback OpenAI-compatible chat.completions server that replies by input, for wire-format tests."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from llm_policies import reply_for


def neutral(messages: list[dict]) -> list[dict]:
    """OpenAI chat messages as the policies read them (tool results named after their calls)."""
    names: dict[str, str] = {}
    out = []
    for m in messages:
        content = m.get("content") or ""
        if isinstance(content, list):
            content = "".join(part.get("text", "") for part in content if isinstance(part, dict))
        calls = []
        for call in m.get("tool_calls") or []:
            names[call["id"]] = call["function"]["name"]
            calls.append({"name": call["function"]["name"], "args": json.loads(call["function"]["arguments"] or "{}")})
        out.append(
            {
                "role": m["role"],
                "content": content,
                "tool_calls": calls,
                "name": names.get(m.get("tool_call_id", ""), ""),
            }
        )
    return out


class OpenAICompatibleServer:
    """Serves POST /v1/chat/completions on 127.0.0.1; `requests` keeps what each call asked and was told."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the stdlib's name
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                answer = server.answer(self.path, body)
                data = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> "OpenAICompatibleServer":
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def answer(self, path: str, body: dict) -> dict:
        messages = neutral(body["messages"])
        schema = ((body.get("response_format") or {}).get("json_schema") or {}).get("name", "")
        tools = [schema] if schema else [t["function"]["name"] for t in body.get("tools") or []]
        reply = reply_for(messages, tools)
        prompt = sum(len(m["content"]) for m in messages) // 4 + 10 * len(tools)
        completion = len(json.dumps(reply)) // 4 + 1
        if schema:
            message = {"role": "assistant", "content": json.dumps(reply["tool_calls"][0]["args"])}
        else:
            message = (
                {
                    "role": "assistant",
                    "content": reply["content"] or None,
                    "tool_calls": [
                        {
                            "id": f"call_{len(messages)}_{n}",
                            "type": "function",
                            "function": {"name": c["name"], "arguments": json.dumps(c["args"])},
                        }
                        for n, c in enumerate(reply["tool_calls"])
                    ],
                }
                if reply["tool_calls"]
                else {"role": "assistant", "content": reply["content"]}
            )
        usage = {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}
        with self.lock:
            self.requests.append(
                {"path": path, "model": body.get("model"), "tools": tools, "schema": schema, "usage": usage}
            )
        return {
            "id": f"chatcmpl-{len(messages)}",
            "object": "chat.completion",
            "created": 0,
            "model": body.get("model"),
            "choices": [
                {"index": 0, "message": message, "finish_reason": "tool_calls" if message.get("tool_calls") else "stop"}
            ],
            "usage": usage,
        }
