"""The question flow of `mlcareer assess`, over a small `Prompter` protocol: no terminal code here.

Every answer is handed to `save` at once, so that a closed terminal or a killed process loses at
most the answer being typed.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from mlcareer.models import (
    MAX_LEVEL,
    Assessment,
    Category,
    Check,
    CheckOutcome,
    KnowledgeBase,
    Role,
    Skill,
)

RATING_HINT = "Type 0-4 to rate, s to skip, b to go back, ? for tips, q to save and quit."
SECONDS_PER_SKILL = 25
SECONDS_PER_CHECK = 40

Command = Literal["skip", "back", "tips", "quit"]
_COMMANDS: dict[str, Command] = {"s": "skip", "b": "back", "?": "tips", "q": "quit"}


class Prompter(Protocol):
    """What the quiz needs from a user interface. Reads raise EOFError or KeyboardInterrupt."""

    def rating(self, skill: Skill, category: Category, number: int, total: int, again: bool) -> str:
        """Show the skill's rating screen (never its target) and read one line.

        `again`: the screen is already shown (after a hint or tips); only prompt.
        """

    def hint(self, message: str) -> None: ...

    def tips(self, skill: Skill) -> None: ...

    def check(self, skill: Skill, check: Check, again: bool) -> str:
        """Ask a knowledge check, its choices numbered from 1, and read one line."""

    def check_result(self, check: Check, correct: bool) -> None: ...


class Quit(Exception):
    """The person asked to stop (`q` or end of input); their answers are saved."""


def parse_rating(raw: str) -> int | Command | None:
    """`" 3 "` -> 3, `"s"` -> "skip", anything else off the keys -> None."""
    text = raw.strip().lower()
    if text.isdigit() and len(text) == 1 and int(text) <= MAX_LEVEL:
        return int(text)
    return _COMMANDS.get(text)


def items(kb: KnowledgeBase, role: Role, *, quick: bool = False) -> list[Skill]:
    """The skills to ask about, grouped by category; `quick` keeps those with a target of 3+."""
    floor = 3 if quick else 1
    order = {c.id: n for n, c in enumerate(kb.categories)}
    chosen = [s for s in kb.skills if role.targets.get(s.id, 0) >= floor]
    return sorted(chosen, key=lambda s: order[s.category])  # stable: KB order within a category


def minutes(skills: Sequence[Skill], *, checks: bool) -> int:
    """A rough, honest estimate of how long the quiz takes."""
    seconds = SECONDS_PER_SKILL * len(skills)
    if checks:
        seconds += SECONDS_PER_CHECK * sum(1 for s in skills if s.kind == "hard" and s.checks) // 2
    return max(1, math.ceil(seconds / 60))


@dataclass
class Quiz:
    kb: KnowledgeBase
    skills: Sequence[Skill]
    prompter: Prompter
    save: Callable[[Assessment], None]
    rng: random.Random
    checks: bool = True

    def run(self, assessment: Assessment) -> Assessment:
        """Ask from `assessment.position` to the end; return the completed assessment.

        Raises `Quit` (after saving) when the person stops early.
        """
        total = len(self.skills)
        again = False
        while assessment.position < total:
            skill = self.skills[assessment.position]
            category = self.kb.category[skill.category]
            number = assessment.position + 1
            try:
                raw = self.prompter.rating(skill, category, number, total, again)
            except EOFError:
                raise Quit from None
            answer = parse_rating(raw)
            again = answer in (None, "tips") or (answer == "back" and number == 1)
            if answer is None:
                self.prompter.hint(RATING_HINT)
            elif answer == "tips":
                self.prompter.tips(skill)
            elif answer == "quit":
                self.save(assessment)
                raise Quit
            elif answer == "back":
                if assessment.position == 0:
                    self.prompter.hint("This is the first skill: there is nothing to go back to.")
                    continue
                assessment = assessment.model_copy(update={"position": assessment.position - 1})
                self.save(assessment)
            else:
                level = None if answer == "skip" else answer
                assessment = self._rate(assessment, skill, level)
        return assessment

    def _rate(self, assessment: Assessment, skill: Skill, level: int | None) -> Assessment:
        answers = {**assessment.answers, skill.id: level}
        checks = dict(assessment.checks)
        if level is None or level < 3:
            checks.pop(skill.id, None)  # a check only stands beside a rating of 3 or 4
        assessment = assessment.model_copy(update={"answers": answers, "checks": checks})
        self.save(assessment)  # the rating is safe before the check is asked
        wants_check = self.checks and skill.kind == "hard" and skill.checks
        if wants_check and level is not None and level >= 3 and skill.id not in checks:
            outcome = self._ask_check(skill)
            if outcome is not None:
                checks[skill.id] = outcome
                assessment = assessment.model_copy(update={"checks": checks})
        assessment = assessment.model_copy(update={"position": assessment.position + 1})
        self.save(assessment)
        return assessment

    def _ask_check(self, skill: Skill) -> CheckOutcome | None:
        check = self.rng.choice(skill.checks)
        count = len(check.choices)
        again = False
        while True:
            try:
                raw = self.prompter.check(skill, check, again).strip().lower()
            except EOFError:
                raise Quit from None
            if raw == "s":
                return None
            if raw.isdigit() and 1 <= int(raw) <= count:
                chosen = check.choices[int(raw) - 1]
                correct = chosen == check.answer
                self.prompter.check_result(check, correct)
                return CheckOutcome(prompt=check.prompt, chosen=chosen, correct=correct)
            self.prompter.hint(f"Type a number from 1 to {count}, or s to skip this question.")
            again = True
