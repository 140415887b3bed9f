"""`mlcareer team`: several people's assessments against one role, for a mentor."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from mlcareer.cli.common import (
    KbOption,
    ReportFormat,
    ReportFormatOption,
    find_role,
    friendly,
    json_text,
    load_kb,
    say,
    warn_ignored,
)
from mlcareer.cli.export import OutputOption, deliver, refuse_inputs
from mlcareer.errors import UsageError

if TYPE_CHECKING:
    from mlcareer.errors import Problem
    from mlcareer.team import TeamReport


@friendly
def team(
    paths: Annotated[
        list[Path],
        typer.Argument(
            metavar="PATH",
            help="Saved assessments or answers files, or folders of them (.json, .yaml, .yml).",
            show_default=False,
        ),
    ],
    role: Annotated[
        str,
        typer.Option(
            "--role", "-r", help="Target role id (see `mlcareer roles`).", show_default=False
        ),
    ],
    fmt: ReportFormatOption = ReportFormat.text,
    output: OutputOption = None,
    kb: KbOption = None,
) -> None:
    """Show a group's readiness by category, and who could help whom.

    Each person is named by the `name` in their file (`assess --name`), else by the file name.
    Levels only: check answers are never shown. A file that cannot be read is named on stderr
    and the others still count.
    """
    from mlcareer import store
    from mlcareer.kb import shown_path
    from mlcareer.models import Assessment
    from mlcareer.render.text import literal
    from mlcareer.team import team as build

    knowledge = load_kb(kb)
    chosen = find_role(knowledge, role, Assessment())
    refuse_inputs(knowledge, {"-o": output}, paths)
    people, problems, ignored = store.read_many(paths, knowledge)
    for problem in problems:
        say(f"skipped: {literal(str(problem))}", err=True)
    warn_ignored(ignored)
    if not people:
        raise UsageError("no assessment could be read: nothing to show")
    named = [(a.name or p.stem, shown_path(p), a) for p, a in people]
    # A terminal's width (or $COLUMNS) on stdout; a file is read elsewhere, at any width.
    line_width = 80 if output is not None else max(20, shutil.get_terminal_size().columns)
    text = _render(build(knowledge, chosen, named), fmt, problems, line_width)
    if output is None:
        sys.stdout.write(text)
    else:
        deliver(output, text, "Team report")


def _render(result: TeamReport, fmt: ReportFormat, problems: list[Problem], line_width: int) -> str:
    from mlcareer.render import team as render

    if fmt is ReportFormat.json:
        data = render.json(result, problems)
        return json_text(data)  # strict, terminal-safe
    if fmt is ReportFormat.markdown:
        return render.markdown(result)
    if fmt is ReportFormat.html:
        from mlcareer.render import html

        return html.team(result)
    return render.text(result, line_width)
