"""The command-line interface: parse options, call the core in order, render, map errors to exits.

`common` holds the Typer app and what the commands share; each other module holds one group of
commands, listed in `COMMANDS` in the order `mlcareer --help` shows them. `main` registers only
the command a run names: importing the other modules and converting their commands for Typer
would cost more than all the work `validate` does on a known knowledge base. `--help`, a mistyped
name and shell completion get every command, and so does `app`, for tests and tools.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Iterable

import typer

from mlcareer.cli import common

__all__ = ["COMMANDS", "app", "main"]

# The command's name: its module in this package, and the function (or Typer group) there.
COMMANDS = {
    "assess": ("quiz", "assess"),
    "report": ("reports", "report"),
    "history": ("reports", "history"),
    "progress": ("reports", "progress"),
    "team": ("team", "team"),
    "validate": ("knowledge", "validate"),
    "skills": ("knowledge", "skills"),
    "roles": ("knowledge", "roles"),
    "roadmap": ("roadmap", "roadmap_app"),
    "schema": ("knowledge", "schema"),
}
_registered: set[str] = set()


def main() -> None:
    """Console-script entry point."""
    _register(_named(sys.argv[1:]))
    common.main()


def __getattr__(name: str) -> typer.Typer:
    """`app`: the Typer app with every command, registered on first use."""
    if name == "app":
        return _register(COMMANDS)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _named(args: list[str]) -> Iterable[str]:
    """The command these arguments run, or every command when that is not plain. Root options
    take no value, so the first argument that is not an option is the command's name."""
    completing = any(key.startswith("_") and key.endswith("_COMPLETE") for key in os.environ)
    name = next((arg for arg in args if not arg.startswith("-")), None)
    return [name] if name in COMMANDS and not completing else COMMANDS


def _register(names: Iterable[str]) -> typer.Typer:
    for name in names:
        if name in _registered:
            continue
        module, attribute = COMMANDS[name]
        command = getattr(importlib.import_module(f"{__name__}.{module}"), attribute)
        if isinstance(command, typer.Typer):
            common.app.add_typer(command)
        else:
            common.app.command()(command)
        _registered.add(name)
    return common.app
