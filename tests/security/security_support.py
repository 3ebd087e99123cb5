"""Helpers shared by the security tests (imported as ``security_support``)."""

from __future__ import annotations

import socket
from pathlib import Path

import httpx

PAIR_DIR = Path(__file__).parent.parent / "data" / "pairs" / "software-engineer"


def upload_base_resume(base_url: str, key: str) -> None:
    """Store the software-engineer sample as the account's base resume."""
    response = httpx.put(
        f"{base_url}/api/v1/base-resume",
        headers={"X-API-Key": key, "Content-Type": "application/json"},
        content=(PAIR_DIR / "resume.json").read_bytes(),
        timeout=60,
    )
    response.raise_for_status()


def job_body(**overrides: object) -> dict[str, object]:
    """A valid generate request for the sample pair, with ``overrides`` applied."""
    body: dict[str, object] = {
        "job_description": (PAIR_DIR / "job.txt").read_text(),
        "company_name": "Acme",
        "position": "Software Engineer",
        "finetune_level": "basic",
    }
    body.update(overrides)
    return body


def raw_request(base_url: str, request_head: bytes, body: bytes = b"") -> tuple[int, bytes]:
    """Send bytes exactly as given (no client normalisation); the status and the raw response.

    ``request_head`` is the request line and headers without the final blank line; the
    connection is closed after one response.
    """
    host, port = base_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as connection:
        connection.sendall(request_head + b"\r\nConnection: close\r\n\r\n" + body)
        chunks = []
        while chunk := connection.recv(65536):
            chunks.append(chunk)
    response = b"".join(chunks)
    status_line = response.split(b"\r\n", 1)[0]
    return int(status_line.split(b" ")[1]), response


def error_name(response: httpx.Response) -> str:
    """The ``name`` of an error response, after checking it has our error shape."""
    body = response.json()
    assert set(body) == {"object", "name", "message", "status"}, body
    assert body["object"] == "error" and body["status"] == response.status_code, body
    name: str = body["name"]
    return name
