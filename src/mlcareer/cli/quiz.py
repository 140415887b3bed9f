"""The interactive assessment: `mlcareer assess`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from mlcareer.cli.common import (
    HoursOption,
    KbOption,
    ReportFormat,
    RoleOption,
    StepsOption,
    build_report,
    command,
    find_role,
    friendly,
    load_kb,
    plural,
    show_report,
    write_output,
)
from mlcareer.errors import ExitCode

if TYPE_CHECKING:
    from mlcareer.analysis import GapReport


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
    again to carry on. A retake shows your last answers: Enter keeps one. With stdin not a
    terminal, answers are read one per line.
    """
    from mlcareer import quiz, session, store

    knowledge = load_kb(kb)
    if answers is not None:
        from mlcareer.kb import shown_path

        assessment = store.read(answers, knowledge, shown_path(answers))
        chosen = find_role(knowledge, role, assessment)
        assessment = assessment.model_copy(update={"role": chosen.id, "started": store.now()})
        report = build_report(knowledge, assessment, chosen, steps, hours_per_week)
        return _finish(report, store.finish(assessment)[1], export)

    from mlcareer.prompter import TerminalPrompter
    from mlcareer.render.terminal import console

    prompter = TerminalPrompter(console())
    opts = session.Options(role, quick, restart, fresh, not no_checks, seed)
    start = session.begin(knowledge, prompter, opts)
    try:
        assessment = session.run(knowledge, prompter, start, opts)
    except quiz.Quit:
        saved = store.load_progress(knowledge)
        count = len(saved.answers) if saved else 0
        typer.echo(
            f"\nSaved: {plural(count, 'answer')} so far. Run `{command()} assess` to carry on.",
            err=True,
        )
        return
    except KeyboardInterrupt:
        typer.echo(
            f"\nInterrupted. Your answers are saved: run `{command()} assess` to resume.", err=True
        )
        raise typer.Exit(ExitCode.INTERRUPTED) from None
    assessment, path = session.finish(knowledge, assessment)
    report = build_report(knowledge, assessment, start.role, steps, hours_per_week)
    _finish(report, path, export)


def _finish(report: GapReport, saved: Path, export: Path | None) -> None:
    typer.echo()
    show_report(report, ReportFormat.text, None)
    if export is not None:
        from mlcareer.render import markdown

        write_output(export, markdown.report(report))
        typer.echo(f"Markdown report written to {export}", err=True)
    typer.echo(f"Assessment saved to {saved}", err=True)
