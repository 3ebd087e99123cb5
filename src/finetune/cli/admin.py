"""``finetune admin``: create accounts and keys, revoke keys (the API cannot, by design),
set dashboard passwords.

Uses the same ``FINETUNE_*`` configuration as the server and migrates the database first;
which database that is goes to stderr (stdout stays parseable with ``--json``). Errors
(duplicate email, unknown account or key, bad values or configuration) exit with code 2, an
unreachable database with code 1 (:mod:`finetune.cli.errors`).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from finetune.accounts.service import create_account, find_account_by_email, set_password
from finetune.api.ids import format_optional_time, format_time
from finetune.config import Settings, load_settings
from finetune.db import (
    create_db_engine,
    create_sessionmaker,
    display_database_url,
    run_migrations,
)
from finetune.errors import NotFound
from finetune.keys.service import create_key, display_prefix, revoke_key
from finetune.models import ApiKey

T = TypeVar("T")

commands = typer.Typer()
admin = typer.Typer(help="Manage accounts and API keys.", no_args_is_help=True)
commands.add_typer(admin, name="admin")


def in_session(settings: Settings, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Migrate, run ``work`` in one session and commit it."""

    async def run() -> T:
        engine = create_db_engine(settings)
        try:
            async with create_sessionmaker(engine)() as session:
                result = await work(session)
                await session.commit()
                return result
        finally:
            await engine.dispose()

    run_migrations(settings)
    return asyncio.run(run())


def announce_database(settings: Settings) -> None:
    """Say on stderr which database a command is about to use (password masked)."""
    typer.echo(f"finetune: database {display_database_url(settings)}", err=True)


def run_in_configured_database(work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Run ``work`` in one committed session on the database ``FINETUNE_*`` configures."""
    settings = load_settings()
    announce_database(settings)
    return in_session(settings, work)


def key_object(key: ApiKey) -> dict[str, Any]:
    """A key as ``GET /api-keys`` shows it."""
    return {
        "object": "api_key",
        "id": key.id,
        "account_id": key.account_id,
        "name": key.name,
        "prefix": display_prefix(key),
        "mode": key.mode,
        "livemode": key.mode == "live",
        "created_at": format_time(key.created_at),
        "last_used_at": format_optional_time(key.last_used_at),
        "revoked_at": format_optional_time(key.revoked_at),
    }


@admin.command("create-account")
def create_account_command(
    email: str = typer.Option(..., "--email", help="Account email (unique)."),
    plan: str = typer.Option("free", "--plan", help="free or pro."),
    credits: int | None = typer.Option(
        None, "--credits", help="Credits per billing cycle (default: free 10, pro 100)."
    ),
    rate_limit: int | None = typer.Option(
        None, "--rate-limit", help="Requests per minute, overriding the plan's limit."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Create an account with one live and one test key (shown once)."""

    async def work(session: AsyncSession) -> dict[str, Any]:
        account = await create_account(session, email, plan, credits, rate_limit)
        live = await create_key(session, account.id, "live", "Default live key")
        test = await create_key(session, account.id, "test", "Default test key")
        return {
            "id": account.id,
            "email": account.email,
            "plan": account.plan,
            "live_key": live.secret,
            "test_key": test.secret,
        }

    created = run_in_configured_database(work)
    if as_json:
        typer.echo(json.dumps(created))
        return
    typer.echo(f"account  {created['id']} ({created['email']}, {created['plan']})")
    typer.echo(f"live key {created['live_key']}")
    typer.echo(f"test key {created['test_key']}")
    typer.echo("Keys are shown only now; store them safely.")


@admin.command("create-key")
def create_key_command(
    account: str = typer.Option(..., "--account", help="Account id (acct_…)."),
    mode: str = typer.Option(..., "--mode", help="live or test."),
    name: str = typer.Option("API key", "--name", help="A label shown in listings."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Create a key; its secret is printed once and never stored."""

    async def work(session: AsyncSession) -> dict[str, Any]:
        created = await create_key(session, account, mode, name)
        return {**key_object(created.key), "secret": created.secret}

    created = run_in_configured_database(work)
    if as_json:
        typer.echo(json.dumps(created))
        return
    typer.echo(f"{created['id']} ({created['mode']}, {created['name']})")
    typer.echo(f"secret {created['secret']}")
    typer.echo("The secret is shown only now; store it safely.")


@admin.command("revoke-key")
def revoke_key_command(
    key_id: str = typer.Argument(..., help="Key id (key_…)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Revoke a key: it is refused from the next request on."""

    async def work(session: AsyncSession) -> dict[str, Any]:
        return key_object(await revoke_key(session, key_id))

    revoked = run_in_configured_database(work)
    if as_json:
        typer.echo(json.dumps(revoked))
        return
    typer.echo(f"revoked {revoked['id']} at {revoked['revoked_at']}")


@admin.command("set-password")
def set_password_command(
    email: str = typer.Option(..., "--email", help="The account's email."),
    password: str = typer.Option(
        ...,
        "--password",
        prompt=True,
        hide_input=True,
        confirmation_prompt=True,
        envvar="FINETUNE_NEW_PASSWORD",
        help="Prompted for when omitted (or read from FINETUNE_NEW_PASSWORD).",
    ),
) -> None:
    """Set the dashboard password of an account (e.g. one made by create-account)."""

    async def work(session: AsyncSession) -> str:
        account = await find_account_by_email(session, email)
        if account is None:
            raise NotFound(f"no account with email {email.strip().lower()}")
        await set_password(session, account.id, password)
        return account.email

    address = run_in_configured_database(work)
    typer.echo(f"password set for {address}; existing dashboard sessions are signed out")
