"""`finetune mcp`: the MCP server for AI agents (Claude Desktop, any MCP client).

The server and its tools live in :mod:`finetune.agents.mcp_server`; this module only parses the
command line, and imports the MCP SDK when the command runs.
"""

from __future__ import annotations

from enum import StrEnum

import typer

from finetune.cli.client import AUTH, ApiKeyOption, BaseUrlOption


class TransportChoice(StrEnum):
    stdio = "stdio"
    http = "http"


commands = typer.Typer()


@commands.command("mcp")
def mcp_command(
    transport: TransportChoice = typer.Option(
        TransportChoice.stdio, "--transport", help="stdio (for a local agent) or http."
    ),
    host: str = typer.Option("127.0.0.1", "--host", help="HTTP: address to listen on."),
    port: int = typer.Option(8765, "--port", help="HTTP: port to listen on."),
    path: str = typer.Option("/mcp", "--path", help="HTTP: the endpoint's path."),
    local_files: bool | None = typer.Option(
        None,
        "--local-files/--no-local-files",
        help="Let set_base_resume read files by path (default: on for stdio, off for http).",
        show_default=False,
    ),
    api_key: ApiKeyOption = None,
    base_url: BaseUrlOption = None,
) -> None:
    """Serve Finetune's API to AI agents over MCP, with your API key."""
    import anyio

    from finetune.agents.mcp_server import run

    if not (api_key or "").strip():
        typer.echo("finetune: error: no API key: set FINETUNE_API_KEY or pass --api-key", err=True)
        raise typer.Exit(AUTH)
    if transport is TransportChoice.http:
        typer.echo(f"Finetune MCP server on http://{host}:{port}{path}", err=True)
    stdio = transport is TransportChoice.stdio
    try:
        anyio.run(
            lambda: run(
                transport.value,
                api_key=api_key,
                base_url=base_url,
                local_files=stdio if local_files is None else local_files,
                host=host,
                port=port,
                path=path,
            )
        )
    except ValueError as exc:  # a base URL that is not http(s)
        typer.echo(f"finetune: error: {exc}", err=True)
        raise typer.Exit(2) from None
    except KeyboardInterrupt:
        pass
