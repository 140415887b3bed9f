"""Shared by the commands: the Typer app, its root callback, option types, error mapping, output.

Heavy modules (pydantic, yaml, rich) are imported inside the functions, so that `--help` and
`--version` start as fast as Typer itself.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Sequence
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from mlcareer import __version__

# mlcareer uses no pydantic plugin, and looking for them (importlib.metadata) costs ~10 ms a run.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
from mlcareer.errors import DataError, ExitCode, MlcareerError, Problem, UsageError

if TYPE_CHECKING:
    from rich.console import RenderableType

    from mlcareer.analysis import GapReport
    from mlcareer.files import Output
    from mlcareer.models import Assessment, KnowledgeBase, Role

app = typer.Typer(
    name="mlcareer",
    no_args_is_help=True,
    add_completion=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class Format(str, Enum):
    text = "text"
    json = "json"


class Kind(str, Enum):
    hard = "hard"
    soft = "soft"


class ReportFormat(str, Enum):
    text = "text"
    markdown = "markdown"
    html = "html"
    json = "json"


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

ReportFormatOption = Annotated[
    ReportFormat, typer.Option("--format", "-f", help="text, markdown, html or json.")
]


def _complete_roles(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    from mlcareer.cli import complete

    return complete.roles(ctx, incomplete)


RoleOption = Annotated[
    str | None,
    typer.Option(
        "--role",
        "-r",
        help="Target role id (see `mlcareer roles`).",
        show_default=False,
        autocompletion=_complete_roles,
    ),
]
StepsOption = Annotated[
    int, typer.Option("--steps", min=0, help="How many next steps to recommend.")
]


def _hours_in_a_week(value: float | None) -> float | None:
    """0.5 to 168, finite: a range alone lets `nan` through with a misleading message."""
    if value is not None and not 0.5 <= value <= 168:  # False for nan, too
        raise typer.BadParameter(f"{value:g} is not a weekly study time: give 0.5 to 168 hours")
    return value


HoursOption = Annotated[
    float | None,
    typer.Option(
        "--hours-per-week",
        help="Your weekly study time, 0.5 to 168 hours: adds weeks to target and a dated plan.",
        show_default=False,
        callback=_hours_in_a_week,
    ),
]

NoPagerOption = Annotated[
    bool,
    typer.Option(
        "--no-pager",
        help="Print a long report straight to the terminal instead of through $PAGER (less).",
    ),
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
            say(literal(str(problem)), err=True)
        say(f"{plural(len(error.problems), 'problem')} found", err=True)
    else:
        say(f"error: {literal(error.message)}", err=True)


def warn(message: str) -> None:
    """A warning on stderr: something was left out or could not be read, the command goes on."""
    from mlcareer.render.text import literal

    say(f"warning: {literal(message)}", err=True)


def say(message: str, err: bool = False) -> None:
    """A message on stdout or stderr. In a terminal, it is wrapped at spaces to the terminal's
    width, its later lines indented, where the terminal itself would cut words in two; in a pipe
    or a file it stays one line per line, for grep and for editors that jump to FILE:LINE:COL."""
    stream = sys.stderr if err else sys.stdout
    try:
        columns = os.get_terminal_size(stream.fileno()).columns if stream.isatty() else 0
    except (OSError, ValueError, AttributeError):
        columns = 0
    if columns >= 20:
        from mlcareer.render.lines import wrap

        message = "\n".join(
            "\n".join(wrap(line, columns, "  ") or [""]) for line in message.split("\n")
        )
    typer.echo(message, err=err)


def warn_ignored(ignored: Sequence[Problem]) -> None:
    """The ids an assessment holds that the KB no longer has (see `store.load`)."""
    for problem in ignored:
        warn(f"{problem}: not in this knowledge base, left out")


def command() -> str:
    """How to run mlcareer again from where the person is: `mlcareer` when that name on PATH is
    this program, else the path it was started with (after `make assess`, `.venv/bin/mlcareer`),
    else `python -m mlcareer` with the interpreter that runs it now."""
    import shutil

    def on_path(path: str) -> bool:
        found = shutil.which(os.path.basename(path))
        return found is not None and os.path.realpath(found) == os.path.realpath(path)

    started = sys.argv[0]
    if os.path.basename(started) == "mlcareer":
        if on_path(started):
            return "mlcareer"
        return started if os.path.isabs(started) else os.path.relpath(started)
    python = os.path.basename(sys.executable) if on_path(sys.executable) else sys.executable
    return f"{python} -m mlcareer"


def plural(count: int, singular: str, many: str | None = None) -> str:
    return f"{count} {singular if count == 1 else many or singular + 's'}"


def show(renderable: RenderableType, paged: bool = False) -> None:
    """Print to stdout; `paged`: through the pager when it is a terminal and the text is long."""
    from mlcareer.render.terminal import console, emit

    if paged and sys.stdout.isatty():
        from mlcareer.cli.pager import page

        page(console(), renderable)
    else:
        emit(renderable)


def print_json(data: Any) -> None:
    sys.stdout.write(json_text(data))


def json_text(data: Any) -> str:
    """Strict JSON (`render.json.dumps`), all ASCII when stdout cannot encode the rest: then a
    file written with -o gets the same escapes, equally valid."""
    from mlcareer.cli.stdio import encodes
    from mlcareer.render.json import dumps

    return dumps(data, ascii=not encodes(sys.stdout))


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


def find_role(knowledge: KnowledgeBase, role_id: str | None, assessment: Assessment) -> Role:
    chosen = role_id or assessment.role
    if chosen is None:
        raise UsageError(f"no role given: pass --role, one of: {', '.join(knowledge.role)}")
    if chosen not in knowledge.role:
        raise UsageError(f"unknown role {chosen!r}; choose one of: {', '.join(knowledge.role)}")
    return knowledge.role[chosen]


def build_report(
    knowledge: KnowledgeBase,
    assessment: Assessment,
    role: Role,
    steps: int,
    hours_per_week: float | None,
    marked: tuple[str, ...] = (),
) -> GapReport:
    from mlcareer.analysis import analyse

    return analyse(
        knowledge, assessment, role, steps=steps, hours_per_week=hours_per_week, marked=marked
    )


def render_report(
    report: GapReport,
    fmt: ReportFormat,
    previous: GapReport | None = None,
    chart: str | None = None,
) -> str | None:
    """Markdown, HTML or JSON text; None for text, which is printed straight to the terminal.

    `previous`: the earlier assessment the HTML radar draws dashed; `chart`: the link to the
    radar SVG that Markdown shows."""
    if fmt is ReportFormat.markdown:
        from mlcareer.render import markdown

        return markdown.report(report, chart)
    if fmt is ReportFormat.html:
        from mlcareer.radar import radar
        from mlcareer.render import html

        return html.report(report, radar(report, previous))
    if fmt is ReportFormat.json:
        from mlcareer.render import json as json_render

        return json_text(json_render.report(report))
    return None


def write_output(out: Output | Path, text: str) -> None:
    """`-` and /dev/stdout go to stdout, in order with what was printed before; anything else
    through `files.write_file` (symlinks followed, mode kept, devices written into)."""
    from mlcareer import files

    if files.stream(out) == 1:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    files.write_file(out, text.encode("utf-8"))


def show_report(
    report: GapReport,
    fmt: ReportFormat,
    output: Output | None,
    previous: GapReport | None = None,
    chart: bool = False,
    paged: bool = False,
) -> None:
    """`chart`: Markdown written to a file gets the radar as an SVG beside it, written after
    the report (whose message comes first, should the chart fail); `paged`: text in a terminal
    goes through the pager when it is longer than the screen. `-o -` is stdout, never paged."""
    from mlcareer.files import stream

    if output is None or stream(output) == 1:
        text = render_report(report, fmt, previous)
        if text is None:
            from mlcareer.render.terminal import report as terminal_report

            show(terminal_report(report), paged and output is None)
        else:
            sys.stdout.write(text)
        return
    from mlcareer.cli.export import chart_beside, write_chart

    drawn = None
    if chart and fmt is ReportFormat.markdown:
        drawn = chart_beside(report, previous, output.path)
    text = render_report(report, fmt, previous, drawn.link if drawn else None)
    if text is None:
        from mlcareer.render.terminal import plain_text
        from mlcareer.render.terminal import report as terminal_report

        text = plain_text(terminal_report(report))
    write_output(output, text)
    say(f"Report written to {output}", err=True)
    if drawn is not None:
        write_chart(drawn)


def main() -> None:
    """Console-script entry point. A closed, full or vanished stdout, a closed stdin and an
    encoding that lacks a character end with one line on stderr, never a traceback (`stdio`)."""
    from mlcareer.cli import stdio

    stdio.prepare()
    code: object = 0
    try:
        app()
    except SystemExit as done:
        code = done.code
    except stdio.InputClosed:
        stdio.fail("cannot read standard input: it is closed")
        code = ExitCode.BAD_INPUT
    except stdio.OutputFailed:
        code = 0  # finish() says what happened to stdout
    sys.exit(stdio.finish(code))
