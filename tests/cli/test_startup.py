"""`finetune` imports only what the command being run uses (issue 11: every command took seconds
because the CLI imported SQLAlchemy, Alembic, FastAPI and the server up front).

The commands run as real processes under ``python -X importtime``, which lists every module
the process imported; speed itself is measured by ``bench/cli_startup.py``, not here.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from finetune.cli import COMMANDS, app

FINETUNE = Path(sys.executable).parent / "finetune"
PAIR = Path(__file__).parent.parent / "data" / "pairs" / "software-engineer"
RESUME, JOB = PAIR / "resume.json", PAIR / "job.txt"
# What only the server and the admin commands need.
SERVER_STACK = ("sqlalchemy", "alembic", "fastapi", "starlette", "uvicorn", "pydantic_settings")
LLM_SDKS = ("openai", "anthropic", "httpx")


def imported_packages(*args: str | Path, cwd: Path) -> set[str]:
    """The top-level packages a ``finetune`` process imported (it must succeed)."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", str(FINETUNE), *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    modules = re.findall(r"^import time:\s+\d+ \|\s+\d+ \|\s*(\S+)$", result.stderr, re.M)
    assert modules, "python -X importtime printed nothing"
    return {module.split(".")[0] for module in modules} | set(modules)


@pytest.mark.parametrize(
    "args",
    [
        ("--help",),
        ("render", "--resume", RESUME, "-o", "out.pdf"),
        ("tailor", "--resume", RESUME, "--job", JOB, "--json"),
        ("score", "--resume", RESUME, "--job", JOB),
    ],
    ids=["help", "render", "tailor", "score"],
)
def test_offline_commands_do_not_import_the_server_stack(
    args: tuple[str | Path, ...], tmp_path: Path
) -> None:
    """--help, render, tailor and score import no database, web framework or LLM SDK."""
    imported = imported_packages(*args, cwd=tmp_path)
    assert not imported & {*SERVER_STACK, *LLM_SDKS}


def test_help_imports_no_command_module(tmp_path: Path) -> None:
    """`finetune --help` lists the commands from the registry alone."""
    imported = imported_packages("--help", cwd=tmp_path)
    assert not {module for module in COMMANDS if module in imported}
    assert "pydantic" not in imported and "typst" not in imported


def test_render_imports_neither_the_tailoring_engine_nor_rich(tmp_path: Path) -> None:
    """render loads the resume and runs Typst: the job analysis and rich tables stay out."""
    imported = imported_packages("render", "--resume", RESUME, "-o", "out.pdf", cwd=tmp_path)
    assert "typst" in imported and (tmp_path / "out.pdf").read_bytes().startswith(b"%PDF-")
    assert not imported & {"finetune.tailoring", "finetune.cli.offline", "rich"}


def test_help_lists_every_registered_command() -> None:
    """The top-level help shows each registered command with its summary."""
    result = CliRunner().invoke(app, ["--help"], terminal_width=200)
    assert result.exit_code == 0
    for summaries in COMMANDS.values():
        for name, summary in summaries.items():
            assert re.search(rf"{name}\s+{re.escape(summary)}", result.stdout), name


@pytest.mark.parametrize(
    "name", [name for summaries in COMMANDS.values() for name in summaries], ids=str
)
def test_every_registered_command_loads(name: str) -> None:
    """Each registry entry names a command its module really defines."""
    result = CliRunner().invoke(app, [name, "--help"], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert f"Usage: finetune {name}" in result.stdout


def test_misspelt_command_suggests_the_right_one() -> None:
    """An unknown command is a usage error that suggests the closest registered name."""
    result = CliRunner().invoke(app, ["rendr"])
    assert result.exit_code == 2
    assert "Did you mean 'render'?" in result.output


def test_version() -> None:
    """--version prints the package version."""
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert re.fullmatch(r"finetune \d+\.\d+\.\d+\n", result.stdout)
