"""Reports written to files: the options that name them, the check that none is an input, the
format from the extension, the radar SVG beside a Markdown file, the earlier assessment the
radar draws dashed, and the calendar of the dated plan."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NamedTuple

import typer

from mlcareer.cli.common import ReportFormat, say, write_output
from mlcareer.files import Input, Output, check_outputs, stream

if TYPE_CHECKING:
    from mlcareer.analysis import GapReport
    from mlcareer.models import Assessment, KnowledgeBase, Role

EXTENSIONS = {".md": ReportFormat.markdown, ".html": ReportFormat.html, ".json": ReportFormat.json}
CHART_READ = 1024  # bytes read from an existing SVG to find mlcareer's marker

# `parser=Output` keeps the path as typed: `-` for stdout, and `dir/` (which Path makes `dir`).
OutputOption = Annotated[
    Output | None,
    typer.Option(
        "--output",
        "-o",
        parser=Output,
        metavar="<file>",
        help="Write to this file instead of the terminal (- for stdout).",
        show_default=False,
    ),
]
NoChartOption = Annotated[
    bool,
    typer.Option(
        "--no-chart", help="Markdown to a file: do not write the radar chart as FILE.svg beside it."
    ),
]
IcsOption = Annotated[
    Output | None,
    typer.Option(
        "--ics",
        parser=Output,
        metavar="<file>",
        help="Also write the dated plan as an iCalendar file, - for stdout (needs "
        "--hours-per-week).",
        show_default=False,
    ),
]


def export_path(path: Output | None) -> Output | None:
    """Option callback: refuse an extension that names no format before any question is asked."""
    if path is not None and stream(path) == 1:
        raise typer.BadParameter(
            "assess prints the report already; `mlcareer report -f markdown` (or html, json) "
            "prints it in another format"
        )
    if path is not None and path.path.suffix.lower() not in EXTENSIONS:
        raise typer.BadParameter(
            f"{path.path.name}: the format follows the extension, one of .md, .html or .json"
        )
    return path


def check_calendar(
    ics: Output | None, hours_per_week: float | None, output: Output | None = None
) -> None:
    if ics is not None and hours_per_week is None:
        raise typer.BadParameter(
            "needs --hours-per-week H as well: the calendar holds the dated plan",
            param_hint="'--ics'",
        )
    if ics is not None and stream(ics) == 1 and (output is None or stream(output) == 1):
        raise typer.BadParameter(
            "the report goes to stdout as well: give -o FILE for it, or a file for --ics",
            param_hint="'--ics'",
        )


def refuse_inputs(
    knowledge: KnowledgeBase,
    outputs: Mapping[str, Output | None],
    files: Iterable[Path | None] = (),
) -> None:
    """Stop before anything is asked or written when an output is a folder, in a folder that
    does not exist, or the same file as an input: a file the command reads (`files`, a folder
    among them standing for the assessment files in it), the knowledge base, or mlcareer's own
    files in the data folder. `outputs`: option -> output, the option as the message says it."""
    given = [(option, out) for option, out in outputs.items() if out is not None]
    if not given:
        return
    from mlcareer import store
    from mlcareer.kb import ROADMAP_FILE, SKILLS_FILE, default_dir

    named = [p for p in files if p is not None]
    inputs = [Input(p) for p in named if not p.is_dir()]
    for folder in (p for p in named if p.is_dir()):
        inputs += [Input(p) for p in _assessment_files(folder, store.ASSESSMENT_SUFFIXES)]
    kb = Path(knowledge.origin) if knowledge.origin else default_dir()
    for name in (SKILLS_FILE, ROADMAP_FILE):
        inputs.append(Input(kb / name, f"the knowledge base file {kb / name}"))
    inputs += data_inputs()
    check_outputs(given, inputs)


def data_inputs() -> list[Input]:
    """The data folder's own files: an output there would replace a quiz or an assessment, or
    be read as one next time."""
    from mlcareer import store
    from mlcareer.files import home

    base = home()
    return [
        Input(base / store.IN_PROGRESS, "mlcareer's quiz in progress"),
        Input(base / store.LOCK, "mlcareer's quiz lock"),
        Input(base / store.HISTORY, "mlcareer's history", folder=True),
        Input(base / store.MARKS, "mlcareer's marked steps", folder=True),
    ]


def _assessment_files(folder: Path, suffixes: tuple[str, ...]) -> list[Path]:
    try:
        return [p for p in folder.iterdir() if p.suffix.lower() in suffixes]
    except OSError:
        return []  # reading it fails later, with the reason


def chart_of(output: Output | None, markdown: bool) -> Output | None:
    """The SVG a Markdown report written to `output` gets beside it, for `refuse_inputs`."""
    if output is None or not markdown or stream(output) is not None:
        return None
    target = output.path.with_suffix(".svg")
    return None if target == output.path else Output(str(target))


def exports(export: Output | None, chart: bool) -> dict[str, Output | None]:
    """What `assess --export FILE` writes: FILE, and FILE.svg beside a Markdown one."""
    markdown = chart and export is not None and export.path.suffix.lower() == ".md"
    return {"--export": export, "the chart": chart_of(export, markdown)}


def deliver(output: Output, text: str, what: str) -> None:
    """Write `text` and say so on stderr; to stdout without a word."""
    write_output(output, text)
    if stream(output) != 1:
        say(f"{what} written to {output}", err=True)


def previous_report(
    knowledge: KnowledgeBase, role: Role, assessment: Assessment, path: Path | None, steps: int
) -> GapReport | None:
    """The report of the finished assessment of `role` before this one, dated the day it was
    finished; None when there is none."""
    from mlcareer import history
    from mlcareer.analysis import analyse

    earlier = history.previous(knowledge, role.id, assessment, path)
    if earlier is None:
        return None
    try:
        day = date.fromisoformat((earlier.finished or "")[:10])
    except ValueError:
        day = None
    return analyse(knowledge, earlier, role, steps=steps, today=day)


def _ours(path: Path) -> bool:
    from mlcareer.render.svg import MARKER

    try:
        with path.open("rb") as handle:
            return MARKER.encode() in handle.read(CHART_READ)
    except OSError:
        return False


class Chart(NamedTuple):
    """The radar SVG to write beside a Markdown report, once the report is written."""

    path: Path
    text: str

    @property
    def link(self) -> str:
        return self.path.name


def chart_beside(report: GapReport, previous: GapReport | None, output: Path) -> Chart | None:
    """The radar to write as OUTPUT.svg, or None when it is not written: OUTPUT is not a regular
    file (a pipe, /dev/stdout), or an OUTPUT.svg exists that mlcareer did not write (a person's
    own file is never overwritten)."""
    from mlcareer.radar import radar
    from mlcareer.render import svg

    target = output.with_suffix(".svg")
    if stream(output) is not None or (output.exists() and not output.is_file()) or target == output:
        return None
    if target.exists() or target.is_symlink():
        if target.is_symlink() or not target.is_file() or not _ours(target):
            say(
                f"note: {target} was not written by mlcareer: it is left as it is and the "
                "report has no chart (--no-chart skips the chart)",
                err=True,
            )
            return None
    chart = radar(report, previous)
    if not chart.axes:
        return None
    return Chart(target, svg.chart(chart, f"{report.role.name}: levels by category"))


def write_chart(chart: Chart) -> None:
    write_output(chart.path, chart.text)


def write_export(
    report: GapReport, path: Output, previous: GapReport | None = None, chart: bool = True
) -> None:
    """`assess --export FILE`: the report in the format its extension names."""
    from mlcareer.cli.common import render_report

    fmt = EXTENSIONS[path.path.suffix.lower()]
    drawn = None
    if chart and fmt is ReportFormat.markdown:
        drawn = chart_beside(report, previous, path.path)
    text = render_report(report, fmt, previous, drawn.link if drawn else None) or ""
    label = {ReportFormat.markdown: "Markdown", ReportFormat.html: "HTML"}.get(fmt, "JSON")
    deliver(path, text, f"{label} report")
    if drawn is not None:
        write_chart(drawn)


def write_calendar(report: GapReport, path: Output) -> None:
    from mlcareer.render import ics

    if not report.plan:
        say(f"No roadmap step is needed: no calendar, {path} not written", err=True)
        return
    count = len(report.plan)
    deliver(path, ics.calendar(report), f"Calendar of {count} step{'s' if count != 1 else ''}")
