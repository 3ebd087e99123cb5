"""Fake OpenAI-compatible and Anthropic servers on loopback, scripted per test.

Real HTTP (uvicorn in a background thread) so the official SDK clients run unmodified. Each
server answers from a script of :class:`Reply` objects (or callables building one from the
request body), then from ``default``; every request body is recorded in ``requests``.
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route


@dataclass
class Reply:
    status: int = 200
    body: Any = None  # dict → JSON; str → sent as is
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


Responder = Reply | Callable[[dict[str, Any]], Reply]


class FakeLLMServer:
    def __init__(self, default: Responder | None = None) -> None:
        self.script: deque[Responder] = deque()
        self.default = default
        self.requests: list[dict[str, Any]] = []
        self.request_headers: list[dict[str, str]] = []
        self.base_url = ""
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    def then(self, *replies: Responder) -> FakeLLMServer:
        self.script.extend(replies)
        return self

    @property
    def openai_base_url(self) -> str:
        return f"{self.base_url}/v1"

    async def _handle(self, request: Request) -> Response:
        body = await request.json()
        self.requests.append(body)
        self.request_headers.append(dict(request.headers))
        responder = self.script.popleft() if self.script else self.default
        if responder is None:
            return JSONResponse({"error": {"message": "script exhausted"}}, status_code=500)
        reply = responder(body) if callable(responder) else responder
        if reply.delay:
            await asyncio.sleep(reply.delay)
        if isinstance(reply.body, str):
            return Response(reply.body, reply.status, reply.headers, "application/json")
        return JSONResponse(reply.body, reply.status, reply.headers)

    def start(self) -> None:
        app = Starlette(
            routes=[
                Route("/v1/chat/completions", self._handle, methods=["POST"]),
                Route("/v1/messages", self._handle, methods=["POST"]),
            ]
        )
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        self.base_url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        config = uvicorn.Config(
            app, log_level="warning", lifespan="off", timeout_graceful_shutdown=1
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [sock]}, daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("fake LLM server did not start")
            time.sleep(0.01)

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(timeout=10)


@contextmanager
def running(default: Responder | None = None) -> Iterator[FakeLLMServer]:
    server = FakeLLMServer(default)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def openai_reply(
    content: str | dict[str, Any],
    *,
    finish_reason: str = "stop",
    model: str = "fake-gpt",
    prompt_tokens: int = 120,
    completion_tokens: int = 40,
    delay: float = 0.0,
) -> Reply:
    """A chat completion whose message content is ``content`` (dicts are JSON-encoded)."""
    text = content if isinstance(content, str) else json.dumps(content)
    return Reply(
        body={
            "id": "chatcmpl-fake",
            "object": "chat.completion",
            "created": 1_700_000_000,
            "model": model,
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": text},
                    "finish_reason": finish_reason,
                }
            ],
            "usage": {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "total_tokens": prompt_tokens + completion_tokens,
            },
        },
        delay=delay,
    )


def anthropic_reply(
    *,
    tool_input: dict[str, Any] | None = None,
    text: str | None = None,
    stop_reason: str | None = None,
    model: str = "fake-claude",
    input_tokens: int = 150,
    output_tokens: int = 50,
    delay: float = 0.0,
) -> Reply:
    """A Messages API answer: a tool_use block with ``tool_input`` and/or a text block."""
    content: list[dict[str, Any]] = []
    if text is not None:
        content.append({"type": "text", "text": text})
    if tool_input is not None:
        content.append(
            {"type": "tool_use", "id": "toolu_fake", "name": "changes", "input": tool_input}
        )
    return Reply(
        body={
            "id": "msg_fake",
            "type": "message",
            "role": "assistant",
            "model": model,
            "content": content,
            "stop_reason": stop_reason or ("tool_use" if tool_input is not None else "end_turn"),
            "stop_sequence": None,
            "usage": {"input_tokens": input_tokens, "output_tokens": output_tokens},
        },
        delay=delay,
    )


def error_reply(status: int, message: str, headers: dict[str, str] | None = None) -> Reply:
    """An error body both SDKs understand."""
    return Reply(
        status=status,
        body={"type": "error", "error": {"type": "api_error", "message": message}},
        headers=headers or {},
    )
