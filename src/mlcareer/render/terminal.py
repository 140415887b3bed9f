"""Rich renderables for the terminal. Every piece of data goes in as `Text`, never as markup."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import IO

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from mlcareer.models import KnowledgeBase, Role, Skill, Step
from mlcareer.render.text import literal, one_line


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


def _plain_width() -> int:
    """Width for piped output: $COLUMNS when set, else 80."""
    try:
        return max(40, int(os.environ.get("COLUMNS", "80")))
    except ValueError:
        return 80


def t(text: str, style: str = "") -> Text:
    """Data shown literally: never parsed as markup, control characters made visible."""
    return Text(literal(text), style=style)


def _table(*columns: str, title: str | None = None) -> Table:
    table = Table(box=box.SIMPLE_HEAD, title=title, title_justify="left", pad_edge=False)
    for column in columns:
        table.add_column(column, overflow="fold")
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


def roles_table(kb: KnowledgeBase, roles: Sequence[Role]) -> Table:
    table = _table("id", "role", "skills", "salary context")
    for role in roles:
        targeted = sum(1 for level in role.targets.values() if level > 0)
        salary = Text()
        if role.salary is not None:
            salary = t(one_line(role.salary.text))
            salary.append(f" ({one_line(role.salary.source)}, {role.salary.year})", style="dim")
        table.add_row(t(role.id, "bold"), t(one_line(role.name)), str(targeted), salary)
    return table


def roadmap_table(kb: KnowledgeBase, steps: Sequence[Step]) -> Table:
    table = _table("#", "step", "after", "hours", "develops")
    number = {step.id: n for n, step in enumerate(steps, start=1)}
    for step in steps:
        title = t(one_line(step.title), "bold")
        title.append(f"\n{literal(step.id)}", style="dim")
        if step.optional:
            title.append(" (optional)", style="dim italic")
        after = ", ".join(str(number[r]) for r in step.requires) or "-"
        develops = ", ".join(one_line(kb.skill[s].name) for s in step.skills)
        table.add_row(str(number[step.id]), title, after, f"{step.effort_hours:g}", t(develops))
    return table
