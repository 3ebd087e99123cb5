"""The `finetune` command: serve, admin, and the offline tailor, score and render."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="finetune",
    help="Self-hostable resume tailoring.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

import finetune.cli.admin  # noqa: E402  (registers admin)
import finetune.cli.agents  # noqa: E402  (registers mcp)
import finetune.cli.client  # noqa: E402  (registers generate, resumes, usage, base-resume)
import finetune.cli.server  # noqa: E402,F401  (registers serve)
from finetune.cli import offline  # noqa: E402,F401  (registers tailor, score, render)
