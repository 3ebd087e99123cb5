"""The public document's own examples, run unchanged (URL, key and sample id substituted)
against `finetune serve` started as a subprocess, as a reader of the document would."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from resume_support import JOB_DESCRIPTION, base_resume_json

from ports import free_port

DOCUMENT = Path(__file__).parent.parent / "data" / "api_document" / "finetune-resume-api.md"
DOC_BASE = "https://api.finetuneresume.app"
DOC_KEY = "ft_live_xxx"
DOC_RESUME_ID = "res_a1b2c3d4e5f6"
BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class Served:
    base_url: str
    live_key: str
    env: dict[str, str]


def _code_block(heading: str, language: str) -> str:
    text = DOCUMENT.read_text()
    match = re.search(rf"### {re.escape(heading)}\n+```{language}\n(.*?)```", text, re.S)
    assert match, f"no {language} block under '### {heading}' in the document"
    return match.group(1)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """`finetune serve` on a free port with a fresh data dir and an account with a base resume."""
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "FINETUNE_DATA_DIR": str(tmp_path_factory.mktemp("doc-examples")),
        "FINETUNE_PUBLIC_URL": base_url,
    }
    created = subprocess.run(
        [
            *(BIN / "finetune", "admin", "create-account", "--email", "doc@example.com"),
            *("--plan", "pro", "--credits", "100", "--rate-limit", "1000", "--json"),
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    keys = json.loads(created.stdout)
    server = subprocess.Popen(
        [BIN / "finetune", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{base_url}/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline and server.poll() is None, "server did not start"
            time.sleep(0.1)
        put = httpx.put(
            f"{base_url}/api/v1/base-resume",
            json=base_resume_json(),
            headers={"X-API-Key": keys["live_key"]},
        )
        assert put.status_code == 200, put.text
        yield Served(base_url=base_url, live_key=keys["live_key"], env=env)
    finally:
        server.terminate()
        server.wait(timeout=15)


def _substitute(code: str, served: Served) -> str:
    return code.replace(DOC_BASE, served.base_url).replace(DOC_KEY, served.live_key)


def _curl_commands(served: Served) -> dict[str, str]:
    """The curl block's commands keyed by the comment line above each."""
    commands: dict[str, str] = {}
    for chunk in re.split(r"^# ", _substitute(_code_block("curl", "bash"), served), flags=re.M):
        if chunk.strip():
            title, _, command = chunk.partition("\n")
            commands[title.strip()] = command
    return commands


def _run_curl(command: str) -> dict[str, Any]:
    result = subprocess.run(["bash", "-c", command], capture_output=True, text=True, check=True)
    body: dict[str, Any] = json.loads(result.stdout)
    return body


@pytest.mark.skipif(shutil.which("curl") is None, reason="needs the curl binary")
def test_curl_examples_run_verbatim(served: Served) -> None:
    """Each curl example of the document answers the documented object."""
    commands = _curl_commands(served)
    assert set(commands) == {
        "Generate a tailored resume",
        "List resumes",
        "Get a specific resume",
        "Check usage",
    }
    generated = _run_curl(commands["Generate a tailored resume"])
    assert generated["object"] == "resume", generated
    assert generated["pdf_url"].startswith(f"{served.base_url}/files/{generated['id']}.pdf")
    assert generated["credits_remaining"] == 98
    listed = _run_curl(commands["List resumes"])
    assert listed["object"] == "list"
    assert [item["id"] for item in listed["data"]] == [generated["id"]]
    # The document's sample id stands for a real one.
    fetched = _run_curl(commands["Get a specific resume"].replace(DOC_RESUME_ID, generated["id"]))
    assert (fetched["object"], fetched["id"]) == ("resume", generated["id"])
    usage = _run_curl(commands["Check usage"])
    assert (usage["object"], usage["credits_remaining"]) == ("usage", 98)


# Runs the example unchanged, then reports what it left in `data` (the verbatim example
# fails with KeyError on an error body, which is what a reader would see).
_PYTHON_HARNESS = """
import json, sys
namespace = {}
try:
    exec(sys.stdin.read(), namespace)
except KeyError:
    pass
print("DATA " + json.dumps(namespace["data"]))
"""


def _run_python(code: str, served: Served) -> tuple[str, dict[str, Any]]:
    result = subprocess.run(
        [sys.executable, "-c", _PYTHON_HARNESS],
        input=code,
        capture_output=True,
        text=True,
        check=True,
        env=served.env,
    )
    printed, _, data = result.stdout.rpartition("DATA ")
    body: dict[str, Any] = json.loads(data)
    return printed.strip(), body


def test_python_example_verbatim_gets_validation_error(served: Served) -> None:
    """The example's 37-character placeholder description is refused, naming job_description."""
    _, data = _run_python(_substitute(_code_block("Python", "python"), served), served)
    assert data["object"] == "error" and data["name"] == "validation_error"
    assert "job_description" in data["message"]


def test_python_example_with_full_description_prints_id_and_pdf_url(served: Served) -> None:
    """With a real description in place the example prints `id pdf_url`."""
    code = _substitute(_code_block("Python", "python"), served)
    code = code.replace('"Senior Software Engineer at Google..."', json.dumps(JOB_DESCRIPTION))
    printed, data = _run_python(code, served)
    assert printed == f"{data['id']} {data['pdf_url']}"
    assert httpx.get(data["pdf_url"]).headers["content-type"] == "application/pdf"


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node")
def test_typescript_example_runs_as_module(served: Served, tmp_path: Path) -> None:
    """The TypeScript example (no type annotations: valid ES module) runs under node."""
    code = _substitute(_code_block("Node.js (TypeScript)", "typescript"), served)
    placeholder = '"Senior Software Engineer at Google..."'
    verbatim = tmp_path / "verbatim.mjs"
    verbatim.write_text(code)
    refused = subprocess.run(["node", verbatim], capture_output=True, text=True, check=True)
    # The placeholder is refused (the Python test reads that error body): it has neither field.
    assert refused.stdout.strip() == "undefined undefined"
    full = tmp_path / "full.mjs"
    full.write_text(code.replace(placeholder, json.dumps(JOB_DESCRIPTION)))
    printed = subprocess.run(["node", full], capture_output=True, text=True, check=True)
    resume_id, pdf_url = printed.stdout.split()
    assert resume_id.startswith("res_") and pdf_url.startswith(served.base_url)
