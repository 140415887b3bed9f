"""Reports on saved assessments: `mlcareer report`, `history` and `progress`."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from mlcareer.cli import complete
from mlcareer.cli.common import (
    Format,
    FormatOption,
    HoursOption,
    KbOption,
    NoPagerOption,
    ReportFormat,
    ReportFormatOption,
    RoleOption,
    StepsOption,
    build_report,
    find_role,
    friendly,
    json_text,
    load_kb,
    plural,
    print_json,
    say,
    show,
    show_report,
    warn,
    warn_ignored,
)
from mlcareer.cli.export import (
    IcsOption,
    NoChartOption,
    OutputOption,
    chart_of,
    check_calendar,
    deliver,
    previous_report,
    refuse_inputs,
    write_calendar,
)
from mlcareer.errors import UsageError

if TYPE_CHECKING:
    from mlcareer.analysis import Progress
    from mlcareer.history import Unreadable
    from mlcareer.models import Assessment, KnowledgeBase


@friendly
def report(
    assessment_file: Annotated[
        Path | None,
        typer.Argument(
            metavar="ASSESSMENT",
            help="A saved assessment or answers file, or the number `history` shows. "
            "[default: your latest assessment]",
            autocompletion=complete.assessments,
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    role: RoleOption = None,
    fmt: ReportFormatOption = ReportFormat.text,
    output: OutputOption = None,
    steps: StepsOption = 3,
    hours_per_week: HoursOption = None,
    no_chart: NoChartOption = False,
    ics: IcsOption = None,
    no_pager: NoPagerOption = False,
    kb: KbOption = None,
) -> None:
    """Show the gap report of an assessment.

    Readiness, ranked gaps, calibration and the next roadmap steps, as text, Markdown, HTML
    (with a radar chart) or JSON. Markdown written to FILE.md gets the chart as FILE.svg.
    """
    from mlcareer import history, store

    check_calendar(ics, hours_per_week, output)
    knowledge = load_kb(kb)
    marked: tuple[str, ...] = ()
    if assessment_file is None:
        source, assessment = _latest(knowledge)
        marked = store.read_marks(knowledge)  # your own assessment: your marks apply
    else:
        source = history.find(assessment_file)
        assessment = _read(source, knowledge)
    chart = chart_of(output, fmt is ReportFormat.markdown and not no_chart)
    refuse_inputs(knowledge, {"-o": output, "--ics": ics, "the chart": chart}, [source])
    chosen = find_role(knowledge, role, assessment)
    built = build_report(knowledge, assessment, chosen, steps, hours_per_week, marked)
    charted = fmt is ReportFormat.html or chart is not None
    previous = previous_report(knowledge, chosen, assessment, source, steps) if charted else None
    show_report(built, fmt, output, previous, chart=not no_chart, paged=not no_pager)
    if ics is not None:
        write_calendar(built, ics)


def _read(path: Path, knowledge: KnowledgeBase) -> Assessment:
    """A saved assessment or answers file; ids this KB does not have are left out, with a
    warning naming them."""
    from mlcareer import store
    from mlcareer.kb import shown_path

    assessment, ignored = store.load(path, knowledge, shown_path(path))
    warn_ignored(ignored)
    return assessment


def _warn_hidden(hidden: Sequence[Unreadable]) -> None:
    for file in hidden:
        warn(f"{file.path} cannot be read ({file.reason}); it may be a later assessment")


def _latest(knowledge: KnowledgeBase) -> tuple[Path, Assessment]:
    from mlcareer import history

    entry, hidden = history.latest(knowledge)
    _warn_hidden(hidden)
    warn_ignored(entry.ignored)
    return entry.path, entry.assessment


@friendly
def history(fmt: FormatOption = Format.text, kb: KbOption = None) -> None:
    """List your saved assessments."""
    from mlcareer import history, store
    from mlcareer.analysis import analyse, rated

    knowledge = load_kb(kb)
    found = history.scan(knowledge)
    rows: list[dict[str, Any]] = []
    for entry in found.entries:
        path, assessment = entry.path, entry.assessment
        role = knowledge.role.get(assessment.role or "")
        done, total = rated(knowledge, role, assessment) if role else (len(assessment.answers), 0)
        rows.append(
            {
                "id": store.number(path),
                "file": str(path),
                "date": assessment.finished or assessment.updated or assessment.started,
                "finished": assessment.finished is not None,
                "role": assessment.role,
                "readiness": round(analyse(knowledge, assessment, role).readiness, 1)
                if role
                else None,
                "rated": done,
                "total": total,
                "quick": assessment.quick,
                "problem": None,
            }
        )
    blank = dict.fromkeys(("date", "role", "readiness", "rated", "total", "quick"))
    unreadable = [
        {"id": u.number, "file": str(u.path), **blank, "finished": False, "problem": u.reason}
        for u in found.unreadable
    ]
    if fmt is Format.json:
        print_json(rows + unreadable)
        return
    waiting = store.has_progress()
    if not rows and not unreadable:
        say("No assessments yet: run `mlcareer assess`.")
    if rows:
        from mlcareer.render.terminal import history_table

        show(history_table(rows))
    _list_unreadable(found.unreadable)
    if waiting:
        say("A quiz is in progress: `mlcareer assess` carries on where you stopped.")


def _list_unreadable(unreadable: Sequence[Unreadable]) -> None:
    """History never hides a file: one that cannot be read is listed with the reason."""
    from mlcareer.render.text import literal

    if not unreadable:
        return
    say(f"\n{plural(len(unreadable), 'file')} in history cannot be read:")
    for u in unreadable:
        short = "-" if u.number is None else str(u.number)
        typer.echo(f"{short:>4}  {literal(u.path.name)}: {literal(u.reason)}")


@friendly
def progress(
    old: Annotated[
        Path | None,
        typer.Argument(
            help="The earlier assessment: a file or its number in `history`. "
            "[default: the one before the latest]",
            autocompletion=complete.assessments,
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    new: Annotated[
        Path | None,
        typer.Argument(
            help="The later assessment: a file or its number. [default: the latest]",
            autocompletion=complete.assessments,
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    role: RoleOption = None,
    fmt: ReportFormatOption = ReportFormat.text,
    output: OutputOption = None,
    kb: KbOption = None,
) -> None:
    """Show what changed between two assessments."""
    from mlcareer import history
    from mlcareer.analysis import compare

    knowledge = load_kb(kb)
    if old is not None and new is not None:
        old, new = history.find(old), history.find(new)
        before, after = _read(old, knowledge), _read(new, knowledge)
    elif old is None and new is None:
        found = history.scan(knowledge)
        finished = found.finished()
        if len(finished) < 2:
            raise UsageError("progress needs two finished assessments; run `mlcareer assess` again")
        _warn_hidden(found.newer_unreadable(finished[-2].path))
        warn_ignored([*finished[-2].ignored, *finished[-1].ignored])
        before, after = finished[-2].assessment, finished[-1].assessment
    else:
        raise UsageError("give both OLD and NEW, or neither to compare your last two assessments")
    refuse_inputs(knowledge, {"-o": output}, [old, new])
    chosen = find_role(knowledge, role, after)
    change = compare(knowledge, before, after, chosen)
    if output is not None and fmt is ReportFormat.text:
        from mlcareer.render.terminal import plain_text
        from mlcareer.render.terminal import progress as terminal_progress

        deliver(output, plain_text(terminal_progress(change)), "Progress report")
    elif output is not None:
        deliver(output, _progress_text(knowledge, change, fmt), "Progress report")
    elif fmt is ReportFormat.json:
        from mlcareer.render import json as json_render

        print_json(json_render.progress(change))
    elif fmt is ReportFormat.text:
        from mlcareer.render.terminal import progress as terminal_progress

        show(terminal_progress(change))
    else:
        sys.stdout.write(_progress_text(knowledge, change, fmt))


def _progress_text(knowledge: KnowledgeBase, change: Progress, fmt: ReportFormat) -> str:
    """Markdown, HTML or JSON (not text, which rich renders)."""
    if fmt is ReportFormat.markdown:
        from mlcareer.render import markdown

        return markdown.progress(change)
    if fmt is ReportFormat.html:
        from mlcareer.radar import progress_radar
        from mlcareer.render import html

        titles = {s.id: s.title for s in knowledge.steps}
        return html.progress(change, progress_radar(change), titles)
    from mlcareer.render import json as json_render

    return json_text(json_render.progress(change))
