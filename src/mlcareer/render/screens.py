"""What the quiz shows: one renderable per screen, sized so a skill fits 80x24.

A rating screen is the counter and category, the skill's name, the first sentence of its
description, the KB's own scale with the skill's descriptors, and the keys; the full description,
tips and links are one `?` away.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from mlcareer.models import Category as CategoryModel
from mlcareer.models import Check, Evidence, Role, ScaleLevel, Skill
from mlcareer.render.fit import Whole
from mlcareer.render.terminal import t
from mlcareer.render.text import literal, one_line


def first_sentence(text: str) -> str:
    """The description's first sentence: the screen has room for it, `?` shows the rest."""
    head, dot, _ = " ".join(text.split()).partition(". ")
    return head + "." if dot else head


def keys_legend(scale: Sequence[ScaleLevel]) -> str:
    return f"0-{len(scale) - 1} rate · s skip · b back · ? tips and links · q save and quit"


def roles(roles: Sequence[Role]) -> RenderableType:
    table = Table.grid(padding=(0, 1))
    table.add_column(justify="right", style="bold")
    table.add_column()
    for n, role in enumerate(roles, start=1):
        text = t(role.name, "bold")
        text.append(f"  {role.id}\n", style="dim")
        text.append_text(t(first_sentence(role.summary)))
        table.add_row(f"{n}.", text)
    return Group(Text("Which role are you aiming at?", style="bold"), table)


def intro(
    role: Role, count: int, minutes: int, start: int, retake: bool, scale: Sequence[ScaleLevel]
) -> Text:
    text = Text()
    text.append("Self-assessment for ", style="bold")
    text.append_text(t(role.name, "bold"))
    text.append(f"\n{count} skills, about {minutes} minutes. ")
    if start:
        text.append(f"Carrying on from skill {start + 1}. ")
    if retake:
        text.append(
            "Your last answers are shown: Enter keeps one, and a check is asked again only "
            "where your rating rose or was not confirmed. "
        )
    text.append(
        "Rate what you can do today, not what you could do after a refresher: "
        "the levels describe what someone at that level does. A rating of 3 or 4 on a hard "
        "skill is followed by a short knowledge check.\n"
    )
    text.append("Keys: ", style="bold")
    text.append(keys_legend(scale))
    text.append("\nYour answers are saved as you go: stop at any time and carry on later.")
    return text


def rating(
    skill: Skill, category: CategoryModel, number: int, total: int, scale: Sequence[ScaleLevel]
) -> list[RenderableType]:
    heading = t(skill.name, "bold")
    heading.append(f"  ({skill.kind} skill)", style="dim")
    levels = Table.grid(padding=(0, 1))
    levels.add_column(justify="right", style="bold", no_wrap=True)
    levels.add_column(style="italic", no_wrap=True)
    levels.add_column(ratio=1)
    for step in scale:
        described = skill.levels.get(step.level) if step.level else step.description  # type: ignore[call-overload]
        levels.add_row(str(step.level), t(step.name), t(described or step.description))
    return [
        Rule(t(f"{number}/{total} · {category.name}"), style="dim", align="left"),
        heading,
        t(first_sentence(skill.description)),
        Text(),
        levels,
        Text(),
        Text(keys_legend(scale), style="dim"),
    ]


def tips(skill: Skill) -> list[RenderableType]:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(ratio=1)
    for step, tip in skill.tips.items():
        grid.add_row(f"  {step}", t(tip))
    links: list[RenderableType] = []
    for resource in skill.resources:
        links.append(Padding(t(resource.title), (0, 0, 0, 2)))
        links.append(Whole(t(resource.url, "dim"), indent=4))  # whole, to copy
    return [
        t(skill.name, "bold"),
        t(skill.description),
        Text(),
        Text("How to climb", style="bold"),
        grid,
        Text(),
        Text("Where to learn", style="bold"),
        *links,
    ]


def check(skill: Skill, item: Check, choices: Sequence[str]) -> list[RenderableType]:
    head = Text("Quick check: ", style="bold magenta")
    head.append_text(t(skill.name, "bold"))
    head.append(f" (level {item.level})", style="dim")
    options = Table.grid(padding=(0, 1))
    options.add_column(justify="right", style="bold", no_wrap=True)
    options.add_column()
    for n, choice in enumerate(choices, start=1):
        options.add_row(f"  {n}.", t(choice))  # a long choice wraps under its own text
    return [head, Text(), t(item.prompt), Text(), options, Text()]


def check_result(item: Check, correct: bool, more: bool) -> Text:
    verdict = Text("Right. " if correct else "Not quite. ", style="green" if correct else "red")
    if not correct:
        verdict.append("The answer is: ")
        verdict.append_text(t(item.answer, "bold"))
        verdict.append("\n")
    verdict.append_text(t(item.explanation))
    if more:
        verdict.append("\nOne more question on this skill.", style="bold")
    return verdict


def carried(skill: Skill, evidence: Evidence) -> str:
    """One line, shown as it is: the name and the date from the saved quiz are made literal."""
    when = f" on {literal(evidence.date[:10], lines=False)}" if evidence.date else ""
    verdict = evidence.verdict.replace("_", " ")
    name = one_line(skill.name)
    return f"{name}: your earlier check{when} stands: {verdict} at level {evidence.rating}."
