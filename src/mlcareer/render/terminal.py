"""Rich renderables for the terminal. Every piece of data goes in as `Text`, never as markup."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Sequence
from typing import IO, Any

from rich import box
from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from mlcareer.analysis import GapReport, Progress
from mlcareer.models import KnowledgeBase, Role, Skill, Step
from mlcareer.render.text import READINESS_NOTE, literal, one_line, salary_source


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


def plain_text(renderable: RenderableType, width: int = 80) -> str:
    """What `renderable` looks like piped: no colour, no control codes, no trailing blanks."""
    buffer = io.StringIO()
    Console(file=buffer, width=width, color_system=None, highlight=False, emoji=False).print(
        renderable
    )
    return "".join(line.rstrip() + "\n" for line in buffer.getvalue().splitlines())


def emit(renderable: RenderableType) -> None:
    """Print to stdout: styled in a terminal, plain text when piped or redirected."""
    if sys.stdout.isatty():
        console().print(renderable)
    else:
        sys.stdout.write(plain_text(renderable, _plain_width()))


def _plain_width() -> int:
    """Width for piped output: $COLUMNS when set, else 80."""
    try:
        return max(40, int(os.environ.get("COLUMNS", "80")))
    except ValueError:
        return 80


def t(text: str, style: str = "") -> Text:
    """Data shown literally: never parsed as markup, control characters made visible."""
    return Text(literal(text), style=style)


# Columns of ids, numbers and dates read badly when broken over lines: prose columns give way.
_UNBROKEN = {"id", "#", "kind", "weight", "hours", "you", "target", "gap", "from", "to", "rated"}


def _table(*columns: str, title: str | None = None) -> Table:
    table = Table(
        box=box.SIMPLE_HEAD, title=title, title_justify="left", pad_edge=False, show_edge=False
    )
    for column in columns:
        table.add_column(column, overflow="fold", no_wrap=column in _UNBROKEN)
    return table


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


def roadmap_table(kb: KnowledgeBase, steps: Sequence[Step]) -> Table:
    table = _table("#", "step", "after", "hours")
    number = {step.id: n for n, step in enumerate(steps, start=1)}
    for step in steps:
        cell = t(one_line(step.title), "bold")
        cell.append(f"  {literal(step.id)}", style="dim")
        if step.optional:
            cell.append(" (optional)", style="dim italic")
        cell.append("\ndevelops: ", style="dim")
        cell.append_text(t(", ".join(one_line(kb.skill[s].name) for s in step.skills)))
        after = ", ".join(str(number[r]) for r in step.requires) or "-"
        table.add_row(str(number[step.id]), cell, after, f"{step.effort_hours:g}")
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
    parts: list[RenderableType] = []
    head = t(r.role.name, "bold")
    head.append(f" · gap report · {r.day.isoformat()}", style="bold")
    parts.append(head)
    line = Text()
    line.append(
        f"Readiness {r.readiness:.1f}%", style="bold green" if r.readiness >= 75 else "bold"
    )
    kinds = [
        f"{name} {value:.1f}%"
        for name, value in (("hard skills", r.hard_readiness), ("soft skills", r.soft_readiness))
        if value is not None
    ]
    if kinds:
        line.append("  (" + " · ".join(kinds) + ")")
    parts.append(line)
    if r.role.salary is not None:
        salary = Text("Salary context: ", style="dim")
        salary.append_text(t(one_line(r.role.salary.text)))
        salary.append(f" ({salary_source(r.role.salary)})", style="dim")
        parts.append(salary)
    if r.unrated:
        count = len(r.unrated)
        parts.append(
            Text(f"{count} skill{'s' if count != 1 else ''} unrated: counted as 0.", style="yellow")
        )

    parts += [Text(), Text("Readiness by category", style="bold underline")]
    grid = Table.grid(padding=(0, 2))
    grid.add_column()
    grid.add_column(no_wrap=True)
    grid.add_column(justify="right", no_wrap=True)
    for c in r.categories:
        grid.add_row(t(one_line(c.category.name)), bar(c.readiness), f"{c.readiness:.0f}%")
    parts.append(grid)

    parts += [Text(), Text(f"Gaps, largest first ({len(r.gaps)})", style="bold underline")]
    if r.gaps:
        gaps = _table("skill", "you", "target", "gap", "weight")
        for g in r.gaps[:MAX_ROWS]:
            gaps.add_row(
                t(one_line(g.skill.name)),
                level_text(g.level),
                str(g.target),
                str(g.gap),
                f"{g.weight:g}",
            )
        parts.append(gaps)
        parts += _more(len(r.gaps), "gaps")
    else:
        parts.append(Text("None: you meet every target of this role."))

    if r.strengths:
        parts += [Text(), Text(f"Strengths ({len(r.strengths)})", style="bold underline")]
        shown = r.strengths[:MAX_ROWS]
        parts.append(
            t(", ".join(f"{one_line(s.skill.name)} ({s.level}/{s.target})" for s in shown))
        )
        parts += _more(len(r.strengths), "strengths")

    cal = r.calibration
    if cal.passed or cal.missed:
        parts += [Text(), Text("Calibration", style="bold underline")]
        parts.append(Text(f"Knowledge checks: {cal.passed} passed, {cal.missed} missed."))
        for miss in cal.misses:
            text = t(one_line(miss.skill.name), "bold")
            text.append(f" (rated {miss.level}): ")
            text.append_text(t(one_line(miss.outcome.prompt)))
            detail = Text("You chose: ")
            detail.append_text(t(one_line(miss.outcome.chosen)))
            if miss.explanation:
                detail.append("\n")
                detail.append_text(t(one_line(miss.explanation), "dim"))
            parts += [text, Padding(detail, (0, 0, 0, 2))]

    parts += [Text(), Text("Next steps", style="bold underline")]
    if not r.next_steps:
        parts.append(Text("No roadmap step is needed for this role."))
    names = {s.skill.id: one_line(s.skill.name) for s in r.skills}
    gaps_by_id = {s.skill.id: s.gap for s in r.skills}
    for n, nxt in enumerate(r.next_steps, start=1):
        text = Text(f"{n}. ", style="bold")
        text.append_text(t(one_line(nxt.step.title), "bold"))
        text.append(f"  ({nxt.step.effort_hours:g} h)")
        if nxt.step.optional:
            text.append(" optional: one route among others", style="italic")
        closes = ", ".join(f"{names[s]} +{gaps_by_id[s]}" for s in nxt.skills)
        detail = Text("Why: ", style="dim")
        detail.append_text(t(f"closes {closes} (weighted gap {nxt.closes:g})"))
        detail.append("\nYou will have: ", style="dim")
        detail.append_text(t(one_line(nxt.step.outcome)))
        if nxt.unlocks:
            detail.append("\nUnlocks: ", style="dim")
            detail.append_text(t(", ".join(one_line(u.title) for u in nxt.unlocks)))
        parts += [text, Padding(detail, (0, 0, 0, 3))]

    parts += [Text(), Text("Time to target", style="bold underline")]
    time_text = Text(f"About {r.time_to_target_hours:g} hours of roadmap steps")
    if r.weeks_to_target is not None:
        time_text.append(f", {r.weeks_to_target} weeks at {r.hours_per_week:g} h a week")
    time_text.append(" (optional steps not counted).", style="dim")
    parts.append(time_text)
    if r.plan:
        plan = _table("from", "to", "step", "hours")
        for item in r.plan[:MAX_ROWS]:
            plan.add_row(
                item.start.isoformat(),
                item.end.isoformat(),
                t(one_line(item.step.title)),
                f"{item.step.effort_hours:g}",
            )
        parts.append(plan)
        parts += _more(len(r.plan), "steps in the plan")

    parts += [Text(), Text(READINESS_NOTE, style="dim")]
    return Group(*parts)


def history_table(rows: Sequence[dict[str, Any]]) -> Table:
    table = _table("date", "role", "readiness", "rated", "file")
    for row in rows:
        readiness = "-" if row["readiness"] is None else f"{row['readiness']:.1f}%"
        when = str(row["date"] or "")[:16].replace("T", " ")
        if not row["finished"]:
            when += " (unfinished)"
        table.add_row(
            when,
            t(str(row["role"] or "-")),
            readiness,
            f"{row['rated']}/{row['total']}",
            t(os.path.basename(row["file"]), "dim"),
        )
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
    titles = {s.step.id: s.step.title for s in p.new.next_steps}
    parts.append(t(", ".join(titles.get(s, s) for s in p.steps_done) or "None."))
    return Group(*parts)
