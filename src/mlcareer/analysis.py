"""Pure: knowledge base + assessment + role -> gap report.

For a skill s that role R targets (t_s > 0), with weight w_s, claimed level l_s (unrated counts as
0) and checked level c_s (one lower when the knowledge checks did not confirm the claim):
readiness = 100 * sum(w_s * min(l_s, t_s)) / sum(w_s * t_s), and checked readiness the same with
c_s. Gaps, next steps and time to target follow the checked levels. In a quick assessment only the
skills asked are assessed: the others are neither gaps nor zeros, and every sum runs over the rest.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import NamedTuple

from mlcareer import planner
from mlcareer.models import (
    MAX_LEVEL,
    Assessment,
    Category,
    CheckOutcome,
    Evidence,
    KnowledgeBase,
    Role,
    ScaleLevel,
    Skill,
)
from mlcareer.planner import NextStep, Plan, PlanItem


class SkillResult(NamedTuple):
    skill: Skill
    level: int | None  # the claim; None: unrated
    target: int
    assessed: bool = True  # False: a quick assessment did not ask it
    evidence: Evidence | None = None

    @property
    def weight(self) -> float:
        return self.skill.weight

    @property
    def verdict(self) -> str | None:
        return None if self.evidence is None else self.evidence.verdict

    @property
    def checked_level(self) -> int:
        """The claim, one lower when the knowledge checks did not confirm it; unrated is 0."""
        level = self.level or 0
        return max(0, level - 1) if self.verdict == "not_confirmed" else level

    @property
    def gap(self) -> int:
        return max(0, self.target - self.checked_level)

    @property
    def weighted_gap(self) -> float:
        return self.weight * self.gap


class CategoryReadiness(NamedTuple):
    category: Category
    readiness: float
    skills: int


class Miss(NamedTuple):
    skill: Skill
    rating: int
    outcome: CheckOutcome
    explanation: str


class Calibration(NamedTuple):
    passed: int  # items answered right
    missed: int  # items answered wrong
    skipped: int  # skills whose check was skipped
    verdicts: dict[str, int]  # verdict -> number of skills
    misses: tuple[Miss, ...]


class Coverage(NamedTuple):
    assessed: int
    targeted: int
    weight_share: float  # share of the role's sum of weight x target held by assessed skills, 0-1


class GapReport(NamedTuple):
    role: Role
    day: date
    quick: bool
    readiness: float
    checked_readiness: float
    hard_readiness: float | None
    soft_readiness: float | None
    coverage: Coverage
    categories: tuple[CategoryReadiness, ...]
    skills: tuple[SkillResult, ...]  # every targeted skill, in knowledge-base order
    gaps: tuple[SkillResult, ...]  # ranked, by checked level
    strengths: tuple[SkillResult, ...]  # at target, and not contradicted by a check
    calibration: Calibration
    roadmap: Plan
    next_steps: tuple[NextStep, ...]
    hours_per_week: float | None
    plan: tuple[PlanItem, ...]
    scale: tuple[ScaleLevel, ...] = ()  # the KB's names for levels 0-4

    @property
    def assessed(self) -> tuple[SkillResult, ...]:
        return tuple(r for r in self.skills if r.assessed)

    @property
    def unrated(self) -> tuple[SkillResult, ...]:
        return tuple(r for r in self.assessed if r.level is None)

    @property
    def not_assessed(self) -> tuple[SkillResult, ...]:
        return tuple(r for r in self.skills if not r.assessed)

    @property
    def unconfirmed(self) -> tuple[SkillResult, ...]:
        return tuple(r for r in self.assessed if r.verdict == "not_confirmed")

    @property
    def time_to_target_hours(self) -> float:
        return self.roadmap.time_to_target_hours

    @property
    def weeks_to_target(self) -> int | None:
        if not self.hours_per_week:
            return None
        return planner.weeks(self.time_to_target_hours, self.hours_per_week)


def readiness(results: Iterable[SkillResult], *, checked: bool = False) -> float | None:
    """Weighted share of the target reached, 0-100; None when nothing is targeted."""
    reached = required = 0.0
    for r in results:
        level = r.checked_level if checked else r.level or 0
        reached += r.weight * min(level, r.target)
        required += r.weight * r.target
    return None if required == 0 else 100.0 * reached / required


def skill_results(kb: KnowledgeBase, role: Role, assessment: Assessment) -> list[SkillResult]:
    return [
        SkillResult(
            skill,
            assessment.answers.get(skill.id),
            role.targets[skill.id],
            assessed=not assessment.quick or skill.id in assessment.answers,
            evidence=assessment.checks.get(skill.id),
        )
        for skill in kb.skills
        if role.targets.get(skill.id, 0) > 0
    ]


def rank_gaps(results: Iterable[SkillResult]) -> list[SkillResult]:
    """Largest weighted gap first, then the higher target, then by id."""
    gaps = [r for r in results if r.assessed and r.gap > 0]
    return sorted(gaps, key=lambda r: (-r.weighted_gap, -r.target, r.skill.id))


def calibration(kb: KnowledgeBase, assessment: Assessment) -> Calibration:
    misses = []
    passed = missed = 0
    verdicts: dict[str, int] = {}
    for skill_id, evidence in assessment.checks.items():
        verdicts[evidence.verdict] = verdicts.get(evidence.verdict, 0) + 1
        skill = kb.skill[skill_id]
        for outcome in evidence.items:
            if outcome.chosen is None:
                continue
            if outcome.correct:
                passed += 1
                continue
            missed += 1
            explanation = next(
                (c.explanation for c in skill.checks if c.prompt == outcome.prompt), ""
            )
            misses.append(Miss(skill, evidence.rating, outcome, explanation))
    return Calibration(passed, missed, verdicts.get("skipped", 0), verdicts, tuple(misses))


def coverage(results: Iterable[SkillResult]) -> Coverage:
    results = list(results)
    assessed = [r for r in results if r.assessed]
    total = sum(r.weight * r.target for r in results)
    held = sum(r.weight * r.target for r in assessed)
    return Coverage(len(assessed), len(results), 1.0 if total == 0 else held / total)


def planning_levels(kb: KnowledgeBase, results: Iterable[SkillResult]) -> dict[str, int]:
    """The levels the roadmap is planned from: checked levels; a skill a quick assessment did not
    ask is taken as met (neither a gap nor work), a skill the role does not target as 0."""
    levels = {s.id: 0 for s in kb.skills}
    for r in results:
        levels[r.skill.id] = r.checked_level if r.assessed else MAX_LEVEL
    return levels


def analyse(
    kb: KnowledgeBase,
    assessment: Assessment,
    role: Role,
    *,
    steps: int = 3,
    hours_per_week: float | None = None,
    today: date | None = None,
    marked: Iterable[str] = (),
) -> GapReport:
    day = today or date.today()
    results = skill_results(kb, role, assessment)
    assessed = [r for r in results if r.assessed]
    by_category: dict[str, list[SkillResult]] = {}
    for r in assessed:
        by_category.setdefault(r.skill.category, []).append(r)
    categories = tuple(
        CategoryReadiness(c, readiness(by_category[c.id]) or 0.0, len(by_category[c.id]))
        for c in kb.categories
        if c.id in by_category
    )
    levels = planning_levels(kb, results)
    targets = {r.skill.id: r.target for r in assessed}
    roadmap = planner.plan(kb, targets, levels, {*assessment.completed_steps, *marked})
    dated: tuple[PlanItem, ...] = ()
    if hours_per_week:
        order = planner.study_order(kb, roadmap, targets, levels)
        dated = tuple(planner.dated_plan(order, roadmap.hours, hours_per_week, day))
    overall, checked = readiness(assessed), readiness(assessed, checked=True)
    return GapReport(
        role=role,
        day=day,
        quick=assessment.quick,
        readiness=100.0 if overall is None else overall,
        checked_readiness=100.0 if checked is None else checked,
        hard_readiness=readiness(r for r in assessed if r.skill.kind == "hard"),
        soft_readiness=readiness(r for r in assessed if r.skill.kind == "soft"),
        coverage=coverage(results),
        categories=categories,
        skills=tuple(results),
        gaps=tuple(rank_gaps(results)),
        strengths=tuple(r for r in assessed if r.gap == 0 and r.verdict != "not_confirmed"),
        calibration=calibration(kb, assessment),
        roadmap=roadmap,
        next_steps=roadmap.next_steps[:steps],
        hours_per_week=hours_per_week,
        plan=dated,
        scale=kb.scale,
    )


class Move(NamedTuple):
    skill: Skill
    old: int | None
    new: int | None


class Progress(NamedTuple):
    role: Role
    old: GapReport
    new: GapReport
    moves: tuple[Move, ...]
    steps_done: tuple[str, ...]  # roadmap steps done in the new assessment and not in the old

    @property
    def change(self) -> float:
        return self.new.readiness - self.old.readiness

    @property
    def comparable(self) -> bool:
        """Readiness over different sets of skills (quick against full) is not the same figure."""
        return self.old.quick == self.new.quick


def compare(kb: KnowledgeBase, old: Assessment, new: Assessment, role: Role) -> Progress:
    """What changed between two assessments, measured against one role."""
    moves = tuple(
        Move(skill, old.answers.get(skill.id), new.answers.get(skill.id))
        for skill in kb.skills
        if old.answers.get(skill.id) != new.answers.get(skill.id)
    )
    before, after = analyse(kb, old, role), analyse(kb, new, role)

    def done(a: Assessment) -> set[str]:
        """By the answers given (a skill not asked counts 0 here: nothing was done for it)."""
        levels = {r.skill.id: r.checked_level for r in skill_results(kb, role, a) if r.assessed}
        return planner.done_steps(kb, levels, a.completed_steps)

    gained = done(new) - done(old)
    steps_done = tuple(s.id for s in kb.steps if s.id in gained and s.kind != "habit")
    return Progress(role, before, after, moves, steps_done)


def rated(kb: KnowledgeBase, role: Role, assessment: Assessment) -> tuple[int, int]:
    """(skills rated, skills targeted) for a role."""
    results = skill_results(kb, role, assessment)
    return sum(1 for r in results if r.level is not None), len(results)
