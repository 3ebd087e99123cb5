"""`finetune admin`: accounts and keys from the command line, clear errors with exit code 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from finetune.cli import app
from finetune.keys.service import parse_mode


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    """A CLI runner on a temporary data directory."""
    monkeypatch.setenv("FINETUNE_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("FINETUNE_DATABASE_URL", raising=False)
    return CliRunner()


def _json(runner: CliRunner, *args: str) -> dict[str, object]:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    parsed: dict[str, object] = json.loads(result.stdout)
    return parsed


def test_create_account_prints_working_keys(runner: CliRunner) -> None:
    """--json prints exactly id, email, plan and one key per mode."""
    created = _json(
        runner, "admin", "create-account", "--email", "Ann@Example.com", "--plan", "pro", "--json"
    )
    assert set(created) == {"id", "email", "plan", "live_key", "test_key"}
    assert str(created["id"]).startswith("acct_")
    assert (created["email"], created["plan"]) == ("ann@example.com", "pro")
    assert parse_mode(str(created["live_key"])) == "live"
    assert parse_mode(str(created["test_key"])) == "test"


def test_duplicate_email_exits_2(runner: CliRunner) -> None:
    """A second account with the same email is refused with a clear message."""
    _json(runner, "admin", "create-account", "--email", "dup@example.com", "--json")
    result = runner.invoke(app, ["admin", "create-account", "--email", "dup@example.com"])
    assert result.exit_code == 2
    assert "already exists" in result.output


@pytest.mark.parametrize(
    "args",
    [
        ["--email", "nope"],
        ["--email", "a@example.com", "--plan", "gold"],
        ["--email", "a@example.com", "--credits", "-3"],
        ["--email", "a@example.com", "--rate-limit", "0"],
    ],
)
def test_bad_account_options_exit_2(runner: CliRunner, args: list[str]) -> None:
    """Invalid emails, plans and numbers exit with code 2 and an error line."""
    result = runner.invoke(app, ["admin", "create-account", *args])
    assert result.exit_code == 2
    assert "error:" in result.output


def test_create_and_revoke_key(runner: CliRunner) -> None:
    """create-key prints the key object with its secret once; revoke-key marks it revoked."""
    account = _json(runner, "admin", "create-account", "--email", "k@example.com", "--json")
    key = _json(
        runner,
        "admin",
        "create-key",
        "--account",
        str(account["id"]),
        "--mode",
        "test",
        "--name",
        "CI",
        "--json",
    )
    assert (key["object"], key["mode"], key["name"], key["livemode"]) == (
        "api_key",
        "test",
        "CI",
        False,
    )
    secret = str(key["secret"])
    assert parse_mode(secret) == "test"
    assert key["prefix"] == secret[:12] + "...."
    assert key["revoked_at"] is None
    revoked = _json(runner, "admin", "revoke-key", str(key["id"]), "--json")
    assert revoked["id"] == key["id"]
    assert str(revoked["revoked_at"]).endswith("Z")
    again = runner.invoke(app, ["admin", "revoke-key", str(key["id"])])
    assert again.exit_code == 0


@pytest.mark.parametrize(
    "args",
    [
        ["create-key", "--account", "acct_missing", "--mode", "live"],
        ["revoke-key", "key_missing"],
    ],
)
def test_unknown_ids_exit_2(runner: CliRunner, args: list[str]) -> None:
    """Unknown accounts and keys are reported, not crashed on."""
    result = runner.invoke(app, ["admin", *args])
    assert result.exit_code == 2
    assert "error: no" in result.output


def test_bad_mode_exits_2(runner: CliRunner) -> None:
    """Only live and test keys exist."""
    account = _json(runner, "admin", "create-account", "--email", "m@example.com", "--json")
    result = runner.invoke(
        app, ["admin", "create-key", "--account", str(account["id"]), "--mode", "prod"]
    )
    assert result.exit_code == 2
    assert "mode must be one of" in result.output
