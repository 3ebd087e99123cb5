"""`finetune admin set-password`: gives an admin-made account a dashboard password."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from finetune.accounts.service import authenticate
from finetune.cli import app
from finetune.config import Settings
from finetune.db import create_db_engine, create_sessionmaker


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    """A CLI runner on a temporary data directory, with one account (no password yet)."""
    monkeypatch.setenv("FINETUNE_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("FINETUNE_DATABASE_URL", raising=False)
    monkeypatch.delenv("FINETUNE_NEW_PASSWORD", raising=False)
    cli = CliRunner()
    made = cli.invoke(app, ["admin", "create-account", "--email", "ops@example.com", "--json"])
    assert made.exit_code == 0 and json.loads(made.stdout)["email"] == "ops@example.com"
    return cli


def _signs_in(email: str, password: str) -> bool:
    async def run() -> bool:
        engine = create_db_engine(Settings())
        try:
            async with create_sessionmaker(engine)() as session:
                return await authenticate(session, email, password) is not None
        finally:
            await engine.dispose()

    return asyncio.run(run())


def test_prompted_password_is_set(runner: CliRunner) -> None:
    """The password is asked twice (hidden) and then works for signing in."""
    password = "a long enough password"
    result = runner.invoke(
        app, ["admin", "set-password", "--email", "OPS@example.com"], input=f"{password}\n" * 2
    )
    assert result.exit_code == 0, result.output
    assert "password set for ops@example.com" in result.stdout
    assert _signs_in("ops@example.com", password)
    assert not _signs_in("ops@example.com", password + "x")


def test_password_from_the_environment(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    """Scripts can pass it in FINETUNE_NEW_PASSWORD instead of typing it."""
    monkeypatch.setenv("FINETUNE_NEW_PASSWORD", "scripted password 123")
    result = runner.invoke(app, ["admin", "set-password", "--email", "ops@example.com"])
    assert result.exit_code == 0, result.output
    assert _signs_in("ops@example.com", "scripted password 123")


@pytest.mark.parametrize(
    ("email", "password", "message"),
    [
        ("ops@example.com", "short", "at least 10 characters"),
        ("nobody@example.com", "a long enough password", "no account with email"),
    ],
)
def test_bad_input_exits_2(runner: CliRunner, email: str, password: str, message: str) -> None:
    """A short password or an unknown email is refused with a clear message, exit code 2."""
    result = runner.invoke(app, ["admin", "set-password", "--email", email, "--password", password])
    assert result.exit_code == 2
    assert message in result.output
    assert not _signs_in("ops@example.com", password)
