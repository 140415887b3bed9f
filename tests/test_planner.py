"""The level-aware planner: hand-computed cases on a small KB, validation, and properties."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlcareer import kb as kb_module
from mlcareer import planner
from mlcareer.errors import DataError
from mlcareer.models import (
    Category,
    KnowledgeBase,
    RoadmapFile,
    Role,
    ScaleLevel,
    Skill,
    SkillsFile,
    Step,
    StepKind,
)

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return kb_module.load(FIXTURES / "levels")


def levels(kb: KnowledgeBase, **given: int) -> dict[str, int]:
    return {s.id: given.get(s.id, 0) for s in kb.skills}


def targets(kb: KnowledgeBase) -> dict[str, int]:
    return dict(kb.role["mle"].targets)


def test_a_beginner_needs_the_whole_chain_at_full_effort(kb: KnowledgeBase) -> None:
    p = planner.plan(kb, targets(kb), levels(kb))
    assert [s.id for s in p.needed] == ["py-basics", "py-more", "stats-course", "ml-project"]
    assert dict(p.hours) == {"py-basics": 40, "py-more": 60, "stats-course": 50, "ml-project": 100}
    assert p.time_to_target_hours == 250
    # python: weight 2 x (2 - 0) = 4 in 40 h beats statistics: 1 x 2 in 50 h.
    assert [(n.step.id, n.closes) for n in p.next_steps] == [
        ("py-basics", 4.0),
        ("stats-course", 2.0),
    ]
    assert [(r.skill, r.level, r.to) for r in p.next_steps[0].raises] == [("python", 0, 2)]
    assert [u.id for u in p.next_steps[0].unlocks] == ["py-more"]


def test_routes_and_habits_are_never_steps_nor_hours(kb: KnowledgeBase) -> None:
    p = planner.plan(kb, targets(kb), levels(kb))
    assert [(r.step.id, r.covers, r.hours) for r in p.routes] == [
        ("bootcamp", ("python", "ml"), 500)
    ]
    assert [h.id for h in p.habits] == ["meetups"]
    assert {"bootcamp", "meetups"}.isdisjoint(s.id for s in p.needed)
    # communication is only developed by a habit: not covered, and hours are a lower bound.
    assert p.not_covered == ("communication",)


def test_a_partly_done_step_counts_its_missing_share(kb: KnowledgeBase) -> None:
    # py-more develops python 2 -> 3 (its prerequisite reaches 2) and sql 0 -> 2: 3 levels in 60 h.
    # At python 3 and sql 0, only sql's 2 of 3 are missing: 40 h.
    p = planner.plan(kb, targets(kb), levels(kb, python=3))
    assert p.hours["py-more"] == pytest.approx(40)
    assert "py-basics" not in p.hours  # done by levels
    # ml-project: ml 0 -> 3 and statistics 2 -> 3 (python is already 3 after py-more): 4 levels.
    p = planner.plan(kb, targets(kb), levels(kb, python=3, sql=2, statistics=2, ml=1))
    assert p.hours == {"ml-project": pytest.approx(100 * (2 + 1) / 4)}


def test_finishing_a_step_removes_its_whole_effort(kb: KnowledgeBase) -> None:
    before = planner.plan(kb, targets(kb), levels(kb)).time_to_target_hours
    after = planner.plan(kb, targets(kb), levels(kb, python=2)).time_to_target_hours
    assert before - after == 40


def test_marked_steps_are_done_and_listed_for_rerating(kb: KnowledgeBase) -> None:
    p = planner.plan(kb, targets(kb), levels(kb), marked={"py-basics", "stats-course"})
    assert [n.step.id for n in p.next_steps] == ["py-more"]
    assert [s.id for s in p.rerate] == ["py-basics", "stats-course"]


def test_at_every_target_nothing_is_needed(kb: KnowledgeBase) -> None:
    p = planner.plan(kb, targets(kb), dict(targets(kb)))
    assert (p.needed, p.next_steps, p.routes, p.time_to_target_hours) == ((), (), (), 0)


def test_dated_plan_follows_the_ranking_prerequisites_first(kb: KnowledgeBase) -> None:
    from datetime import date

    t, lv = targets(kb), levels(kb)
    p = planner.plan(kb, t, lv)
    order = planner.study_order(kb, p, t, lv)
    assert [s.id for s in order] == ["py-basics", "py-more", "stats-course", "ml-project"]
    items = planner.dated_plan(order, p.hours, 10, date(2026, 1, 1))
    assert [(i.step.id, i.start.isoformat(), i.end.isoformat()) for i in items] == [
        ("py-basics", "2026-01-01", "2026-01-28"),
        ("py-more", "2026-01-29", "2026-03-11"),
        ("stats-course", "2026-03-12", "2026-04-15"),
        ("ml-project", "2026-04-16", "2026-06-24"),
    ]


def test_uncovered_targets_are_found(kb: KnowledgeBase) -> None:
    found = [(u.role.id, u.skill, u.target, u.best) for u in planner.uncovered_targets(kb)]
    assert found == [("mle", "communication", 2, 0)]


def test_older_skill_lists_develop_to_the_highest_target() -> None:
    tiny = kb_module.load(FIXTURES / "tiny")
    assert tiny.step["learn-python"].develops == {"python": 4}  # senior targets python 4
    assert tiny.step["present"].kind == "route"  # `optional: true`


# Validation -------------------------------------------------------------------------------------


def _copy(tmp_path: Path, old: str, new: str) -> Path:
    for name in ("skills.yaml", "roadmap.yaml"):
        text = (FIXTURES / "levels" / name).read_text()
        if name == "roadmap.yaml":
            assert old in text
            text = text.replace(old, new, 1)
        (tmp_path / name).write_text(text)
    return tmp_path


def _problems(folder: Path) -> list[str]:
    with pytest.raises(DataError) as caught:
        kb_module.load(folder)
    return [p.message for p in caught.value.problems]


def test_a_level_that_falls_along_requires_is_refused(tmp_path: Path) -> None:
    folder = _copy(tmp_path, "develops: {python: 3, sql: 2}", "develops: {python: 1, sql: 2}")
    assert _problems(folder) == [
        "step 'py-more': develops python to 1, below the 2 that its prerequisite "
        "'py-basics' already reaches"
    ]


def test_requiring_a_route_is_refused(tmp_path: Path) -> None:
    folder = _copy(tmp_path, "requires: [py-more, stats-course]", "requires: [py-more, bootcamp]")
    assert _problems(folder) == [
        "step 'ml-project': requires 'bootcamp', which is a route; only steps can be required "
        "(a route or habit is never on the way)"
    ]


def test_a_habit_needs_hours_per_week(tmp_path: Path) -> None:
    folder = _copy(tmp_path, "    hours_per_week: 2\n", "")
    assert _problems(folder) == ["step 'meetups': a habit needs `hours_per_week`"]


# Properties over generated roadmaps and people ---------------------------------------------------

SCALE = tuple(ScaleLevel(level=n, name=f"L{n}", description="d") for n in range(5))
DESCRIPTORS = {1: "a", 2: "b", 3: "c", 4: "d"}
TIPS = {"1-2": "x", "2-3": "y", "3-4": "z"}
KINDS: list[StepKind] = ["step", "step", "step", "route", "habit"]


@st.composite
def worlds(draw: st.DrawFn) -> tuple[KnowledgeBase, dict[str, int], dict[str, int]]:
    """A valid KB (levels never fall along requires, nothing requires a route or habit), a role's
    targets and a person's levels."""
    ids = [f"s{i}" for i in range(draw(st.integers(1, 6)))]
    skills = tuple(
        Skill(
            id=s,
            name=s,
            kind="hard",
            category="c",
            description="d",
            levels=DESCRIPTORS,  # type: ignore[arg-type]
            tips=TIPS,  # type: ignore[arg-type]
            weight=draw(st.sampled_from([0.5, 1.0, 2.0])),
        )
        for s in ids
    )
    steps: list[Step] = []
    reach: dict[str, dict[str, int]] = {}
    for i in range(draw(st.integers(0, 8))):
        kind = draw(st.sampled_from(KINDS))
        candidates = [s.id for s in steps if s.kind == "step"]
        requires = sorted(draw(st.sets(st.sampled_from(candidates)))) if candidates else []
        floor: dict[str, int] = {}
        for r in requires:
            for k, v in reach[r].items():
                floor[k] = max(floor.get(k, 0), v)
        chosen = draw(st.sets(st.sampled_from(ids), min_size=1, max_size=3))
        develops = {k: draw(st.integers(max(1, floor.get(k, 0)), 4)) for k in sorted(chosen)}
        reach[f"t{i}"] = {**floor, **{k: max(v, floor.get(k, 0)) for k, v in develops.items()}}
        steps.append(
            Step(
                id=f"t{i}",
                title=f"T{i}",
                description="d",
                outcome="o",
                kind=kind,
                requires=tuple(requires),
                develops=develops,
                effort_hours=None if kind == "habit" else draw(st.integers(0, 200)),
                hours_per_week=2 if kind == "habit" else None,
            )
        )
    goal = {s: draw(st.integers(0, 4)) for s in ids}
    role = Role(id="r", name="R", summary="s", targets=goal)
    knowledge = KnowledgeBase(
        SkillsFile(scale=SCALE, categories=(Category(id="c", name="C"),), skills=skills),
        RoadmapFile(roles=(role,), steps=tuple(steps)),
    )
    person = {s: draw(st.integers(0, 4)) for s in ids}
    return knowledge, {s: t for s, t in goal.items() if t > 0}, person


World = tuple[KnowledgeBase, dict[str, int], dict[str, int]]


@settings(max_examples=400, deadline=None)
@given(worlds(), st.data())
def test_raising_a_level_never_adds_time_or_steps(world: World, data: st.DataObject) -> None:
    kb, goal, person = world
    before = planner.plan(kb, goal, person)
    skill = data.draw(st.sampled_from(sorted(person)))
    raised = {**person, skill: data.draw(st.integers(person[skill], 4))}
    after = planner.plan(kb, goal, raised)
    assert after.time_to_target_hours <= before.time_to_target_hours + 1e-9
    assert {s.id for s in after.needed} <= {s.id for s in before.needed}


@settings(max_examples=400, deadline=None)
@given(worlds())
def test_next_steps_are_available_needed_steps(world: World) -> None:
    kb, goal, person = world
    p = planner.plan(kb, goal, person)
    for nxt in p.next_steps:
        assert nxt.step.id not in p.done
        assert nxt.step.kind == "step"
        assert all(r in p.done for r in nxt.step.requires)
    if p.time_to_target_hours > 0:
        assert p.next_steps


@settings(max_examples=300, deadline=None)
@given(worlds())
def test_at_every_target_no_step_and_no_hours(world: World) -> None:
    kb, goal, person = world
    at_target = {**person, **goal}
    p = planner.plan(kb, goal, {s: max(at_target[s], person[s]) for s in person})
    assert p.needed == () and p.next_steps == () and p.time_to_target_hours == 0


@settings(max_examples=300, deadline=None)
@given(worlds(), st.data())
def test_a_chain_adds_up_to_its_full_effort(world: World, data: st.DataObject) -> None:
    """From zero, each step of a prerequisite chain costs its whole effort; a person who has what
    the first k steps give pays exactly the effort of the rest."""
    kb, _, _ = world
    chain = [s for s in planner.topological(kb.steps) if s.kind == "step"]
    reached = planner.prerequisite_levels(kb.steps)
    zero = {s.id: 0 for s in kb.skills}
    total = sum(planner.remaining_hours(s, zero, reached) for s in chain)
    assert total == pytest.approx(sum(s.hours for s in chain))
    # Walk one path: each step requires the one before it.
    path: list[Step] = []
    for step in chain:
        if not path or path[-1].id in step.requires:
            path.append(step)
    k = data.draw(st.integers(0, len(path)))
    given = dict(zero)
    for step in path[:k]:
        for skill, level in step.develops.items():
            given[skill] = max(given[skill], level)
    rest = sum(planner.remaining_hours(s, given, reached) for s in path[k:])
    assert rest == pytest.approx(sum(s.hours for s in path[k:]))


def _kb(steps: list[Step], targets: dict[str, int]) -> KnowledgeBase:
    skills = tuple(
        Skill(id=s, name=s, kind="hard", category="c", description="d",
              levels=DESCRIPTORS, tips=TIPS)  # type: ignore[arg-type]
        for s in ("x", "y", "z")
    )  # fmt: skip
    role = Role(id="r", name="R", summary="s", targets=targets)
    return KnowledgeBase(
        SkillsFile(scale=SCALE, categories=(Category(id="c", name="C"),), skills=skills),
        RoadmapFile(roles=(role,), steps=tuple(steps)),
    )


def test_a_prerequisite_that_closes_nothing_ranks_by_what_it_leads_to() -> None:
    # `setup` develops x, which the role does not target: it closes nothing itself, but it is the
    # way to `fast` (y 0 -> 2 in 10 h), which beats `slow` (z 0 -> 1 in 100 h).
    def step(
        id_: str, develops: dict[str, int], hours: int, requires: tuple[str, ...] = ()
    ) -> Step:
        return Step(id=id_, title=id_, description="d", outcome="o", develops=develops,
                    effort_hours=hours, requires=requires)  # fmt: skip

    kb = _kb(
        [
            step("slow", {"z": 1}, 100),
            step("setup", {"x": 1}, 5),
            step("fast", {"y": 2}, 10, ("setup",)),
        ],
        {"y": 2, "z": 1},
    )
    p = planner.plan(kb, {"y": 2, "z": 1}, {"x": 0, "y": 0, "z": 0})
    assert [(n.step.id, n.closes) for n in p.next_steps] == [("setup", 0.0), ("slow", 1.0)]
    assert [u.id for u in p.next_steps[0].unlocks] == ["fast"]


def test_prerequisite_levels_match_carrying_every_skill_down_every_chain() -> None:
    """The bit-set version gives the levels of the plain definition (the highest level any
    direct or indirect prerequisite takes the skill to) on random roadmaps, and a 5,000-step
    chain no longer takes quadratic time."""
    import random
    import time

    from mlcareer.planner import prerequisite_levels

    def naive(steps: list[Step]) -> dict[str, dict[str, int]]:
        by_id = {s.id: s for s in steps}

        def ancestors(step: Step) -> set[str]:
            found: set[str] = set()
            for required in step.requires:
                found |= {required} | ancestors(by_id[required])
            return found

        return {
            s.id: {
                k: best
                for k in s.develops
                if (best := max((by_id[a].develops.get(k, 0) for a in ancestors(s)), default=0))
            }
            for s in steps
        }

    rng = random.Random(7)
    for _ in range(30):
        steps: list[Step] = []
        for n in range(rng.randint(1, 12)):
            picks = [f"s{rng.randrange(n)}" for _ in range(rng.randint(0, 2))] if n else []
            develops = {f"k{rng.randrange(5)}": rng.randint(1, 4) for _ in range(rng.randint(1, 3))}
            steps.append(
                Step(
                    id=f"s{n}",
                    title="t",
                    description="d",
                    outcome="o",
                    requires=tuple(sorted(set(picks))),
                    develops=develops,
                    effort_hours=1,
                )
            )
        levels = {
            sid: {k: lv for k, (lv, _) in m.items()}
            for sid, m in prerequisite_levels(steps).items()
        }
        assert levels == naive(steps)
    chain = [
        Step(
            id=f"c{n}",
            title="t",
            description="d",
            outcome="o",
            develops={f"k{n}": 2},
            requires=(f"c{n - 1}",) if n else (),
            effort_hours=1,
        )
        for n in range(5000)
    ]
    start = time.perf_counter()
    prerequisite_levels(chain)
    assert time.perf_counter() - start < 2.0  # was about 30 s
