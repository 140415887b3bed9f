"""Pure functions over the roadmap graph."""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from mlcareer.models import KnowledgeBase, Step


def ordered_steps(kb: KnowledgeBase) -> list[Step]:
    """The steps in prerequisite order, keeping the file's order wherever the graph allows."""
    position = {s.id: i for i, s in enumerate(kb.steps)}
    waiting = {s.id: len(set(s.requires)) for s in kb.steps}
    unlocks: dict[str, list[str]] = {s.id: [] for s in kb.steps}
    for s in kb.steps:
        for required in set(s.requires):
            unlocks[required].append(s.id)
    ready = [position[s] for s, n in waiting.items() if n == 0]
    heapq.heapify(ready)
    order: list[Step] = []
    while ready:
        step = kb.steps[heapq.heappop(ready)]
        order.append(step)
        for nxt in unlocks[step.id]:
            waiting[nxt] -= 1
            if waiting[nxt] == 0:
                heapq.heappush(ready, position[nxt])
    return order


@dataclass(frozen=True)
class NextStep:
    step: Step
    closes: float  # the weighted gap it addresses: sum of w_s * gap_s over the skills it develops
    skills: tuple[str, ...]  # the skills with a gap that it develops
    unlocks: tuple[Step, ...]  # steps that become available once it is done


@dataclass(frozen=True)
class PlanItem:
    step: Step
    start: date
    end: date


def done_steps(
    kb: KnowledgeBase,
    completed: Iterable[str],
    targets: Mapping[str, int],
    levels: Mapping[str, int],
) -> set[str]:
    """Steps done for a role: listed as completed, or every targeted skill they develop reached."""
    listed = set(completed)
    return {
        step.id
        for step in kb.steps
        if step.id in listed or all(levels.get(s, 0) >= targets.get(s, 0) for s in step.skills)
    }


def _gap(skill_id: str, targets: Mapping[str, int], levels: Mapping[str, int]) -> int:
    return max(0, targets.get(skill_id, 0) - levels.get(skill_id, 0))


def next_steps(
    kb: KnowledgeBase, done: set[str], targets: Mapping[str, int], levels: Mapping[str, int]
) -> list[NextStep]:
    """Available, not-done steps closing a gap: largest weighted gap first, then roadmap order."""
    order = {step.id: n for n, step in enumerate(ordered_steps(kb))}
    dependents: dict[str, list[Step]] = {s.id: [] for s in kb.steps}
    for step in kb.steps:
        for required in dict.fromkeys(step.requires):
            dependents[required].append(step)
    found = []
    for step in kb.steps:
        if step.id in done or any(r not in done for r in step.requires):
            continue
        skills = tuple(s for s in dict.fromkeys(step.skills) if _gap(s, targets, levels) > 0)
        if not skills:
            continue
        closes = sum(kb.skill[s].weight * _gap(s, targets, levels) for s in skills)
        unlocks = tuple(
            d
            for d in dependents[step.id]
            if d.id not in done and all(r in done or r == step.id for r in d.requires)
        )
        found.append(NextStep(step, closes, skills, unlocks))
    found.sort(key=lambda n: (-n.closes, order[n.step.id]))
    return found


def needed_steps(
    kb: KnowledgeBase, done: set[str], targets: Mapping[str, int], levels: Mapping[str, int]
) -> list[Step]:
    """What stands between a person and the role: the not-done, non-optional steps that develop a
    skill with a gap, and their not-done prerequisites, in prerequisite order.

    Optional steps (a degree *or* a bootcamp) are alternatives, so they are left out of the sum.
    """
    wanted = {
        s.id
        for s in kb.steps
        if s.id not in done
        and not s.optional
        and any(_gap(k, targets, levels) > 0 for k in s.skills)
    }
    pending = list(wanted)
    while pending:
        for required in kb.step[pending.pop()].requires:
            if required not in done and required not in wanted:
                wanted.add(required)
                pending.append(required)
    return [s for s in ordered_steps(kb) if s.id in wanted]


def weeks(hours: float, hours_per_week: float) -> int:
    return math.ceil(hours / hours_per_week)


def dated_plan(steps: Iterable[Step], hours_per_week: float, start: date) -> list[PlanItem]:
    """One step after another at `hours_per_week`, from `start`."""
    plan, spent = [], 0.0
    for step in steps:
        begin = start + timedelta(days=math.floor(spent / hours_per_week * 7))
        spent += step.effort_hours
        end = start + timedelta(days=max(0, math.ceil(spent / hours_per_week * 7) - 1))
        plan.append(PlanItem(step, begin, max(begin, end)))
    return plan
