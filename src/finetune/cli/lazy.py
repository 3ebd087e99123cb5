"""Subcommands imported only when they run, so ``finetune --help`` or ``finetune render`` do not
pay for SQLAlchemy, FastAPI or the LLM SDKs that other commands need.

A command module defines ``commands = typer.Typer()`` and registers its commands (or a
sub-group such as ``admin``) on it. The top-level group knows each command's name and one-line
summary from the registry in :mod:`finetune.cli`, lists them from that alone, and imports the
module of the one command being run.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any, ClassVar

import typer
from typer import _click as click  # Typer's own copy of Click, whose classes it builds on
from typer.core import TyperCommand, TyperGroup

from finetune.cli.errors import clear_errors

# Command module → {command name: the one-line summary `finetune --help` shows}.
Registry = Mapping[str, Mapping[str, str]]


class LazyCommand(TyperCommand):
    """Stands in for a command in listings until it runs; knows the module defining it."""

    def __init__(self, name: str, summary: str, module: str) -> None:
        super().__init__(name, help=summary, short_help=summary)
        self.module = module

    def load(self) -> click.Command:
        """The real command, built from its module's ``commands`` Typer app."""
        commands = getattr(importlib.import_module(self.module), "commands", None)
        if not isinstance(commands, typer.Typer):
            raise TypeError(f"{self.module} defines no `commands = typer.Typer()`")
        command = typer.main.get_group(commands).commands.get(self.name or "")
        if command is None:
            raise LookupError(f"{self.module} does not define the command {self.name!r}")
        return command


class LazyGroup(TyperGroup):
    """The top-level group: lists :attr:`registry`, imports a command's module on dispatch, and
    turns the project's errors into one stderr line and an exit code (:func:`clear_errors`)."""

    registry: ClassVar[Registry] = {}

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        for module, summaries in self.registry.items():
            for name, summary in summaries.items():
                self.add_command(LazyCommand(name, summary, module))

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name, command, rest = super().resolve_command(ctx, args)
        if isinstance(command, LazyCommand):
            command = command.load()
            self.commands[command.name or ""] = command
        return name, command, rest

    def invoke(self, ctx: click.Context) -> Any:
        with clear_errors():
            return super().invoke(ctx)


def lazy_group(registry: Registry) -> type[LazyGroup]:
    """A :class:`LazyGroup` class listing ``registry`` (Typer instantiates the class itself)."""
    return type("FinetuneGroup", (LazyGroup,), {"registry": registry})
