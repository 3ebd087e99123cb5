"""Operator mistakes end in one line on stderr, not a traceback (issue 11): bad FINETUNE_*
values exit 2 naming the variable, an unreachable database exits 1 naming it with its password
masked, and admin commands say which database they used."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ports import free_port

FINETUNE = Path(sys.executable).parent / "finetune"
RESUME = Path(__file__).parent.parent / "data" / "pairs" / "software-engineer" / "resume.json"


def run(*args: str | Path, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """``finetune args`` in ``cwd`` with only the given FINETUNE_* variables."""
    clean = {key: value for key, value in os.environ.items() if not key.startswith("FINETUNE_")}
    return subprocess.run(
        [str(FINETUNE), *map(str, args)],
        cwd=cwd,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def assert_one_line_error(result: subprocess.CompletedProcess[str], code: int) -> str:
    """The process exited with ``code`` after exactly one ``finetune: error:`` line."""
    assert result.returncode == code, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("finetune: error:")]
    assert len(errors) == 1, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    return errors[0]


SERVE = ("serve", "--port", "1")  # never reached: each case fails before listening
CREATE = ("admin", "create-account", "--email", "ops@example.com", "--json")


@pytest.mark.parametrize("command", [SERVE, CREATE], ids=["serve", "admin"])
@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("FINETUNE_LLM_PROVIDER", "gemini", "must be one of local, openai or anthropic"),
        ("FINETUNE_RATE_LIMIT_FREE", "ten", "must be a whole number"),
        ("FINETUNE_DATABASE_URL", "mysql://root:hunter2@db/x", "must start with sqlite://"),
    ],
)
def test_bad_configuration_is_one_line_and_exit_2(
    tmp_path: Path, command: tuple[str, ...], variable: str, value: str, expected: str
) -> None:
    """serve and admin refuse a bad variable by name, with what it accepts."""
    result = run(*command, cwd=tmp_path, FINETUNE_DATA_DIR=str(tmp_path), **{variable: value})
    line = assert_one_line_error(result, 2)
    assert f"{variable} {expected}" in line
    assert "hunter2" not in result.stderr


def test_incomplete_llm_configuration_stops_serve(tmp_path: Path) -> None:
    """serve checks the LLM settings before starting workers: a missing model is named."""
    result = run(
        *SERVE, cwd=tmp_path, FINETUNE_DATA_DIR=str(tmp_path), FINETUNE_LLM_PROVIDER="openai"
    )
    assert "FINETUNE_LLM_MODEL" in assert_one_line_error(result, 2)


@pytest.mark.parametrize("command", [SERVE, CREATE], ids=["serve", "admin"])
def test_unreachable_database_names_it_with_the_password_masked(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    """A PostgreSQL nobody listens on is one line naming the URL, exit 1 (worth a retry)."""
    url = f"postgresql://finetune:hunter2@127.0.0.1:{free_port()}/finetune"
    result = run(*command, cwd=tmp_path, FINETUNE_DATABASE_URL=url)
    line = assert_one_line_error(result, 1)
    assert f"postgresql://finetune:***@127.0.0.1:{url.rsplit(':', 1)[1]}" in line
    assert "hunter2" not in result.stderr + result.stdout


def test_unwritable_data_dir_is_one_line(tmp_path: Path) -> None:
    """A data directory that cannot be created is named (a file stands in its way)."""
    blocker = tmp_path / "file"
    blocker.write_text("")
    result = run(*CREATE, cwd=tmp_path, FINETUNE_DATA_DIR=str(blocker / "data"))
    assert f"cannot create {blocker / 'data'}" in assert_one_line_error(result, 2)


def test_admin_says_which_database_on_stderr(tmp_path: Path) -> None:
    """--json stdout stays parseable; stderr names the SQLite file that was used."""
    data_dir = tmp_path / "state"
    result = run(*CREATE, cwd=tmp_path, FINETUNE_DATA_DIR=str(data_dir))
    assert result.returncode == 0, result.stderr
    assert set(json.loads(result.stdout)) == {"id", "email", "plan", "live_key", "test_key"}
    database = (data_dir / "finetune.db").resolve()
    assert result.stderr.strip() == f"finetune: database sqlite:///{database}"


def test_admin_without_a_data_dir_shows_the_default_it_used(tmp_path: Path) -> None:
    """Without FINETUNE_DATA_DIR the database is ./data of the current directory, and said so."""
    result = run(*CREATE, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"sqlite:///{(tmp_path / 'data' / 'finetune.db').resolve()}" in result.stderr


def test_offline_commands_ignore_server_configuration(tmp_path: Path) -> None:
    """render reads no FINETUNE_* setting, so a bad server variable does not stop it."""
    result = run(
        "render", "--resume", RESUME, "-o", "out.pdf", cwd=tmp_path, FINETUNE_LLM_PROVIDER="gemini"
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out.pdf").read_bytes().startswith(b"%PDF-")
