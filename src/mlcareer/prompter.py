"""The terminal side of the quiz: a rich `Prompter` that reads one line per answer.

It reads standard input line by line, so the same code serves a person at a terminal and a script
piping answers in.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from rich.console import Console, Group
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from mlcareer.models import LEVEL_NAMES, Check, Evidence, Role, Skill
from mlcareer.models import Category as CategoryModel
from mlcareer.render.terminal import t
from mlcareer.render.text import literal

KEYS = "0-4 rate · s skip · b back · ? tips · q save and quit"


def _first_sentence(text: str, limit: int = 160) -> str:
    """Enough of a summary to choose by: `mlcareer roles` has the rest."""
    sentence = text.split(". ")[0].rstrip(".") + "."
    if len(sentence) <= limit:
        return sentence
    return sentence[:limit].rsplit(" ", 1)[0].rstrip(",;:") + " …"


class TerminalPrompter:
    def __init__(self, console: Console) -> None:
        self.console = console

    def _read(self, prompt: str) -> str:
        return self.console.input(Text(prompt, style="bold cyan"))

    # Before the quiz -------------------------------------------------------------------------

    def choose_role(self, roles: Sequence[Role]) -> Role:
        table = Table.grid(padding=(0, 1))
        table.add_column(justify="right", style="bold")
        table.add_column()
        for n, role in enumerate(roles, start=1):
            text = t(role.name, "bold")
            text.append(f"  {role.id}\n", style="dim")
            text.append_text(t(_first_sentence(role.summary)))
            table.add_row(f"{n}.", text)
        self.console.print(Text("Which role are you aiming at?", style="bold"))
        self.console.print(table)
        while True:
            raw = self._read(f"Role (1-{len(roles)} or id): ").strip()
            if raw.isdigit() and 1 <= int(raw) <= len(roles):
                return roles[int(raw) - 1]
            for role in roles:
                if raw == role.id:
                    return role
            self.hint(f"Type a number from 1 to {len(roles)}, or a role id.")

    def confirm(self, question: str) -> bool:
        while True:
            raw = self._read(f"{question} [Y/n] ").strip().lower()
            if raw in ("", "y", "yes"):
                return True
            if raw in ("n", "no"):
                return False
            self.hint("Type y or n.")

    def note(self, message: str) -> None:
        """A side remark, on stderr like every message that is not the output itself."""
        sys.stderr.write(literal(message) + "\n")

    def intro(self, role: Role, count: int, minutes: int, start: int, retake: bool) -> None:
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
            "the levels describe what someone at that level does.\n"
        )
        text.append("Keys: ", style="bold")
        text.append(KEYS)
        self.console.print(text)

    # The quiz --------------------------------------------------------------------------------

    def rating(
        self,
        skill: Skill,
        category: CategoryModel,
        number: int,
        total: int,
        again: bool,
        previous: str | None,
    ) -> str:
        prompt = "Your level (0-4, s, b, ?, q): "
        if previous is not None:
            prompt = f"Your level (0-4, s, b, ?, q; Enter keeps {previous}): "
        if again:
            return self._read(prompt)
        self.console.print()
        self.console.print(Rule(t(f"{number}/{total} · {category.name}"), style="dim"))
        heading = t(skill.name, "bold")
        heading.append(f"  ({skill.kind} skill)", style="dim")
        levels = Table.grid(padding=(0, 1))
        levels.add_column(justify="right", style="bold")
        levels.add_column(style="italic")
        levels.add_column(ratio=1)
        levels.add_row("0", LEVEL_NAMES[0], Text("Never used it."))
        for level in range(1, len(LEVEL_NAMES)):
            levels.add_row(str(level), LEVEL_NAMES[level], t(skill.levels[level]))  # type: ignore[index]
        self.console.print(Group(heading, t(skill.description), Text(), levels))
        return self._read(prompt)

    def hint(self, message: str) -> None:
        self.console.print(Text(message, style="yellow"))

    def tips(self, skill: Skill) -> None:
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column(ratio=1)
        for step, tip in skill.tips.items():
            grid.add_row(f"  {step}", t(tip))
        for resource in skill.resources:
            text = t(resource.title)
            text.append("\n")
            text.append_text(t(resource.url, "dim"))
            grid.add_row("  •", text)
        self.console.print(Text("How to climb, and where to learn", style="bold"))
        self.console.print(grid)

    def check(self, skill: Skill, check: Check, choices: Sequence[str], again: bool) -> str:
        prompt = f"Your answer (1-{len(choices)}, s to skip, q to quit): "
        if again:
            return self._read(prompt)
        body = Text()
        body.append("Quick check: ", style="bold magenta")
        body.append_text(t(check.prompt))
        options = Table.grid(padding=(0, 1))
        options.add_column(justify="right", style="bold", no_wrap=True)
        options.add_column()
        for n, choice in enumerate(choices, start=1):
            options.add_row(f"  {n}.", t(choice))  # a long choice wraps under its own text
        self.console.print(Group(body, options))
        return self._read(prompt)

    def check_result(self, check: Check, correct: bool, more: bool) -> None:
        verdict = Text("Right. " if correct else "Not quite. ", style="green" if correct else "red")
        if not correct:
            verdict.append("The answer is: ")
            verdict.append_text(t(check.answer, "bold"))
            verdict.append("\n")
        verdict.append_text(t(check.explanation))
        if more:
            verdict.append("\nOne more question on this skill.", style="bold")
        self.console.print(verdict)

    def carried(self, skill: Skill, evidence: Evidence) -> None:
        when = f" on {evidence.date[:10]}" if evidence.date else ""
        verdict = evidence.verdict.replace("_", " ")
        self.console.print(
            Text(f"Your earlier check{when} stands: {verdict} at level {evidence.rating}.", "dim")
        )
