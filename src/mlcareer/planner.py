"""Pure: a person's levels + a role's targets + the roadmap -> what is done, needed and next.

A step develops each skill s it names to a level L_s. For a person at levels l and a role with
targets t (the definitions are in the README too):

- done: l_s >= L_s for every skill the step develops, or the person marked it done;
- needed: for each skill below target, the first `step` that takes it to the target (lowest L_s
  that reaches t_s, then roadmap order), plus its prerequisites that are not done, transitively.
  When no `step` reaches the target, every `step` raising s is needed and s is *not covered*;
- available: every step it requires is done;
- remaining hours: effort x sum(max(0, L_s - max(l_s, E_s))) / sum(L_s - E_s), where E_s is the
  highest level for s that the step's prerequisites reach (0 when none), so a chain adds up to its
  full effort.

Routes (optional paths) and habits (ongoing) are never next steps and never in time to target.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import date, timedelta
from typing import NamedTuple

from mlcareer.models import KnowledgeBase, Role, Step

Levels = Mapping[str, int]
# step id -> skill id -> (highest level its prerequisites reach, the prerequisite that reaches it)
Reached = Mapping[str, Mapping[str, tuple[int, str]]]


def topological(steps: Sequence[Step]) -> list[Step]:
    """Prerequisites first, keeping the file's order wherever the graph allows."""
    position = {s.id: i for i, s in enumerate(steps)}
    waiting = {s.id: len(set(s.requires)) for s in steps}
    unlocks: dict[str, list[str]] = {s.id: [] for s in steps}
    for s in steps:
        for required in set(s.requires):
            unlocks[required].append(s.id)
    ready = [position[s] for s, n in waiting.items() if n == 0]
    heapq.heapify(ready)
    order: list[Step] = []
    while ready:
        step = steps[heapq.heappop(ready)]
        order.append(step)
        for nxt in unlocks[step.id]:
            waiting[nxt] -= 1
            if waiting[nxt] == 0:
                heapq.heappush(ready, position[nxt])
    return order


def ordered_steps(kb: KnowledgeBase) -> list[Step]:
    return topological(kb.steps)


def prerequisite_levels(steps: Sequence[Step]) -> dict[str, dict[str, tuple[int, str]]]:
    """For each step and each skill it develops: the highest level its prerequisites, direct or
    not, take that skill to, and the step that does (E_s); skills not reached are absent.

    Only the skills a step develops are ever asked about, so only those are computed: carrying
    every skill down every chain is quadratic, 30 s on a 5,000-step roadmap. Each step's
    ancestors are a bit set, and a skill's level is looked up among the few steps developing it.
    """
    order = topological(steps)
    index = {s.id: i for i, s in enumerate(order)}
    ancestors: dict[str, int] = {}
    developers: dict[str, list[Step]] = {}
    for step in order:
        mask = 0
        for required in step.requires:
            if required in ancestors:
                mask |= ancestors[required] | (1 << index[required])
        ancestors[step.id] = mask
        for skill_id in step.develops:
            developers.setdefault(skill_id, []).append(step)
    reached: dict[str, dict[str, tuple[int, str]]] = {}
    for step in order:
        mask, mine = ancestors[step.id], {}
        for skill_id in step.develops:
            best = (0, "")
            for other in developers[skill_id]:
                level = other.develops[skill_id]
                if level > best[0] and mask >> index[other.id] & 1:
                    best = (level, other.id)
            if best[0]:
                mine[skill_id] = best
        reached[step.id] = mine
    return reached


def done_by_levels(step: Step, levels: Levels) -> bool:
    return all(levels.get(s, 0) >= level for s, level in step.develops.items())


def done_steps(kb: KnowledgeBase, levels: Levels, marked: Iterable[str] = ()) -> set[str]:
    listed = set(marked)
    return {s.id for s in kb.steps if s.id in listed or done_by_levels(s, levels)}


def remaining_hours(step: Step, levels: Levels, reached: Reached, done: bool = False) -> float:
    """The missing share of a step's effort, measured from where its prerequisites leave you."""
    if done:
        return 0.0
    gained = total = 0
    before = reached.get(step.id, {})
    for skill_id, level in step.develops.items():
        floor = before.get(skill_id, (0, ""))[0]
        if level > floor:
            total += level - floor
            gained += max(0, level - max(levels.get(skill_id, 0), floor))
    return step.hours if total == 0 else step.hours * gained / total


class Raise(NamedTuple):
    """One skill a step takes closer to the target: from the person's level to `to`."""

    skill: str
    level: int
    to: int


class NextStep(NamedTuple):
    step: Step
    closes: float  # sum of weight x levels closed towards the target over the skills it develops
    raises: tuple[Raise, ...]  # the skills below target it develops, and to which level
    hours: float  # remaining
    unlocks: tuple[Step, ...]  # needed steps that become available once it is done

    @property
    def skills(self) -> tuple[str, ...]:
        return tuple(r.skill for r in self.raises)


class RouteOption(NamedTuple):
    step: Step
    hours: float
    covers: tuple[str, ...]  # skill ids below target that the route raises


class PlanItem(NamedTuple):
    step: Step
    hours: float
    start: date
    end: date


class Plan(NamedTuple):
    done: frozenset[str]
    needed: tuple[Step, ...]  # prerequisite order
    hours: Mapping[str, float]  # remaining hours of each needed step
    not_covered: tuple[str, ...]  # skills below target that no step takes to the target
    next_steps: tuple[NextStep, ...]  # every available needed step, best first
    routes: tuple[RouteOption, ...]
    habits: tuple[Step, ...]
    rerate: tuple[Step, ...]  # marked done while the levels stay below what the step gives

    @property
    def time_to_target_hours(self) -> float:
        """Hours of the needed steps that have an estimate (see `unestimated`)."""
        return sum(self.hours.values())

    @property
    def unestimated(self) -> tuple[Step, ...]:
        """Needed steps whose effort the KB does not give: not counted in the hours."""
        return tuple(s for s in self.needed if not s.estimated)


def _gap_skills(targets: Levels, levels: Levels) -> list[str]:
    return [s for s, t in targets.items() if t > levels.get(s, 0)]


def _needed(
    kb: KnowledgeBase,
    order: Mapping[str, int],
    done: Collection[str],
    targets: Levels,
    levels: Levels,
) -> tuple[set[str], list[str]]:
    steps = sorted((s for s in kb.steps if s.kind == "step"), key=lambda s: order[s.id])
    developing: dict[str, list[Step]] = {}  # in roadmap order; a skill has few steps
    for step in steps:
        for skill in step.develops:
            developing.setdefault(skill, []).append(step)
    wanted: set[str] = set()
    not_covered: list[str] = []
    for skill_id in _gap_skills(targets, levels):
        target = targets[skill_id]
        candidates = developing.get(skill_id, [])
        reaching = [s for s in candidates if s.develops[skill_id] >= target]
        if reaching:
            first = min(reaching, key=lambda s: s.develops[skill_id])  # min keeps roadmap order
            if first.id not in done:
                wanted.add(first.id)
            continue
        not_covered.append(skill_id)
        wanted.update(
            s.id
            for s in candidates
            if s.develops[skill_id] > levels.get(skill_id, 0) and s.id not in done
        )
    pending = list(wanted)
    while pending:
        for required in kb.step[pending.pop()].requires:
            if required not in done and required not in wanted:
                wanted.add(required)
                pending.append(required)
    return wanted, not_covered


def _raises(step: Step, targets: Levels, levels: Levels) -> tuple[Raise, ...]:
    found = []
    for skill_id, level in step.develops.items():
        now, to = levels.get(skill_id, 0), min(level, targets.get(skill_id, 0))
        if to > now:
            found.append(Raise(skill_id, now, to))
    return tuple(found)


def _next_steps(
    kb: KnowledgeBase,
    needed: Sequence[Step],
    hours: Mapping[str, float],
    done: Collection[str],
    targets: Levels,
    levels: Levels,
) -> list[NextStep]:
    """Available needed steps ranked by weighted gap closed per remaining hour.

    A prerequisite that closes nothing itself ranks by the best rate among the needed steps it
    leads to, so that the plan never stalls behind a locked step. Steps without an effort
    estimate have no rate: they come after the estimated ones.
    """
    ids = {s.id for s in needed}
    dependents: dict[str, list[Step]] = {s.id: [] for s in needed}
    for step in needed:
        for required in dict.fromkeys(step.requires):
            if required in ids:
                dependents[required].append(step)
    raises = {s.id: _raises(s, targets, levels) for s in needed}
    closes = {
        s.id: sum(kb.skill[r.skill].weight * (r.to - r.level) for r in raises[s.id]) for s in needed
    }
    rate: dict[str, float] = {}
    for step in reversed(needed):  # dependents come later in prerequisite order
        own = closes[step.id] / max(hours[step.id], 1.0)
        rate[step.id] = (
            own if own > 0 else max((rate[d.id] for d in dependents[step.id]), default=0)
        )
    found = [
        NextStep(
            step,
            closes[step.id],
            raises[step.id],
            hours[step.id],
            tuple(
                d for d in dependents[step.id] if all(r in done or r == step.id for r in d.requires)
            ),
        )
        for step in needed
        if all(r in done for r in step.requires)
    ]
    position = {s.id: n for n, s in enumerate(needed)}
    found.sort(key=lambda n: (not n.step.estimated, -rate[n.step.id], position[n.step.id]))
    return found


def plan(kb: KnowledgeBase, targets: Levels, levels: Levels, marked: Iterable[str] = ()) -> Plan:
    """Everything the report says about the roadmap, for one person and one role."""
    marked = set(marked)
    order = {s.id: n for n, s in enumerate(ordered_steps(kb))}
    reached = prerequisite_levels(kb.steps)
    done = done_steps(kb, levels, marked)
    wanted, not_covered = _needed(kb, order, done, targets, levels)
    needed = sorted((kb.step[s] for s in wanted), key=lambda s: order[s.id])
    hours = {s.id: remaining_hours(s, levels, reached) for s in needed}
    gaps = set(_gap_skills(targets, levels))
    routes = []
    for step in sorted(kb.steps, key=lambda s: order[s.id]):
        covers = tuple(
            s for s, level in step.develops.items() if s in gaps and level > levels.get(s, 0)
        )
        if step.kind == "route" and step.id not in done and covers:
            routes.append(RouteOption(step, remaining_hours(step, levels, reached), covers))
    routes.sort(key=lambda r: -len(r.covers))  # stable: roadmap order among equals
    return Plan(
        done=frozenset(done),
        needed=tuple(needed),
        hours=hours,
        not_covered=tuple(not_covered),
        next_steps=tuple(_next_steps(kb, needed, hours, done, targets, levels)),
        routes=tuple(routes),
        habits=tuple(
            s
            for s in sorted(kb.steps, key=lambda s: order[s.id])
            if s.kind == "habit" and any(targets.get(k, 0) > 0 for k in s.develops)
        ),
        rerate=tuple(s for s in kb.steps if s.id in marked and not done_by_levels(s, levels)),
    )


def statuses(kb: KnowledgeBase, p: Plan | None, marked: Iterable[str] = ()) -> dict[str, str]:
    """Each step's status: done, next (for the plan's role), available or locked."""
    done = set(p.done) if p is not None else set(marked)
    upcoming = {n.step.id for n in p.next_steps} if p is not None else set()

    def status(step: Step) -> str:
        if step.id in done:
            return "done"
        if step.id in upcoming:
            return "next"
        return "available" if all(r in done for r in step.requires) else "locked"

    return {s.id: status(s) for s in kb.steps}


def study_order(kb: KnowledgeBase, p: Plan, targets: Levels, levels: Levels) -> list[Step]:
    """All needed steps, each as soon as its prerequisites are in, best-ranked first."""
    done, left, order = set(p.done), list(p.needed), []
    while left:
        best = _next_steps(kb, left, p.hours, done, targets, levels)[0].step
        order.append(best)
        done.add(best.id)
        left.remove(best)
    return order


def weeks(hours: float, hours_per_week: float) -> int:
    return math.ceil(hours / hours_per_week)


def dated_plan(
    steps: Iterable[Step], hours: Mapping[str, float], hours_per_week: float, start: date
) -> list[PlanItem]:
    """One step after another at `hours_per_week`, from `start`; steps without an estimate
    cannot be dated and are left out (`Plan.unestimated` names them)."""
    plan_items, spent = [], 0.0
    horizon = (date.max - start).days - 1  # the calendar ends in 9999; a calendar file adds a day
    for step in (s for s in steps if s.estimated):
        first = math.floor(spent / hours_per_week * 7)
        spent += hours[step.id]
        last = max(first, math.ceil(spent / hours_per_week * 7) - 1)
        if last > horizon:
            break  # a plan past the year 9999 is no plan: the steps after are not dated
        begin, end = start + timedelta(days=first), start + timedelta(days=last)
        plan_items.append(PlanItem(step, hours[step.id], begin, end))
    return plan_items


class Uncovered(NamedTuple):
    role: Role
    skill: str
    target: int
    best: int  # the highest level any step (not route or habit) takes the skill to


def uncovered_targets(kb: KnowledgeBase) -> list[Uncovered]:
    """Role targets that no `step` reaches: `validate` warns about them."""
    best: dict[str, int] = {}
    for step in kb.steps:
        if step.kind == "step":
            for skill_id, level in step.develops.items():
                best[skill_id] = max(best.get(skill_id, 0), level)
    return [
        Uncovered(role, skill_id, target, best.get(skill_id, 0))
        for role in kb.roles
        for skill_id, target in role.targets.items()
        if target > best.get(skill_id, 0)
    ]
