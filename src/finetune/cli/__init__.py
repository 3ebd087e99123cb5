"""The `finetune` command: serve, admin, the offline tailor, score and render, the API client
commands and the MCP server.

Each command's module is imported only when that command runs (see :mod:`finetune.cli.lazy`):
`finetune --help` lists the summaries below without importing any of them.
"""

from __future__ import annotations

import typer

from finetune import __version__
from finetune.cli.lazy import Registry, lazy_group

# To add commands: write a module defining `commands = typer.Typer()` with them, then add ONE
# entry here, `"finetune.cli.<module>": {"<name>": "<summary>", ...}`. Keep that module's
# top-level imports to what its commands use: importing it is what running them costs.
COMMANDS: Registry = {
    "finetune.cli.server": {"serve": "Serve the API and the dashboard (migrating first)."},
    "finetune.cli.admin": {"admin": "Manage accounts and API keys."},
    "finetune.cli.offline": {
        "tailor": "Tailor a resume to a job, offline, with the built-in engine.",
        "score": "Score a resume against a job with the deterministic ATS scorer.",
    },
    "finetune.cli.render": {"render": "Render a resume to an ATS-friendly PDF."},
    "finetune.cli.client": {
        "generate": "Tailor your base resume to a job on a Finetune server.",
        "resumes": "List, show, download and delete tailored resumes.",
        "base-resume": "Show or replace the base resume tailoring starts from.",
        "usage": "Credits, plan, rate limit and billing cycle of your account.",
    },
    "finetune.cli.agents": {
        "mcp": "Serve Finetune's API to AI agents over MCP, with your API key."
    },
}

app = typer.Typer(
    name="finetune",
    cls=lazy_group(COMMANDS),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"finetune {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(
        False, "--version", callback=_print_version, is_eager=True, help="Print the version."
    ),
) -> None:
    """Self-hostable resume tailoring."""
