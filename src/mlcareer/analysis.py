"""Pure: knowledge base + assessment + role -> gap report.

For a skill s that role R targets (t_s > 0), with level l_s (unrated counts as 0) and weight w_s:
gap_s = max(0, t_s - l_s) and readiness = 100 * sum(w_s * min(l_s, t_s)) / sum(w_s * t_s).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from mlcareer import planner
from mlcareer.models import Assessment, Category, CheckOutcome, KnowledgeBase, Role, Skill
from mlcareer.planner import NextStep, PlanItem


@dataclass(frozen=True)
class SkillResult:
    skill: Skill
    level: int | None  # None: unrated
    target: int

    @property
    def weight(self) -> float:
        return self.skill.weight

    @property
    def gap(self) -> int:
        return max(0, self.target - (self.level or 0))

    @property
    def weighted_gap(self) -> float:
        return self.weight * self.gap


@dataclass(frozen=True)
class CategoryReadiness:
    category: Category
    readiness: float
    skills: int


@dataclass(frozen=True)
class Miss:
    skill: Skill
    level: int
    outcome: CheckOutcome
    explanation: str


@dataclass(frozen=True)
class Calibration:
    passed: int
    missed: int
    misses: tuple[Miss, ...]


@dataclass(frozen=True)
class GapReport:
    role: Role
    day: date
    readiness: float
    hard_readiness: float | None
    soft_readiness: float | None
    categories: tuple[CategoryReadiness, ...]
    skills: tuple[SkillResult, ...]  # every targeted skill, in knowledge-base order
    gaps: tuple[SkillResult, ...]  # ranked
    strengths: tuple[SkillResult, ...]
    calibration: Calibration
    next_steps: tuple[NextStep, ...]
    time_to_target_hours: float
    hours_per_week: float | None
    plan: tuple[PlanItem, ...]

    @property
    def unrated(self) -> tuple[SkillResult, ...]:
        return tuple(r for r in self.skills if r.level is None)

    @property
    def weeks_to_target(self) -> int | None:
        if not self.hours_per_week:
            return None
        return planner.weeks(self.time_to_target_hours, self.hours_per_week)


def readiness(results: Iterable[SkillResult]) -> float | None:
    """Weighted share of the target reached, 0-100; None when nothing is targeted."""
    reached = required = 0.0
    for r in results:
        reached += r.weight * min(r.level or 0, r.target)
        required += r.weight * r.target
    return None if required == 0 else 100.0 * reached / required


def skill_results(kb: KnowledgeBase, role: Role, assessment: Assessment) -> list[SkillResult]:
    return [
        SkillResult(skill, assessment.answers.get(skill.id), role.targets[skill.id])
        for skill in kb.skills
        if role.targets.get(skill.id, 0) > 0
    ]


def rank_gaps(results: Iterable[SkillResult]) -> list[SkillResult]:
    """Largest weighted gap first, then the higher target, then by id."""
    gaps = [r for r in results if r.gap > 0]
    return sorted(gaps, key=lambda r: (-r.weighted_gap, -r.target, r.skill.id))


def calibration(kb: KnowledgeBase, assessment: Assessment) -> Calibration:
    misses = []
    passed = 0
    for skill_id, outcome in assessment.checks.items():
        if outcome.correct:
            passed += 1
            continue
        skill = kb.skill[skill_id]
        explanation = next((c.explanation for c in skill.checks if c.prompt == outcome.prompt), "")
        level = assessment.answers.get(skill_id) or 0
        misses.append(Miss(skill, level, outcome, explanation))
    return Calibration(passed, len(misses), tuple(misses))


def analyse(
    kb: KnowledgeBase,
    assessment: Assessment,
    role: Role,
    *,
    steps: int = 3,
    hours_per_week: float | None = None,
    today: date | None = None,
) -> GapReport:
    day = today or date.today()
    results = skill_results(kb, role, assessment)
    by_category: dict[str, list[SkillResult]] = {}
    for r in results:
        by_category.setdefault(r.skill.category, []).append(r)
    categories = tuple(
        CategoryReadiness(c, readiness(by_category[c.id]) or 0.0, len(by_category[c.id]))
        for c in kb.categories
        if c.id in by_category
    )
    levels = {r.skill.id: r.level or 0 for r in results}
    targets = {r.skill.id: r.target for r in results}
    done = planner.done_steps(kb, assessment.completed_steps, targets, levels)
    needed = planner.needed_steps(kb, done, targets, levels)
    plan: Sequence[PlanItem] = ()
    if hours_per_week:
        plan = planner.dated_plan(needed, hours_per_week, day)
    overall = readiness(results)
    return GapReport(
        role=role,
        day=day,
        readiness=100.0 if overall is None else overall,
        hard_readiness=readiness(r for r in results if r.skill.kind == "hard"),
        soft_readiness=readiness(r for r in results if r.skill.kind == "soft"),
        categories=categories,
        skills=tuple(results),
        gaps=tuple(rank_gaps(results)),
        strengths=tuple(r for r in results if r.gap == 0),
        calibration=calibration(kb, assessment),
        next_steps=tuple(planner.next_steps(kb, done, targets, levels)[:steps]),
        time_to_target_hours=sum(s.effort_hours for s in needed),
        hours_per_week=hours_per_week,
        plan=tuple(plan),
    )


@dataclass(frozen=True)
class Move:
    skill: Skill
    old: int | None
    new: int | None


@dataclass(frozen=True)
class Progress:
    role: Role
    old: GapReport
    new: GapReport
    moves: tuple[Move, ...]
    steps_done: tuple[str, ...]  # roadmap steps done in the new assessment and not in the old

    @property
    def change(self) -> float:
        return self.new.readiness - self.old.readiness


def compare(kb: KnowledgeBase, old: Assessment, new: Assessment, role: Role) -> Progress:
    """What changed between two assessments, measured against one role."""
    moves = tuple(
        Move(skill, old.answers.get(skill.id), new.answers.get(skill.id))
        for skill in kb.skills
        if old.answers.get(skill.id) != new.answers.get(skill.id)
    )

    def done(a: Assessment) -> set[str]:
        results = skill_results(kb, role, a)
        levels = {r.skill.id: r.level or 0 for r in results}
        return planner.done_steps(kb, a.completed_steps, role.targets, levels)

    before, after = done(old), done(new)
    steps_done = tuple(s.id for s in kb.steps if s.id in after and s.id not in before)
    return Progress(role, analyse(kb, old, role), analyse(kb, new, role), moves, steps_done)


def rated(kb: KnowledgeBase, role: Role, assessment: Assessment) -> tuple[int, int]:
    """(skills rated, skills targeted) for a role."""
    results = skill_results(kb, role, assessment)
    return sum(1 for r in results if r.level is not None), len(results)
