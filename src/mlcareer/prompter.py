"""The terminal side of the quiz: a rich `Prompter`, one screen per question.

At a terminal, each skill gets a fresh screen and one key press answers (`keys.Keys`); a hint
replaces the previous one, and the feedback on a knowledge check stays until a key is pressed.
With stdin not a terminal, answers are read one per line and nothing is cleared, so the same
code serves a script piping answers in. Screens are built by `render.screens`.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence

from rich.console import Console, Group, RenderableType
from rich.text import Text

from mlcareer.keys import ENTER, Keys, Redraw
from mlcareer.models import Category as CategoryModel
from mlcareer.models import Check, Evidence, Role, ScaleLevel, Skill
from mlcareer.render import screens
from mlcareer.render.text import literal

MAX_KEYED_ROLES = 9  # longer lists are answered with a number and Enter


class TerminalPrompter:
    def __init__(self, console: Console, scale: Sequence[ScaleLevel], keys: Keys | None) -> None:
        self.console = console
        self.scale = scale
        self.keys = keys
        self._hint: str | None = None
        self._notes: list[str] = []  # shown at the top of the next screen

    # Reading ---------------------------------------------------------------------------------

    def _line(self, prompt: str) -> str:
        return self.console.input(Text(prompt, style="bold cyan"))

    def _show(self, draw: Callable[[], list[RenderableType]], prompt: str) -> None:
        """Draw a whole screen: notes, the content, the current hint and the prompt."""
        self.console.clear()
        for note in self._notes:
            self.console.print(Text(note, style="dim"))
        self.console.print(Group(*draw()), crop=False)
        if self._hint:
            self.console.print(Text(self._hint, style="yellow"))
        self.console.print(Text(prompt, style="bold cyan"), end="")

    def _ask(self, draw: Callable[[], list[RenderableType]], prompt: str, again: bool) -> str:
        """Show a question's screen and read the answer: a key at a terminal, else a line."""
        if self.keys is None:
            if not again:
                self.console.print(Group(*draw()), crop=False)
            return self._line(prompt)
        while True:
            try:
                self._show(draw, prompt)
                key = self.keys.read()
            except Redraw:
                continue
            self._hint = None
            self._notes = []
            return "" if key == ENTER else key

    def wait(self, message: str) -> str:
        """Leave what is on screen until a key is pressed (at a terminal only)."""
        if self.keys is None:
            return ""
        self.console.print(Text(message, style="bold cyan"), end="")
        while True:
            try:
                return self.keys.read()
            except Redraw:
                continue

    # Before the quiz -------------------------------------------------------------------------

    def choose_role(self, roles: Sequence[Role]) -> Role:
        """The role picked by number or id; `Quit` on q, as at every other prompt of the quiz."""
        keyed = self.keys is not None and len(roles) <= MAX_KEYED_ROLES
        choices = f"1-{len(roles)}" if keyed else f"1-{len(roles)} or id"
        prompt = f"Role ({choices}, q to quit): "
        self.console.print(screens.roles(roles), crop=False)
        while True:
            raw = self._key_or_line(prompt) if keyed else self._line(prompt)
            raw = raw.strip()
            if raw.isdigit() and 1 <= int(raw) <= len(roles):
                return roles[int(raw) - 1]
            for role in roles:
                if raw == role.id:
                    return role
            if raw.lower() in ("q", "quit"):
                from mlcareer.quiz import Quit

                raise Quit
            self.hint(
                f"Type a number from 1 to {len(roles)}" + ("." if keyed else ", or a role id.")
            )

    def _key_or_line(self, prompt: str) -> str:
        assert self.keys is not None
        self.console.print(Text(prompt, style="bold cyan"), end="")
        key = self.wait("")
        self.console.print(key)
        return key

    def confirm(self, question: str) -> bool:
        while True:
            if self.keys is None:
                raw = self._line(f"{question} [Y/n] ").strip().lower()
            else:
                raw = self._key_or_line(f"{question} [Y/n] ").strip().lower()
            if raw in ("", "y", "yes"):
                return True
            if raw in ("n", "no"):
                return False
            self.hint("Type y or n.")

    def note(self, message: str) -> None:
        """A side remark, on stderr like every message that is not the output itself."""
        sys.stderr.write(literal(message) + "\n")

    def intro(self, role: Role, count: int, minutes: int, start: int, retake: bool) -> None:
        text = screens.intro(role, count, minutes, start, retake, self.scale)
        if self.keys is None:
            self.console.print(text)
            return
        self.console.clear()
        self.console.print(text)
        if self.wait("Press a key to start (q to quit): ").lower() == "q":
            from mlcareer.quiz import Quit

            raise Quit

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
        keeps = f" [Enter keeps {previous}]" if previous is not None else ""
        prompt = f"{literal(skill.name)} ({number}/{total}), your level{keeps}: "
        if self.keys is None:
            prompt = f"{literal(skill.name)} ({number}/{total}): 0-4, s, b, ?, q{keeps}: "

        def draw() -> list[RenderableType]:
            return screens.rating(skill, category, number, total, self.scale)

        return self._ask(draw, prompt, again)

    def hint(self, message: str) -> None:
        if self.keys is None:
            self.console.print(Text(message, style="yellow"))
        else:
            self._hint = message  # replaces the previous one when the screen is drawn again

    def tips(self, skill: Skill) -> None:
        if self.keys is None:
            self.console.print(Group(*screens.tips(skill)), crop=False)
            return
        self.console.clear()
        self.console.print(Group(*screens.tips(skill)), crop=False)
        self.wait(f"Press a key to go back to {literal(skill.name)}: ")

    def check(self, skill: Skill, check: Check, choices: Sequence[str], again: bool) -> str:
        prompt = f"Your answer (1-{len(choices)}, s to skip, q to quit): "

        def draw() -> list[RenderableType]:
            return screens.check(skill, check, choices)

        answer = self._ask(draw, prompt, again)
        if self.keys is not None:
            self.console.print(answer)  # the key is not echoed; the feedback follows it
        return answer

    def check_result(self, check: Check, correct: bool, more: bool) -> None:
        self.console.print(screens.check_result(check, correct, more), crop=False)
        self.wait("Press a key to go on: ")

    def carried(self, skill: Skill, evidence: Evidence) -> None:
        message = screens.carried(skill, evidence)
        if self.keys is None:
            self.console.print(Text(message, style="dim"))
        else:
            self._notes.append(message)
