"""`finetune mcp` seen from an MCP client of the official `mcp` package, over stdio (a
subprocess, as Claude Desktop runs it) and over streamable HTTP, against a live server: the
client lists the tools and resources and calls every tool."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from mcp import Client, StdioServerParameters
from mcp_types import CallToolResult
from typer.testing import CliRunner

from finetune.cli import app
from live_serve import (
    FINETUNE,
    JOB_FILE,
    RESUME_FILE,
    LiveServer,
    create_account,
    resume_document,
    wait_until_answering,
)
from ports import free_port

TOOLS = {
    "generate_resume",
    "list_resumes",
    "get_resume",
    "get_usage",
    "set_base_resume",
    "score_resume",
}
JOB = JOB_FILE.read_text()
ROOT = Path(__file__).parents[2]


def _env(server: LiveServer, key: str) -> dict[str, str]:
    return {"FINETUNE_API_KEY": key, "FINETUNE_BASE_URL": server.base_url}


@asynccontextmanager
async def _stdio(server: LiveServer, key: str) -> AsyncIterator[Client]:
    """``finetune mcp`` as a subprocess on stdin/stdout, the way desktop agents start it."""
    parameters = StdioServerParameters(command=str(FINETUNE), args=["mcp"], env=_env(server, key))
    async with Client(parameters, read_timeout_seconds=120) as client:
        yield client


@pytest.fixture
def http_mcp(live_server: LiveServer) -> Iterator[tuple[str, str]]:
    """``finetune mcp --transport http`` on a free port: (its URL, its account's test key)."""
    key = create_account(live_server).test_key
    port = free_port()
    env = {**live_server.env(), **_env(live_server, key)}
    process = subprocess.Popen(
        [str(FINETUNE), "mcp", "--transport", "http", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/mcp"
    try:
        wait_until_answering(url, process)
        yield url, key
    finally:
        process.terminate()
        process.wait(timeout=30)


def _structured(result: CallToolResult) -> dict[str, Any]:
    assert not result.is_error, result.content
    assert result.structured_content is not None
    return result.structured_content


async def _call(client: Client, tool: str, **arguments: Any) -> dict[str, Any]:
    return _structured(await client.call_tool(tool, arguments))


async def _error_text(client: Client, tool: str, **arguments: Any) -> str:
    result = await client.call_tool(tool, arguments)
    assert result.is_error
    return " ".join(getattr(block, "text", "") for block in result.content)


async def _exercise_every_tool(client: Client) -> None:
    """The agent's whole flow: every tool once, every resource read."""
    listed = await client.list_tools()
    assert {tool.name for tool in listed.tools} == TOOLS
    assert all(tool.description and tool.output_schema for tool in listed.tools)

    assert (await _call(client, "get_usage"))["plan"] == "pro"
    stored = await _call(client, "set_base_resume", resume=resume_document())
    assert stored["resume_data"]["basics"]["name"] == "Daniel Okafor"
    base_score = await _call(
        client, "score_resume", job_description=JOB, position="Senior Backend Engineer"
    )
    assert (
        base_score["scored"] == "the base resume" and "Python" in base_score["keywords"]["matched"]
    )

    made = await _call(
        client,
        "generate_resume",
        job_description=JOB,
        company_name="Northwind Ledger",
        position="Senior Backend Engineer",
        include_pdf=True,
    )
    assert made["id"].startswith("res_") and made["pdf_url"] and made["changes"]
    assert made["ats_score_before"] == base_score["ats_score"]  # the same scorer, same job
    listed_resumes = await _call(client, "list_resumes", limit=5)
    assert [item["id"] for item in listed_resumes["data"]] == [made["id"]]
    fetched = await _call(client, "get_resume", resume_id=made["id"])
    assert fetched["resume_data"] == made["resume_data"]
    rescored = await _call(client, "score_resume", job_description=JOB, resume_id=made["id"])
    assert rescored["ats_score"] == made["ats_score"]  # the API's own score, reproduced
    assert rescored["breakdown"] == made["ats_breakdown"]

    resources = {str(resource.uri) for resource in (await client.list_resources()).resources}
    assert resources == {"finetune://resumes", "finetune://base-resume"}
    templates = (await client.list_resource_templates()).resource_templates
    assert [template.uri_template for template in templates] == ["finetune://resumes/{resume_id}"]
    one = await client.read_resource(f"finetune://resumes/{made['id']}")
    assert json.loads(one.contents[0].text)["id"] == made["id"]  # type: ignore[union-attr]
    every = await client.read_resource("finetune://resumes")
    assert json.loads(every.contents[0].text)["data"][0]["id"] == made["id"]  # type: ignore[union-attr]

    assert "not_found" in await _error_text(client, "get_resume", resume_id="res_unknown")
    short = await _error_text(
        client, "generate_resume", job_description="short", company_name="C", position="P"
    )
    assert "validation_error" in short and "job_description" in short
    text = await _call(
        client, "set_base_resume", text="# Ada Byron\n\n## Experience\n\n- Analyst\n"
    )
    assert text["source_format"] == "markdown"


async def test_stdio_lists_and_calls_every_tool(live_server: LiveServer) -> None:
    """A stdio session: every tool and resource; files by path are read (a local agent)."""
    async with _stdio(live_server, create_account(live_server).test_key) as client:
        await _exercise_every_tool(client)
        # Over stdio the agent runs on the user's machine: files are read by path.
        stored = await _call(client, "set_base_resume", path=str(RESUME_FILE))
        assert stored["source_format"] == "resume-data"


async def test_http_lists_and_calls_every_tool(http_mcp: tuple[str, str]) -> None:
    """A streamable HTTP session: every tool and resource; reading server files is refused."""
    url, _ = http_mcp
    async with Client(url) as client:
        await _exercise_every_tool(client)
        refused = await _error_text(client, "set_base_resume", path=str(RESUME_FILE))
        assert "does not read local files" in refused
    # docs/mcp.md's Python example, pointed at this server's port.
    example = re.search(r"```python\n(.*?)```", (ROOT / "docs" / "mcp.md").read_text(), re.DOTALL)
    assert example is not None
    code = example.group(1).replace("http://127.0.0.1:8765/mcp", url)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0 and "generate_resume" in done.stdout, done.stderr
    # Bound to loopback, it refuses other Host names (DNS rebinding protection).
    rebound = httpx.post(url, headers={"Host": "evil.example"}, json={})
    assert rebound.status_code == 421


async def test_score_resume_is_the_offline_scorer(live_server: LiveServer) -> None:
    """score_resume on a given resume answers what `finetune score --json` prints."""
    offline = CliRunner().invoke(
        app, ["score", "--resume", str(RESUME_FILE), "--job", str(JOB_FILE), "--json"]
    )
    expected = json.loads(offline.stdout)
    async with _stdio(live_server, create_account(live_server).test_key) as client:
        report = await _call(client, "score_resume", job_description=JOB, resume=resume_document())
        both = await _error_text(
            client, "score_resume", job_description=JOB, resume_id="res_x", resume={}
        )
    assert report["ats_score"] == expected["ats_score"]
    assert report["keywords"] == expected["keywords"]
    assert "not both" in both


def test_mcp_refuses_to_start_without_a_key() -> None:
    """Without FINETUNE_API_KEY every tool would fail: the command says so, exit code 3."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("FINETUNE_")}
    done = subprocess.run([str(FINETUNE), "mcp"], env=env, capture_output=True, text=True)
    assert done.returncode == 3 and "FINETUNE_API_KEY" in done.stderr
