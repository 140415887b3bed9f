"""The interactive assessment: `mlcareer assess`."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from mlcareer.cli.common import (
    HoursOption,
    KbOption,
    NoPagerOption,
    ReportFormat,
    RoleOption,
    StepsOption,
    build_report,
    command,
    find_role,
    friendly,
    load_kb,
    plural,
    say,
    show_report,
)
from mlcareer.cli.export import (
    NoChartOption,
    export_path,
    exports,
    previous_report,
    refuse_inputs,
    write_export,
)
from mlcareer.errors import ExitCode, StorageError, UsageError
from mlcareer.files import Output

if TYPE_CHECKING:
    from mlcareer import session
    from mlcareer.analysis import GapReport
    from mlcareer.models import Assessment, KnowledgeBase
    from mlcareer.prompter import TerminalPrompter


def _name(value: str | None) -> str | None:
    """Option callback: a name the assessment file can hold (1-200 characters)."""
    if value is None:
        return None
    if not value.strip() or len(value.strip()) > 200:
        raise typer.BadParameter("a name of 1 to 200 characters")
    return value.strip()


@friendly
def assess(
    role: RoleOption = None,
    quick: Annotated[
        bool,
        typer.Option(
            "--quick",
            help="Ask only the skills that carry two thirds of the role (weight x target); "
            "the others are left unassessed.",
        ),
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
    fresh: Annotated[
        bool,
        typer.Option("--fresh", help="Do not show your last answers: rate every skill anew."),
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
        Output | None,
        typer.Option(
            "--export",
            parser=Output,
            metavar="<file>",
            help="Also write the report to this file: .md, .html or .json.",
            show_default=False,
            callback=export_path,
        ),
    ] = None,
    name: Annotated[
        str | None,
        typer.Option(
            "--name",
            help="Whose assessment it is, saved in it (`mlcareer team` shows it).",
            show_default=False,
            callback=_name,
        ),
    ] = None,
    no_chart: NoChartOption = False,
    no_pager: NoPagerOption = False,
    steps: StepsOption = 3,
    hours_per_week: HoursOption = None,
    kb: KbOption = None,
) -> None:
    """Rate yourself skill by skill and see your gap report.

    Your answers are saved after each one: stop at any time (q, Ctrl-C) and run `mlcareer assess`
    again to carry on. A retake shows your last answers: Enter keeps one. With stdin not a
    terminal, answers are read one per line.
    """
    from mlcareer import session, store

    knowledge = _knowledge(kb, resuming=answers is None and not restart)
    refuse_inputs(knowledge, exports(export, chart=not no_chart), [answers])
    if answers is not None:
        from mlcareer.kb import shown_path

        assessment = store.read(answers, knowledge, shown_path(answers))
        chosen = find_role(knowledge, role, assessment)
        assessment = _named(assessment, name).model_copy(
            update={"role": chosen.id, "started": store.now()}
        )
        report = build_report(knowledge, assessment, chosen, steps, hours_per_week)
        try:
            done = store.finish(assessment, knowledge, from_quiz=False)
        except StorageError as error:
            raise StorageError(f"{error.message}; nothing was saved") from None
        typer.echo()
        show_report(report, ReportFormat.text, None)
        return _finish(knowledge, report, done, export, (steps, not no_chart))

    from mlcareer.keys import Keys
    from mlcareer.prompter import TerminalPrompter
    from mlcareer.render.terminal import console

    screen = console()
    keys = Keys.for_stdin() if screen.is_terminal else None
    prompter = TerminalPrompter(screen, knowledge.scale, keys)
    opts = session.Options(role, quick, restart, fresh, not no_checks, seed)
    with store.quiz_lock():
        _interactive(
            knowledge, prompter, opts, name, export, (steps, hours_per_week, no_chart, no_pager)
        )


def _interactive(
    knowledge: KnowledgeBase,
    prompter: TerminalPrompter,
    opts: session.Options,
    name: str | None,
    export: Output | None,
    shown: tuple[int, float | None, bool, bool],
) -> None:
    """The quiz, from resume-or-start to the report, while this process holds the quiz lock."""
    from mlcareer import quiz, session, store

    steps, hours_per_week, no_chart, no_pager = shown
    try:
        start = session.begin(knowledge, prompter, opts)
    except quiz.Quit:  # at the role prompt: nothing asked, nothing saved
        say("\nNo role chosen: nothing was saved.", err=True)
        return
    start = replace(start, assessment=_named(start.assessment, name))
    try:
        assessment = session.run(knowledge, prompter, start, opts)
    except StorageError:
        typer.echo(err=True)  # the error goes below the question it interrupts, not after it
        raise
    except quiz.Quit:
        saved, _ = store.load_progress(knowledge)
        count = len(saved.answers) if saved else 0
        say(
            f"\nSaved: {plural(count, 'answer')} so far. Run `{command()} assess` to carry on.",
            err=True,
        )
        return
    except KeyboardInterrupt:
        say(f"\nInterrupted. Your answers are saved: run `{command()} assess` to resume.", err=True)
        raise typer.Exit(ExitCode.INTERRUPTED) from None
    done = session.finish(knowledge, assessment)
    report = build_report(knowledge, done[0], start.role, steps, hours_per_week)
    _end_of_quiz(report, done[1], prompter, not no_pager)
    _finish(knowledge, report, done, export, (steps, not no_chart))


def _end_of_quiz(report: GapReport, saved: Path, prompter: TerminalPrompter, paged: bool) -> None:
    """At a terminal: a one-screen summary, then the full report on request, paged when long.
    Piped: the full report."""
    from mlcareer.cli.pager import page
    from mlcareer.render.summary import summary
    from mlcareer.render.terminal import report as full_report

    if prompter.keys is None:
        typer.echo()
        show_report(report, ReportFormat.text, None)
        return
    screen = prompter.console
    screen.clear()
    screen.print(summary(report, str(saved), f"{command()} report"), crop=False)
    if prompter.wait("Enter: read the full report · q: finish ").lower() != "q":
        screen.print()
        page(screen, full_report(report), enabled=paged)
    else:
        screen.print()


def _knowledge(folder: Path | None, resuming: bool) -> KnowledgeBase:
    """The KB in use: --kb, else the one the unfinished quiz was started with, else the shipped."""
    from mlcareer import store

    started = store.started_with() if folder is None and resuming else None
    if started is not None and not started.is_dir():
        raise UsageError(
            f"the unfinished quiz was started with --kb {started}, which is not there any more: "
            "pass --kb with its new place, or --restart to start afresh"
        )
    return load_kb(folder or started)


def _named(assessment: Assessment, name: str | None) -> Assessment:
    """--name replaces the name the file or the resumed quiz holds; without it, that one stays."""
    return assessment if name is None else assessment.model_copy(update={"name": name})


def _finish(
    knowledge: KnowledgeBase,
    report: GapReport,
    saved: tuple[Assessment, Path],
    export: Output | None,
    chart: tuple[int, bool],
) -> None:
    """`export` the report with the previous assessment of the role dashed on its radar
    (`chart`: the number of steps shown, and whether Markdown gets the SVG). What was saved is
    said first: an export that fails does not hide it."""
    say(f"Assessment saved to {saved[1]}", err=True)
    if export is not None:
        steps, svg = chart
        previous = None
        if export.path.suffix.lower() != ".json":
            assessment, path = saved
            previous = previous_report(knowledge, report.role, assessment, path, steps)
        write_export(report, export, previous, svg)
