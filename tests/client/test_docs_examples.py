"""The Python examples of docs/clients.md and the README run as written against a live server
(with FINETUNE_API_KEY and FINETUNE_BASE_URL set, and a job.txt beside them)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from live_serve import JOB_FILE, Account, LiveServer

ROOT = Path(__file__).parents[2]


def _python_blocks(document: Path, *, importing: str) -> list[str]:
    blocks = re.findall(r"```python\n(.*?)```", document.read_text(), flags=re.DOTALL)
    return [block for block in blocks if importing in block]


EXAMPLES = [
    *(
        ("docs/clients.md", block)
        for block in _python_blocks(ROOT / "docs" / "clients.md", importing="finetune.client")
    ),
    *(
        ("README.md", block)
        for block in _python_blocks(ROOT / "README.md", importing="finetune.client")
    ),
]


def test_the_documents_have_examples() -> None:
    assert len(EXAMPLES) >= 5


@pytest.mark.parametrize(("document", "code"), EXAMPLES, ids=lambda value: str(value)[:40])
def test_example_runs(
    document: str, code: str, live_server: LiveServer, account: Account, tmp_path: Path
) -> None:
    """Each example exits 0 and prints nothing on stderr."""
    (tmp_path / "job.txt").write_text(JOB_FILE.read_text())
    env = {
        **live_server.env(),
        "FINETUNE_API_KEY": account.test_key,
        "FINETUNE_BASE_URL": live_server.base_url,
    }
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0 and done.stderr == "", f"{document}:\n{code}\n{done.stderr}"
