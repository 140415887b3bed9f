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

# mlcareer uses no pydantic plugin, and looking for them (importlib.metadata) costs ~10 ms a run.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
from mlcareer.errors import DataError, ExitCode, MlcareerError, Problem, UsageError

if TYPE_CHECKING:
    from rich.console import RenderableType

    from mlcareer.analysis import GapReport
    from mlcareer.models import Assessment, KnowledgeBase, Role

app = typer.Typer(
    name="mlcareer",
    no_args_is_help=True,
    add_completion=False,
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
    ReportFormat, typer.Option("--format", "-f", help="text, markdown or json.")
]
RoleOption = Annotated[
    str | None,
    typer.Option("--role", "-r", help="Target role id (see `mlcareer roles`).", show_default=False),
]
StepsOption = Annotated[
    int, typer.Option("--steps", min=0, help="How many next steps to recommend.")
]
HoursOption = Annotated[
    float | None,
    typer.Option(
        "--hours-per-week",
        min=0.5,
        help="Your weekly study time: adds weeks to target and a dated plan.",
        show_default=False,
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
            typer.echo(literal(str(problem)), err=True)
        typer.echo(f"{plural(len(error.problems), 'problem')} found", err=True)
    else:
        typer.echo(f"error: {literal(error.message)}", err=True)


def plural(count: int, singular: str, many: str | None = None) -> str:
    return f"{count} {singular if count == 1 else many or singular + 's'}"


def show(renderable: RenderableType) -> None:
    from mlcareer.render.terminal import emit

    emit(renderable)


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
) -> GapReport:
    from mlcareer.analysis import analyse

    return analyse(knowledge, assessment, role, steps=steps, hours_per_week=hours_per_week)


def render_report(report: GapReport, fmt: ReportFormat) -> str | None:
    """Markdown or JSON text; None for text, which is printed straight to the terminal."""
    if fmt is ReportFormat.markdown:
        from mlcareer.render import markdown

        return markdown.report(report)
    if fmt is ReportFormat.json:
        from mlcareer.render import json as json_render

        return json.dumps(json_render.report(report), indent=2) + "\n"
    return None


def write_output(path: Path, text: str) -> None:
    from mlcareer.files import atomic_write

    try:
        atomic_write(path, text)
    except OSError as error:
        raise UsageError(f"cannot write {path}: {error.strerror or error}") from None


def show_report(report: GapReport, fmt: ReportFormat, output: Path | None) -> None:
    text = render_report(report, fmt)
    if output is None:
        if text is None:
            from mlcareer.render.terminal import report as terminal_report

            show(terminal_report(report))
        else:
            sys.stdout.write(text)
        return
    if text is None:
        from mlcareer.render.terminal import plain_text
        from mlcareer.render.terminal import report as terminal_report

        text = plain_text(terminal_report(report))
    write_output(output, text)
    typer.echo(f"Report written to {output}", err=True)


@app.command()
@friendly
def assess(
    role: RoleOption = None,
    quick: Annotated[
        bool, typer.Option("--quick", help="Ask only the skills the role needs at level 3 or more.")
    ] = False,
    no_checks: Annotated[
        bool, typer.Option("--no-checks", help="Do not ask knowledge checks after a 3 or 4.")
    ] = False,
    seed: Annotated[
        int | None,
        typer.Option(
            help="Seed for choosing check questions, for a repeatable quiz.", show_default=False
        ),
    ] = None,
    restart: Annotated[
        bool,
        typer.Option("--restart", help="Start afresh; an unfinished quiz is kept in history."),
    ] = False,
    answers: Annotated[
        Path | None,
        typer.Option(
            "--answers",
            help="Take the answers from a YAML or JSON file instead of asking.",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    export: Annotated[
        Path | None,
        typer.Option(
            "--export",
            help="Also write the report as Markdown to this file.",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    steps: StepsOption = 3,
    hours_per_week: HoursOption = None,
    kb: KbOption = None,
) -> None:
    """Rate yourself skill by skill and see your gap report.

    Your answers are saved after each one: stop at any time (q, Ctrl-C) and run `mlcareer assess`
    again to carry on. With stdin not a terminal, answers are read one per line.
    """
    import random

    from mlcareer import quiz, store
    from mlcareer.models import Assessment

    knowledge = load_kb(kb)
    if answers is not None:
        from mlcareer.kb import shown_path

        assessment = store.read(answers, knowledge, shown_path(answers))
        chosen = find_role(knowledge, role, assessment)
        assessment = assessment.model_copy(update={"role": chosen.id, "started": store.now()})
        return _finish(knowledge, assessment, chosen, steps, hours_per_week, export)

    from mlcareer.prompter import TerminalPrompter
    from mlcareer.render.terminal import console

    prompter = TerminalPrompter(console())
    if role is not None and role not in knowledge.role:
        find_role(knowledge, role, Assessment())
    try:
        current = None if restart else store.load_progress(knowledge)
    except DataError as error:
        hint = Problem(
            str(store.in_progress_path()),
            1,
            1,
            "this saved quiz cannot be resumed; `mlcareer assess --restart` starts afresh "
            "and keeps it in history",
        )
        raise DataError([*error.problems, hint]) from None
    if restart:
        kept = store.set_aside_progress()
        if kept is not None:
            typer.echo(f"The unfinished quiz is kept in {kept}", err=True)
    if current is not None:
        label = knowledge.role[current.role].name if current.role else "no role"
        answered = plural(len(current.answers), "answer")
        try:
            resume = prompter.confirm(
                f"You have an unfinished assessment ({label}, {answered}). Resume it?"
            )
        except EOFError:
            raise UsageError("no answer: run again and type y or n") from None
        if not resume:
            kept = store.set_aside_progress()
            typer.echo(f"The unfinished quiz is kept in {kept}", err=True)
            current = None
    if current is not None and current.role is not None:
        chosen = knowledge.role[current.role]
        assessment = current
    else:
        if role is not None:
            chosen = knowledge.role[role]
        else:
            try:
                chosen = prompter.choose_role(knowledge.roles)
            except EOFError:
                raise UsageError("no role chosen: pass --role, or pick one from the list") from None
        assessment = Assessment(role=chosen.id, quick=quick, started=store.now())

    skills = quiz.items(knowledge, chosen, quick=assessment.quick)
    checks = not no_checks
    prompter.intro(chosen, len(skills), quiz.minutes(skills, checks=checks), assessment.position)

    def save(a: Assessment) -> None:
        store.save_progress(a.model_copy(update={"updated": store.now()}))

    session = quiz.Quiz(knowledge, skills, prompter, save, random.Random(seed), checks=checks)
    try:
        assessment = session.run(assessment)
    except quiz.Quit:
        saved = store.load_progress(knowledge)
        count = len(saved.answers) if saved else 0
        typer.echo(
            f"\nSaved: {plural(count, 'answer')} so far. Run `mlcareer assess` to carry on.",
            err=True,
        )
        return
    except KeyboardInterrupt:
        typer.echo(
            "\nInterrupted. Your answers are saved: run `mlcareer assess` to resume.", err=True
        )
        raise typer.Exit(ExitCode.INTERRUPTED) from None
    _finish(knowledge, assessment, chosen, steps, hours_per_week, export)


def _finish(
    knowledge: KnowledgeBase,
    assessment: Assessment,
    role: Role,
    steps: int,
    hours_per_week: float | None,
    export: Path | None,
) -> None:
    from mlcareer import store

    report = build_report(knowledge, assessment, role, steps, hours_per_week)
    _, path = store.finish(assessment)
    typer.echo()
    show_report(report, ReportFormat.text, None)
    if assessment.quick:
        unasked = len(report.unrated)
        typer.echo(
            f"Quick mode: {plural(unasked, 'skill')} with a target under 3 were not asked and "
            "count as 0.\nFor the full picture: mlcareer assess",
            err=True,
        )
    if export is not None:
        from mlcareer.render import markdown

        write_output(export, markdown.report(report))
        typer.echo(f"Markdown report written to {export}", err=True)
    typer.echo(f"Assessment saved to {path}", err=True)


@app.command()
@friendly
def report(
    assessment_file: Annotated[
        Path | None,
        typer.Argument(
            metavar="ASSESSMENT",
            help="A saved assessment or an answers file. [default: your latest assessment]",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    role: RoleOption = None,
    fmt: ReportFormatOption = ReportFormat.text,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write to this file instead of the terminal.",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    steps: StepsOption = 3,
    hours_per_week: HoursOption = None,
    kb: KbOption = None,
) -> None:
    """Show the gap report of an assessment.

    Readiness, ranked gaps, calibration and the next roadmap steps, as text, Markdown or JSON.
    """
    from mlcareer import store
    from mlcareer.kb import shown_path

    knowledge = load_kb(kb)
    if assessment_file is None:
        _, assessment = store.latest_finished(knowledge)
    else:
        assessment = store.read(assessment_file, knowledge, shown_path(assessment_file))
    chosen = find_role(knowledge, role, assessment)
    show_report(build_report(knowledge, assessment, chosen, steps, hours_per_week), fmt, output)


@app.command()
@friendly
def history(fmt: FormatOption = Format.text, kb: KbOption = None) -> None:
    """List your saved assessments."""
    from mlcareer import store
    from mlcareer.analysis import analyse, rated

    knowledge = load_kb(kb)
    rows = []
    for path, assessment in store.history(knowledge):
        role = knowledge.role.get(assessment.role or "")
        done, total = rated(knowledge, role, assessment) if role else (len(assessment.answers), 0)
        rows.append(
            {
                "file": str(path),
                "date": assessment.finished or assessment.updated or assessment.started,
                "finished": assessment.finished is not None,
                "role": assessment.role,
                "readiness": round(analyse(knowledge, assessment, role).readiness, 1)
                if role
                else None,
                "rated": done,
                "total": total,
            }
        )
    if fmt is Format.json:
        print_json(rows)
        return
    waiting = store.in_progress_path().exists()
    if not rows:
        typer.echo("No assessments yet: run `mlcareer assess`.")
    else:
        from mlcareer.render.terminal import history_table

        show(history_table(rows))
    if waiting:
        typer.echo("A quiz is in progress: `mlcareer assess` carries on where you stopped.")


@app.command()
@friendly
def progress(
    old: Annotated[
        Path | None,
        typer.Argument(
            help="The earlier assessment. [default: the one before the latest]",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    new: Annotated[
        Path | None,
        typer.Argument(
            help="The later assessment. [default: the latest]", dir_okay=False, show_default=False
        ),
    ] = None,
    role: RoleOption = None,
    fmt: ReportFormatOption = ReportFormat.text,
    kb: KbOption = None,
) -> None:
    """Show what changed between two assessments."""
    from mlcareer import store
    from mlcareer.analysis import compare
    from mlcareer.kb import shown_path

    knowledge = load_kb(kb)
    if old is not None and new is not None:
        before = store.read(old, knowledge, shown_path(old))
        after = store.read(new, knowledge, shown_path(new))
    elif old is None and new is None:
        finished = store.history(knowledge, finished_only=True)
        if len(finished) < 2:
            raise UsageError("progress needs two finished assessments; run `mlcareer assess` again")
        before, after = finished[-2][1], finished[-1][1]
    else:
        raise UsageError("give both OLD and NEW, or neither to compare your last two assessments")
    chosen = find_role(knowledge, role, after)
    change = compare(knowledge, before, after, chosen)
    if fmt is ReportFormat.json:
        from mlcareer.render import json as json_render

        print_json(json_render.progress(change))
    elif fmt is ReportFormat.markdown:
        from mlcareer.render import markdown

        sys.stdout.write(markdown.progress(change))
    else:
        from mlcareer.render.terminal import progress as terminal_progress

        show(terminal_progress(change))


@app.command()
@friendly
def validate(kb: KbOption = None) -> None:
    """Check a knowledge base; every problem as FILE:LINE:COL."""
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

    show(skills_table(knowledge, chosen))


@app.command()
@friendly
def roles(fmt: FormatOption = Format.text, kb: KbOption = None) -> None:
    """List the target roles, with salary context."""
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
    from mlcareer.render.terminal import roles_view

    show(roles_view(knowledge.roles))


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

    show(roadmap_table(knowledge, steps))


@app.command()
@friendly
def schema(
    file: Annotated[KbFile, typer.Argument(help="Which knowledge-base file.")],
) -> None:
    """Print the JSON Schema of a knowledge-base file.

    Point your editor at it to get completion and checking while you write skills.yaml or
    roadmap.yaml.
    """
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
