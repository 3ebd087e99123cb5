"""``finetune serve``: check the configuration, migrate, optionally prepare a demo account,
then run uvicorn."""

from __future__ import annotations

import os
from dataclasses import dataclass

import typer
import uvicorn
from sqlalchemy.ext.asyncio import AsyncSession

from finetune.accounts.service import create_account, find_account_by_email
from finetune.base_resume.service import put_base_resume
from finetune.cli.admin import announce_database, in_session
from finetune.config import load_settings
from finetune.db import run_migrations
from finetune.keys.service import create_key
from finetune.models import BaseResume
from finetune.resumes.service import sample_persona
from finetune.tailoring.engines import build_engine

commands = typer.Typer()
DEMO_EMAIL = "demo@finetune.local"
# With --workers, uvicorn restarts a worker that has not finished starting (imports, migrations)
# or does not answer its ping within this time; its default of 5 s kills every worker over and
# over on a busy machine.
WORKER_HEALTHCHECK_SECONDS = 60


@dataclass(frozen=True)
class DemoKeys:
    account_id: str
    live_key: str
    test_key: str


async def prepare_demo(session: AsyncSession) -> DemoKeys:
    """Ensure the demo account (pro, sample persona as base resume) and mint fresh keys."""
    account = await find_account_by_email(session, DEMO_EMAIL)
    if account is None:
        account = await create_account(session, DEMO_EMAIL, "pro")
    if await session.get(BaseResume, account.id) is None:
        await put_base_resume(session, account.id, sample_persona())
    live = await create_key(session, account.id, "live", "Demo live key (serve --demo)")
    test = await create_key(session, account.id, "test", "Demo test key (serve --demo)")
    return DemoKeys(account_id=account.id, live_key=live.secret, test_key=test.secret)


def demo_instructions(public_url: str, keys: DemoKeys) -> str:
    """The keys and the API document's curl examples, ready to paste."""
    base = f"{public_url.rstrip('/')}/api/v1"
    body = (
        '{ "job_description": "Senior Software Engineer at Google. Build distributed systems '
        'for Google Cloud...", "company_name": "Google", "position": "Senior Software Engineer", '
        '"finetune_level": "good", "include_pdf": true }'
    )
    return f"""
Demo account {DEMO_EMAIL} ({keys.account_id}), plan pro, base resume: the sample persona.
  test key: {keys.test_key}
  live key: {keys.live_key}
(The keys are shown only now. Test keys never spend credits; live keys do.)

# Generate a tailored resume
curl -X POST {base}/resumes/generate \\
  -H "X-API-Key: {keys.test_key}" \\
  -H "Content-Type: application/json" \\
  -d '{body}'
# List resumes
curl {base}/resumes \\
  -H "X-API-Key: {keys.test_key}"
# Check usage
curl {base}/usage \\
  -H "X-API-Key: {keys.test_key}"
# Interactive documentation: {public_url.rstrip("/")}/docs
"""


def _browsable_host(host: str) -> str:
    return "127.0.0.1" if host in ("0.0.0.0", "::", "") else host


@commands.command()
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", help="Port to listen on."),
    workers: int = typer.Option(1, "--workers", min=1, help="Worker processes."),
    demo: bool = typer.Option(False, "--demo", help="Print keys for a ready demo account."),
    access_log: bool = typer.Option(
        True, "--access-log/--no-access-log", help="Log one line per request."
    ),
) -> None:
    """Serve the API and the dashboard (migrating the database first)."""
    if not os.environ.get("FINETUNE_PUBLIC_URL"):
        # pdf_url must point at this server; workers read the setting from the environment.
        os.environ["FINETUNE_PUBLIC_URL"] = f"http://{_browsable_host(host)}:{port}"
    settings = load_settings()
    if workers > 1 and not settings.redis_url:
        # Each worker has its own memory: count in the database they share instead.
        os.environ["FINETUNE_RATE_LIMIT_STORAGE"] = "database"
    # Here, not in the workers, an incomplete LLM configuration is one clear line.
    build_engine(settings)
    announce_database(settings)
    run_migrations(settings)
    if demo:
        keys = in_session(settings, prepare_demo)
        typer.echo(demo_instructions(settings.public_url, keys))
    uvicorn.run(
        "finetune.app:create_app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        proxy_headers=True,
        access_log=access_log,
        timeout_worker_healthcheck=WORKER_HEALTHCHECK_SECONDS,
    )
