"""The command-line interface: parse options, call the core in order, render, map errors to exits.

Heavy modules (pydantic, yaml, rich) are imported inside the commands, so that `--help` and
`--version` start as fast as Typer itself.
"""

from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from mlcareer import __version__
from mlcareer.errors import DataError, ExitCode, MlcareerError, UsageError

if TYPE_CHECKING:
    from rich.console import Console

    from mlcareer.models import KnowledgeBase

app = typer.Typer(
    name="mlcareer",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class Format(str, Enum):
    text = "text"
    json = "json"


class Kind(str, Enum):
    hard = "hard"
    soft = "soft"


class KbFile(str, Enum):
    skills = "skills"
    roadmap = "roadmap"


KbOption = Annotated[
    Path | None,
    typer.Option(
        "--kb",
        help="Folder holding skills.yaml and roadmap.yaml. [default: the knowledge base shipped]",
        file_okay=False,
        show_default=False,
    ),
]
FormatOption = Annotated[
    Format, typer.Option("--format", "-f", help="text for people, json for scripts.")
]

F = TypeVar("F", bound=Callable[..., Any])


def friendly(command: F) -> F:
    """Turn the core's errors into a message on stderr and an exit code, never a traceback."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except MlcareerError as error:
            if os.environ.get("MLCAREER_DEBUG"):
                raise
            report_error(error)
            raise typer.Exit(error.exit_code) from None
        except KeyboardInterrupt:
            if os.environ.get("MLCAREER_DEBUG"):
                raise
            typer.echo("\ninterrupted", err=True)
            raise typer.Exit(ExitCode.INTERRUPTED) from None

    return wrapper  # type: ignore[return-value]


def report_error(error: MlcareerError) -> None:
    from mlcareer.render.text import literal

    if isinstance(error, DataError):
        for problem in error.problems:
            typer.echo(literal(str(problem)), err=True)
        typer.echo(f"{plural(len(error.problems), 'problem')} found", err=True)
    else:
        typer.echo(f"error: {literal(error.message)}", err=True)


def plural(count: int, singular: str, many: str | None = None) -> str:
    return f"{count} {singular if count == 1 else many or singular + 's'}"


def out() -> Console:
    from mlcareer.render.terminal import console

    return console()


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2) + "\n")


def load_kb(folder: Path | None) -> KnowledgeBase:
    from mlcareer import kb

    return kb.load(folder)


def _version(value: bool) -> None:
    """Eager option callback: print the version before any command runs."""
    if value:
        typer.echo(f"mlcareer {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", "-V", help="Show the version and exit.", is_eager=True, callback=_version
        ),
    ] = False,
) -> None:
    """Know where you stand as a machine-learning engineer, and what to learn next.

    Start with `mlcareer assess`. Assessments are kept in MLCAREER_HOME when it is set, else in
    your user data folder.
    """


@app.command()
@friendly
def validate(kb: KbOption = None) -> None:
    """Check a knowledge base: report every problem as FILE:LINE:COL, or print a summary."""
    knowledge = load_kb(kb)
    hard = sum(1 for s in knowledge.skills if s.kind == "hard")
    checks = sum(len(s.checks) for s in knowledge.skills)
    counts = [
        plural(hard, "hard skill"),
        plural(len(knowledge.skills) - hard, "soft skill"),
        plural(len(knowledge.categories), "category", "categories"),
        plural(checks, "knowledge check"),
        plural(len(knowledge.roles), "role"),
        plural(len(knowledge.steps), "roadmap step"),
    ]
    typer.echo(f"ok: {', '.join(counts)}")


@app.command()
@friendly
def skills(
    kind: Annotated[Kind | None, typer.Option(help="Only hard or only soft skills.")] = None,
    category: Annotated[
        str | None, typer.Option(help="Only the skills of this category id.", show_default=False)
    ] = None,
    fmt: FormatOption = Format.text,
    kb: KbOption = None,
) -> None:
    """List the skills of the knowledge base."""
    knowledge = load_kb(kb)
    if category is not None and category not in knowledge.category:
        known = ", ".join(knowledge.category)
        raise UsageError(f"unknown category {category!r}; choose one of: {known}")
    chosen = [
        s
        for s in knowledge.skills
        if (kind is None or s.kind == kind.value) and (category is None or s.category == category)
    ]
    if fmt is Format.json:
        fields = {"id", "name", "kind", "category", "weight", "description"}
        print_json([s.model_dump(include=fields) for s in chosen])
        return
    from mlcareer.render.terminal import skills_table

    out().print(skills_table(knowledge, chosen))


@app.command()
@friendly
def roles(fmt: FormatOption = Format.text, kb: KbOption = None) -> None:
    """List the target roles, with how many skills each targets and salary context."""
    knowledge = load_kb(kb)
    if fmt is Format.json:
        print_json(
            [
                {
                    **r.model_dump(include={"id", "name", "summary", "salary"}),
                    "targets": {s: n for s, n in r.targets.items() if n > 0},
                }
                for r in knowledge.roles
            ]
        )
        return
    from mlcareer.render.terminal import roles_table

    out().print(roles_table(knowledge, knowledge.roles))


@app.command()
@friendly
def roadmap(fmt: FormatOption = Format.text, kb: KbOption = None) -> None:
    """Show the roadmap steps in prerequisite order."""
    from mlcareer.planner import ordered_steps

    knowledge = load_kb(kb)
    steps = ordered_steps(knowledge)
    if fmt is Format.json:
        fields = {"id", "title", "requires", "skills", "effort_hours", "optional", "outcome"}
        print_json([s.model_dump(include=fields) for s in steps])
        return
    from mlcareer.render.terminal import roadmap_table

    out().print(roadmap_table(knowledge, steps))


@app.command()
@friendly
def schema(
    file: Annotated[KbFile, typer.Argument(help="Which knowledge-base file.")],
) -> None:
    """Print the JSON Schema of skills.yaml or roadmap.yaml, for editor completion and checks."""
    from mlcareer.models import RoadmapFile, SkillsFile

    model = SkillsFile if file is KbFile.skills else RoadmapFile
    document = model.model_json_schema()
    document["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    document["title"] = f"mlcareer {file.value}.yaml"
    print_json(document)


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except BrokenPipeError:
        # The reader went away (`mlcareer skills | head`): that is not an error.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(0)
