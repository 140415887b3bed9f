"""The question flow of `mlcareer assess`, over a small `Prompter` protocol: no terminal code here.

Every answer is handed to `save` at once, so that a closed terminal or a killed process loses at
most the answer being typed.

Knowledge checks: a rating of 3 draws a level-3 item, a 4 a level-4 item (level 3 when the skill
has none), with its choices shuffled. After a miss, one more item of the same level is asked when
there is one; `models.verdict` turns the items into confirmed, mixed, not_confirmed or skipped.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol

from mlcareer.models import (
    MAX_LEVEL,
    Assessment,
    Category,
    Check,
    CheckOutcome,
    Evidence,
    KnowledgeBase,
    Role,
    Skill,
    verdict,
)

RATING_HINT = "Type 0-4 to rate, s to skip, b to go back, ? for tips, q to save and quit."
SECONDS_PER_SKILL = 25
SECONDS_PER_CHECK = 40
QUICK_SHARE = 2 / 3  # quick mode asks the skills holding this share of the role's weight x target
CHECKED_FROM = 3  # ratings from this level up are checked

Command = Literal["skip", "back", "tips", "quit", "keep"]
_COMMANDS: dict[str, Command] = {"s": "skip", "b": "back", "?": "tips", "q": "quit", "": "keep"}


class Prompter(Protocol):
    """What the quiz needs from a user interface. Reads raise EOFError or KeyboardInterrupt."""

    def rating(
        self,
        skill: Skill,
        category: Category,
        number: int,
        total: int,
        again: bool,
        previous: str | None,
    ) -> str:
        """Show the skill's rating screen (never its target) and read one answer.

        `again`: the screen is already shown (after a hint or tips); only prompt. `previous`: the
        answer given before ("3", "skipped"), which Enter keeps; None when there is none.
        """

    def hint(self, message: str) -> None: ...

    def tips(self, skill: Skill) -> None: ...

    def check(self, skill: Skill, check: Check, choices: Sequence[str], again: bool) -> str:
        """Ask a knowledge check, `choices` numbered from 1 in this order; read one answer."""

    def check_result(self, check: Check, correct: bool, more: bool) -> None:
        """Say whether the answer was right, with the explanation; `more`: another item follows."""

    def carried(self, skill: Skill, evidence: Evidence) -> None:
        """Say that an earlier check result stands for this rating."""


class Quit(Exception):
    """The person asked to stop (`q` or end of input); their answers are saved."""


def parse_rating(raw: str) -> int | Command | None:
    """`" 3 "` -> 3, `"s"` -> "skip", `""` -> "keep", anything else off the keys -> None."""
    text = raw.strip().lower()
    if text.isdigit() and len(text) == 1 and int(text) <= MAX_LEVEL:
        return int(text)
    return _COMMANDS.get(text)


def quick_skills(kb: KnowledgeBase, role: Role) -> list[Skill]:
    """The skills with the highest weight x target, until they hold two thirds of the role's total
    (ties in knowledge-base order)."""
    targeted = [s for s in kb.skills if role.targets.get(s.id, 0) > 0]
    total = sum(s.weight * role.targets[s.id] for s in targeted)
    chosen, held = [], 0.0
    for skill in sorted(targeted, key=lambda s: -s.weight * role.targets[s.id]):  # stable
        if held >= QUICK_SHARE * total:
            break
        chosen.append(skill)
        held += skill.weight * role.targets[skill.id]
    return chosen


def items(kb: KnowledgeBase, role: Role, *, quick: bool = False) -> list[Skill]:
    """The skills to ask about, grouped by category, in knowledge-base order within one."""
    chosen = {s.id for s in quick_skills(kb, role)} if quick else None
    order = {c.id: n for n, c in enumerate(kb.categories)}
    skills = [
        s for s in kb.skills if role.targets.get(s.id, 0) > 0 and (chosen is None or s.id in chosen)
    ]
    return sorted(skills, key=lambda s: order[s.category])


def minutes(skills: Sequence[Skill], *, checks: bool) -> int:
    """A rough, honest estimate of how long the quiz takes."""
    seconds = SECONDS_PER_SKILL * len(skills)
    if checks:
        seconds += SECONDS_PER_CHECK * sum(1 for s in skills if s.kind == "hard" and s.checks) // 2
    return max(1, math.ceil(seconds / 60))


def pool(skill: Skill, rating: int) -> list[Check]:
    """The items for a rating: its own level, else level 3."""
    exact = [c for c in skill.checks if c.level == rating]
    return exact or [c for c in skill.checks if c.level == CHECKED_FROM]


def needs_check(skill: Skill, rating: int | None, evidence: Evidence | None) -> bool:
    """A rating of 3+ is checked, unless a check confirmed the same or a higher rating before."""
    if rating is None or rating < CHECKED_FROM or skill.kind != "hard" or not skill.checks:
        return False
    return evidence is None or evidence.verdict != "confirmed" or rating > evidence.rating


@dataclass
class Quiz:
    kb: KnowledgeBase
    skills: Sequence[Skill]
    prompter: Prompter
    save: Callable[[Assessment], None]
    rng: random.Random
    checks: bool = True
    previous: Assessment | None = None  # the last finished assessment, for a retake
    clock: Callable[[], str] = field(default=lambda: "")

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
            given = self._given(assessment, skill)
            shown = None if given is None else "skipped" if given[0] is None else str(given[0])
            try:
                raw = self.prompter.rating(skill, category, number, total, again, shown)
            except EOFError:
                raise Quit from None
            answer = parse_rating(raw)
            if answer == "keep":
                answer = None if given is None else "skip" if given[0] is None else given[0]
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
                assessment = self._rate(assessment, skill, None if answer == "skip" else answer)
        return assessment

    def _given(self, assessment: Assessment, skill: Skill) -> tuple[int | None] | None:
        """The answer already given for this skill in this quiz, else in the last one; a level or
        None (skipped), in a 1-tuple, or None when there is no answer to keep."""
        for source in (assessment, self.previous):
            if source is not None and skill.id in source.answers:
                return (source.answers[skill.id],)
        return None

    def _rate(self, assessment: Assessment, skill: Skill, level: int | None) -> Assessment:
        answers = {**assessment.answers, skill.id: level}
        checks = dict(assessment.checks)
        evidence = checks.pop(skill.id, None)
        if evidence is None and self.previous is not None:
            evidence = self.previous.checks.get(skill.id)
        assessment = assessment.model_copy(update={"answers": answers, "checks": checks})
        self.save(assessment)  # the rating is safe before any check is asked
        if self.checks and level is not None and needs_check(skill, level, evidence):
            evidence = self._ask_checks(skill, level)
        elif evidence is not None and level is not None and level >= CHECKED_FROM:
            self.prompter.carried(skill, evidence)
        else:
            evidence = None
        if evidence is not None:
            checks[skill.id] = evidence
        assessment = assessment.model_copy(
            update={"checks": checks, "position": assessment.position + 1}
        )
        self.save(assessment)
        return assessment

    def _ask_checks(self, skill: Skill, rating: int) -> Evidence | None:
        """The first item, and a second after a miss; None when the skill has no item."""
        candidates = pool(skill, rating)
        items = self.rng.sample(candidates, k=min(2, len(candidates)))
        asked: list[CheckOutcome] = []
        for n, check in enumerate(items):
            outcome = self._ask(skill, check, more=n + 1 < len(items))
            asked.append(outcome)
            if outcome.correct or outcome.chosen is None:
                break
        if not asked:
            return None
        return Evidence(
            verdict=verdict(tuple(asked)), rating=rating, items=tuple(asked), date=self.clock()
        )

    def _ask(self, skill: Skill, check: Check, *, more: bool) -> CheckOutcome:
        choices = self.rng.sample(check.choices, k=len(check.choices))
        count = len(choices)
        again = False
        while True:
            try:
                raw = self.prompter.check(skill, check, choices, again).strip().lower()
            except EOFError:
                raise Quit from None
            if raw == "q":
                raise Quit  # the rating is saved; the check is asked again on resume
            if raw == "s":
                return CheckOutcome(prompt=check.prompt, level=check.level, answer=check.answer)
            if raw.isdigit() and 1 <= int(raw) <= count:
                chosen = choices[int(raw) - 1]
                correct = chosen == check.answer
                self.prompter.check_result(check, correct, more and not correct)
                return CheckOutcome(
                    prompt=check.prompt,
                    level=check.level,
                    chosen=chosen,
                    answer=check.answer,
                    correct=correct,
                )
            self.prompter.hint(
                f"Type a number from 1 to {count}, s to skip, or q to save and quit."
            )
            again = True
