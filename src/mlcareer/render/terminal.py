"""Rich renderables for the terminal. Every piece of data goes in as `Text`, never as markup."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Mapping, Sequence
from typing import IO, Any

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from mlcareer.analysis import GapReport, Progress
from mlcareer.models import KnowledgeBase, Role, Skill, Step
from mlcareer.render.fit import FitTable
from mlcareer.render.text import (
    COMPARABILITY_NOTE,
    READINESS_NOTE,
    VERDICTS,
    coverage_note,
    covers_text,
    effort,
    hours,
    literal,
    one_line,
    raises_text,
    salary_source,
    scale_legend,
    time_note,
)


def console(file: IO[str] | None = None) -> Console:
    """A console that writes plain text (no colour, no control codes) unless it is a terminal."""
    stream = file if file is not None else sys.stdout
    tty = stream.isatty()
    return Console(
        file=stream,
        highlight=False,
        emoji=False,
        markup=False,
        force_terminal=tty,
        no_color=not tty or "NO_COLOR" in os.environ,
        color_system="auto" if tty else None,
        width=None if tty else _plain_width(),
    )


class _Buffer(io.StringIO):
    """Text rendered for a stream of this encoding: rich draws ASCII boxes unless it is UTF."""

    def __init__(self, encoding: str) -> None:
        super().__init__()
        self._encoding = encoding

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self._encoding


def plain_text(renderable: RenderableType, width: int = 80, encoding: str = "utf-8") -> str:
    """What `renderable` looks like piped: no colour, no control codes, no trailing blanks.

    `encoding`: of the stream it is for; mlcareer's own glyphs that it lacks are replaced when
    written (`cli.stdio`)."""
    buffer = _Buffer(encoding)
    Console(file=buffer, width=width, color_system=None, highlight=False, emoji=False).print(
        renderable, crop=False
    )
    return "".join(line.rstrip() + "\n" for line in buffer.getvalue().splitlines())


def emit(renderable: RenderableType) -> None:
    """Print to stdout: styled in a terminal, plain text when piped or redirected."""
    if sys.stdout.isatty():
        console().print(renderable, crop=False)  # see render.fit.Whole
    else:
        encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
        sys.stdout.write(plain_text(renderable, _plain_width(), encoding))


def _plain_width() -> int:
    """Width for piped output: $COLUMNS when set, else 80."""
    try:
        return max(40, int(os.environ.get("COLUMNS", "80")))
    except ValueError:
        return 80


def t(text: str, style: str = "") -> Text:
    """Data shown literally: never parsed as markup, control characters made visible."""
    return Text(literal(text), style=style)


# Columns of ids, numbers and dates read badly when broken over lines: prose columns give way,
# and when even that cannot fit, the row is stacked with these as `header value` pairs.
_UNBROKEN = {
    "id",
    "#",
    "kind",
    "weight",
    "hours",
    "you",
    "target",
    "gap",
    "from",
    "to",
    "rated",
    "status",
    "after",
    "date",
    "readiness",
    "before",
    "now",
    "change",
}


def _table(*columns: str, title: str | None = None) -> FitTable:
    return FitTable(*columns, compact=_UNBROKEN & set(columns), title=title)


def skills_table(kb: KnowledgeBase, skills: Sequence[Skill]) -> Table:
    table = _table("id", "skill", "kind", "category", "weight")
    for skill in skills:
        category = kb.category[skill.category].name
        weight = f"{skill.weight:g}"
        table.add_row(
            t(skill.id, "bold"), t(one_line(skill.name)), skill.kind, t(one_line(category)), weight
        )
    return table


def roles_view(roles: Sequence[Role]) -> Group:
    """Each role as a short block: summaries and salary context are prose, not table cells."""
    parts: list[RenderableType] = []
    for role in roles:
        targeted = sum(1 for level in role.targets.values() if level > 0)
        head = t(one_line(role.name), "bold")
        head.append(f"  {literal(role.id)} · {targeted} skills targeted", style="dim")
        body = t(one_line(role.summary))
        if role.salary is not None:
            body.append("\nSalary: ", style="bold")
            body.append_text(t(one_line(role.salary.text)))
            body.append(f" ({salary_source(role.salary)})", style="dim")
        parts += [head, Padding(body, (0, 0, 1, 2))]
    return Group(*parts)


def step_hours(step: Step) -> str:
    if step.kind == "habit":
        return f"{step.hours_per_week or 0:g}/wk"
    return f"{step.hours:g}" if step.estimated else "?"


def roadmap_table(
    kb: KnowledgeBase, steps: Sequence[Step], status: Mapping[str, str] | None = None
) -> Table:
    """The roadmap in prerequisite order; with `status`, each step's for the latest assessment."""
    columns = ("#", "step", "after", "hours", *(("status",) if status else ()))
    table = _table(*columns)
    number = {step.id: n for n, step in enumerate(steps, start=1)}
    for step in steps:
        cell = t(one_line(step.title), "bold")
        cell.append(f"  {literal(step.id)}", style="dim")
        if step.kind != "step":
            cell.append(f" ({step.kind})", style="dim italic")
        cell.append("\ndevelops: ", style="dim")
        develops = (f"{one_line(kb.skill[s].name)} {n}" for s, n in step.develops.items())
        cell.append_text(t(", ".join(develops)))
        after = ", ".join(str(number[r]) for r in step.requires) or "-"
        row: list[RenderableType] = [str(number[step.id]), cell, after, step_hours(step)]
        if status:
            row.append(status.get(step.id, ""))
        table.add_row(*row)
    return table


# The gap report ----------------------------------------------------------------------------------

BAR_WIDTH = 20
MAX_ROWS = 25  # a terminal shows the top of each list; Markdown and JSON have all of it


def _more(count: int, what: str) -> list[RenderableType]:
    if count <= MAX_ROWS:
        return []
    return [Text(f"… and {count - MAX_ROWS} more {what}: --format markdown lists them all.", "dim")]


def bar(percent: float, width: int = BAR_WIDTH) -> str:
    filled = round(percent / 100 * width)
    return "█" * filled + "░" * (width - filled)


def level_text(level: int | None) -> str:
    return "unrated" if level is None else str(level)


def report(r: GapReport) -> Group:
    """The whole gap report: headline, categories, gaps, checks, plan."""
    return Group(
        *_headline(r),
        *_categories(r),
        *_gaps(r),
        *_calibration(r),
        *_next_steps(r),
        *_other_routes(r),
        *_time(r),
        Text(),
        Text(READINESS_NOTE, style="dim"),
    )


def _heading(title: str) -> list[RenderableType]:
    return [Text(), Text(title, style="bold underline")]


def _headline(r: GapReport) -> list[RenderableType]:
    parts: list[RenderableType] = []
    head = t(r.role.name, "bold")
    head.append(f" · gap report · {r.day.isoformat()}", style="bold")
    parts.append(head)
    line = Text()
    line.append(
        f"Readiness {r.readiness:.1f}%", style="bold green" if r.readiness >= 75 else "bold"
    )
    if r.calibration.verdicts:
        line.append(" self-rated · ")
        line.append(f"{r.checked_readiness:.1f}% checked", style="bold")
    else:
        line.append(" self-rated (no knowledge check taken)")
    parts.append(line)
    kinds = [
        f"{name} {value:.1f}%"
        for name, value in (("hard skills", r.hard_readiness), ("soft skills", r.soft_readiness))
        if value is not None
    ]
    if kinds:
        parts.append(Text("Self-rated: " + " · ".join(kinds), style="dim"))
    if r.role.salary is not None:
        salary = Text("Salary context: ", style="dim")
        salary.append_text(t(one_line(r.role.salary.text)))
        salary.append(f" ({salary_source(r.role.salary)})", style="dim")
        parts.append(salary)
    note = coverage_note(r)
    if note:
        parts.append(Text(note, style="yellow"))
    if r.unrated:
        count = len(r.unrated)
        parts.append(
            Text(f"{count} skill{'s' if count != 1 else ''} unrated: counted as 0.", style="yellow")
        )
    return parts


class _Bars:
    """Readiness bars per category: the bars give way before a category name is cut."""

    def __init__(self, rows: Sequence[tuple[str, float]]) -> None:
        self.rows = rows

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        words = [len(word) for name, _ in self.rows for word in name.split()]
        room = options.max_width - max(words, default=0) - 4 - 2 * 2  # "100%" and two gaps
        width = max(5, min(BAR_WIDTH, room))
        grid = Table.grid(padding=(0, 2))
        grid.add_column()
        grid.add_column(no_wrap=True)
        grid.add_column(justify="right", no_wrap=True)
        for name, readiness in self.rows:
            grid.add_row(t(name), bar(readiness, width), f"{readiness:.0f}%")
        yield grid


def _categories(r: GapReport) -> list[RenderableType]:
    rows = [(one_line(c.category.name), c.readiness) for c in r.categories]
    return [*_heading("Readiness by category"), _Bars(rows)]


def _gaps(r: GapReport) -> list[RenderableType]:
    parts = _heading(f"Gaps, largest first ({len(r.gaps)})")
    if r.gaps:
        gaps = _table("skill", "you", "target", "gap", "weight")
        for g in r.gaps[:MAX_ROWS]:
            you = level_text(g.level)
            if g.verdict == "not_confirmed":
                you += f"→{g.checked_level}"
            gaps.add_row(t(one_line(g.skill.name)), you, str(g.target), str(g.gap), f"{g.weight:g}")
        parts.append(gaps)
        parts += _more(len(r.gaps), "gaps")
        if any(g.verdict == "not_confirmed" for g in r.gaps):
            parts.append(Text("3→2: rated 3, not confirmed by the checks.", style="dim"))
        parts.append(t(scale_legend(r), "dim"))
    else:
        parts.append(Text("None: you meet every target of this role."))
    if r.strengths:
        parts += _heading(f"Strengths ({len(r.strengths)})")
        shown = r.strengths[:MAX_ROWS]
        parts.append(
            t(", ".join(f"{one_line(s.skill.name)} ({s.level}/{s.target})" for s in shown))
        )
        parts += _more(len(r.strengths), "strengths")
    return parts


def _calibration(r: GapReport) -> list[RenderableType]:
    cal = r.calibration
    checked = [s for s in r.skills if s.evidence is not None]
    if not checked:
        return []
    parts = _heading("Knowledge checks")
    counts = ", ".join(f"{n} {VERDICTS[v]}" for v, n in cal.verdicts.items())
    parts.append(
        Text(f"{cal.passed} right, {cal.missed} wrong, {cal.skipped} skipped. Skills: {counts}.")
    )
    for s in checked:
        if s.verdict == "confirmed":
            continue
        text = t(one_line(s.skill.name), "bold")
        text.append(f": rated {s.level}, {VERDICTS[s.verdict or '']}")
        if s.verdict == "not_confirmed":
            text.append(f", counted as {s.checked_level}")
        parts.append(text)
    for miss in cal.misses:
        text = Text("✗ ", style="red")
        text.append_text(t(one_line(miss.outcome.prompt)))
        parts.append(Padding(text, (0, 0, 0, 2)))
        detail = Text("You chose: ")
        detail.append_text(t(one_line(miss.outcome.chosen or "")))
        if miss.outcome.answer:
            detail.append("\nRight answer: ")
            detail.append_text(t(one_line(miss.outcome.answer), "bold"))
        if miss.explanation:
            detail.append("\n")
            detail.append_text(t(one_line(miss.explanation), "dim"))
        parts.append(Padding(detail, (0, 0, 0, 4)))
    return parts


def _next_steps(r: GapReport) -> list[RenderableType]:
    parts = _heading("Next steps")
    if not r.next_steps:
        parts.append(Text("No roadmap step is needed for this role."))
    names = {s.skill.id: one_line(s.skill.name) for s in r.skills}
    unconfirmed = {s.skill.id for s in r.unconfirmed}
    steps = Table.grid(padding=(0, 1))  # a wrapped title hangs under itself, not the number
    steps.add_column(justify="right", style="bold", no_wrap=True)
    steps.add_column()
    for n, nxt in enumerate(r.next_steps, start=1):
        text = t(one_line(nxt.step.title), "bold")
        text.append(f"  ({effort(nxt.step, nxt.hours)})")
        detail = Text("\nRaises: ", style="dim")
        detail.append_text(t(raises_text(nxt, names) or "nothing itself; it opens the way"))
        back = [names[s] for s in nxt.skills if s in unconfirmed]
        if back:
            detail.append("\nBack because a check did not confirm: ", style="dim")
            detail.append_text(t(", ".join(back)))
        detail.append("\nOutcome: ", style="dim")
        detail.append_text(t(one_line(nxt.step.outcome)))
        if nxt.unlocks:
            detail.append("\nUnlocks: ", style="dim")
            detail.append_text(t(", ".join(one_line(u.title) for u in nxt.unlocks)))
        steps.add_row(f"{n}.", Text.assemble(text, detail))
    return [*parts, steps] if r.next_steps else parts


def _bullets(rows: list[Text]) -> Table:
    """A list whose wrapped lines hang under their text, not under the bullet."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column()
    for row in rows:
        grid.add_row("•", row)
    return grid


def _other_routes(r: GapReport) -> list[RenderableType]:
    parts: list[RenderableType] = []
    if r.roadmap.routes:
        rows = []
        for route in r.roadmap.routes:
            text = t(one_line(route.step.title))
            text.append(f" ({effort(route.step, route.hours)}) covers {covers_text(route)}")
            rows.append(text)
        parts += [*_heading("Other routes"), _bullets(rows)]
    if r.roadmap.habits:
        rows = []
        for habit in r.roadmap.habits:
            text = t(one_line(habit.title))
            text.append(f" (about {habit.hours_per_week or 0:g} h a week)")
            rows.append(text)
        parts += [*_heading("Keep doing"), _bullets(rows)]
    return parts


def _time(r: GapReport) -> list[RenderableType]:
    parts = _heading("Time to target")
    if not r.roadmap.needed and not r.roadmap.not_covered:
        return [*parts, Text("None: no roadmap step stands between you and this role.")]
    time_text = Text(f"About {hours(r.time_to_target_hours)} of roadmap steps")
    if r.weeks_to_target is not None:
        time_text.append(f", {r.weeks_to_target} weeks at {r.hours_per_week:g} h a week")
    time_text.append(".")
    parts += [time_text, Text(time_note(r), style="dim")]
    names = {s.skill.id: one_line(s.skill.name) for s in r.skills}
    if r.roadmap.not_covered:
        missing = ", ".join(names.get(s, s) for s in r.roadmap.not_covered)
        parts.append(t(f"Not covered by the roadmap: {missing}.", "yellow"))
    if r.roadmap.rerate:
        marked = ", ".join(one_line(s.title) for s in r.roadmap.rerate)
        message = f"Marked done, your levels still below them: {marked}. Re-rate with `assess`."
        parts.append(t(message, "yellow"))
    if r.plan:
        plan = _table("from", "to", "step", "hours")
        for item in r.plan[:MAX_ROWS]:
            plan.add_row(
                item.start.isoformat(),
                item.end.isoformat(),
                t(one_line(item.step.title)),
                f"{item.hours:,.0f}",
            )
        parts.append(plan)
        parts += _more(len(r.plan), "steps in the plan")
    return parts


def history_table(rows: Sequence[dict[str, Any]]) -> Table:
    table = _table("#", "date", "role", "readiness", "rated")
    for row in rows:
        readiness = "-" if row["readiness"] is None else f"{row['readiness']:.1f}%"
        if row.get("quick"):
            readiness += " quick"  # over the skills asked: not comparable with a full one
        # The date and role are as the file has them: shown literally, on one line.
        when = literal(str(row["date"] or "")[:16].replace("T", " "), lines=False)
        if not row["finished"]:
            when += " (unfinished)"
        short = "-" if row.get("id") is None else str(row["id"])  # `report 7`; JSON has the file
        role = literal(str(row["role"] or "-"), lines=False)
        table.add_row(short, Text(when), Text(role), readiness, f"{row['rated']}/{row['total']}")
    return table


def progress(p: Progress) -> Group:
    parts: list[RenderableType] = []
    head = t(p.role.name, "bold")
    head.append(" · progress", style="bold")
    parts.append(head)
    sign = "+" if p.change >= 0 else ""
    parts.append(
        Text(
            f"Readiness {p.old.readiness:.1f}% → {p.new.readiness:.1f}% ({sign}{p.change:.1f})",
            style="bold",
        )
    )
    if not p.comparable:
        parts.append(Text(COMPARABILITY_NOTE, style="yellow"))
    parts += [Text(), Text(f"Skills that moved ({len(p.moves)})", style="bold underline")]
    if p.moves:
        moves = _table("skill", "before", "now", "change")
        for m in p.moves:
            delta = (m.new or 0) - (m.old or 0)
            moves.add_row(
                t(one_line(m.skill.name)), level_text(m.old), level_text(m.new), f"{delta:+d}"
            )
        parts.append(moves)
    else:
        parts.append(Text("No rating changed."))
    parts += [Text(), Text(f"Steps completed since ({len(p.steps_done)})", style="bold underline")]
    parts.append(t(", ".join(p.steps_done) or "None."))
    return Group(*parts)
