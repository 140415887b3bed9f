"""The gap analysis and the planner: hand-computed cases and hypothesis properties."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlcareer import kb as kb_module
from mlcareer.analysis import analyse, readiness
from mlcareer.models import (
    Assessment,
    Category,
    KnowledgeBase,
    RoadmapFile,
    Role,
    ScaleLevel,
    Skill,
    SkillsFile,
    Step,
)

TINY = Path(__file__).parent / "fixtures" / "tiny"


@pytest.fixture(scope="module")
def tiny() -> KnowledgeBase:
    return kb_module.load(TINY)


def test_hand_computed_report(tiny: KnowledgeBase) -> None:
    # senior targets python 4 (weight 2), sql 3, statistics 3, communication 3.
    answers: dict[str, int | None] = {"python": 3, "sql": 4, "statistics": 2, "communication": 2}
    report = analyse(tiny, Assessment(answers=answers), tiny.role["senior"], today=date(2026, 1, 5))
    # reached 2*3 + 3 + 2 + 2 = 13 of 2*4 + 3 + 3 + 3 = 17
    assert report.readiness == pytest.approx(100 * 13 / 17)
    assert report.hard_readiness == pytest.approx(100 * 11 / 14)
    assert report.soft_readiness == pytest.approx(100 * 2 / 3)
    assert [(c.category.id, round(c.readiness, 2)) for c in report.categories] == [
        ("code", round(100 * 9 / 11, 2)),
        ("maths", round(100 * 2 / 3, 2)),
        ("people", round(100 * 2 / 3, 2)),
    ]
    # weighted gaps: python 2*1 = 2; communication and statistics 1 each, same target: by id.
    assert [g.skill.id for g in report.gaps] == ["python", "communication", "statistics"]
    assert [s.skill.id for s in report.strengths] == ["sql"]
    # The fixture lists skills without levels: each step develops them to the highest target of
    # any role (python 4, statistics 3, sql 3, communication 3). Python 3 -> 4 is a quarter of
    # learn-python's 40 h; statistics 2 -> 3 a third of learn-stats' 60 h.
    assert [(n.step.id, n.closes, n.skills, n.hours) for n in report.next_steps] == [
        ("learn-python", 2.0, ("python",), 10),
        ("learn-stats", 1.0, ("statistics",), 20),
    ]
    assert report.time_to_target_hours == 30
    # communication is only developed by `present`, a route: not covered, and offered as a route.
    assert report.roadmap.not_covered == ("communication",)
    assert [(r.step.id, r.covers) for r in report.roadmap.routes] == [
        ("present", ("communication",))
    ]


def test_unrated_counts_as_zero_and_is_listed(tiny: KnowledgeBase) -> None:
    answers: dict[str, int | None] = {"python": None, "sql": 1}
    report = analyse(tiny, Assessment(answers=answers), tiny.role["junior"])
    # junior: python 2 (w2), sql 1, statistics 1, communication 2 -> 1 of 2*2 + 1 + 1 + 2 = 8
    assert report.readiness == pytest.approx(100 / 8)
    assert {r.skill.id for r in report.unrated} == {"python", "statistics", "communication"}
    assert report.gaps[0].skill.id == "python" and report.gaps[0].gap == 2


def test_completed_steps_and_availability(tiny: KnowledgeBase) -> None:
    role = tiny.role["senior"]
    nothing = analyse(tiny, Assessment(), role, steps=10)
    assert [n.step.id for n in nothing.next_steps] == ["learn-python", "learn-stats"]
    done = Assessment(completed_steps=("learn-python",))
    report = analyse(tiny, done, role, steps=10)
    assert [n.step.id for n in report.next_steps] == ["databases", "learn-stats"]
    assert report.next_steps[0].closes == 2 * 4 + 3  # python gap 4 (w2) + sql gap 3


def test_dated_plan(tiny: KnowledgeBase) -> None:
    report = analyse(
        tiny, Assessment(), tiny.role["junior"], hours_per_week=10, today=date(2026, 1, 1)
    )
    assert report.time_to_target_hours == 130
    assert report.weeks_to_target == 13
    # databases (30 h, once learn-python is done) closes more per hour than learn-stats (60 h).
    assert [(p.step.id, p.start.isoformat(), p.end.isoformat()) for p in report.plan] == [
        ("learn-python", "2026-01-01", "2026-01-28"),
        ("databases", "2026-01-29", "2026-02-18"),
        ("learn-stats", "2026-02-19", "2026-04-01"),
    ]


def test_tie_between_steps_keeps_roadmap_order(tiny: KnowledgeBase) -> None:
    answers: dict[str, int | None] = {"python": 2, "sql": 3, "statistics": 2, "communication": 3}
    role = Role(id="r", name="R", summary="s", targets={"python": 2, "statistics": 3, "sql": 3})
    report = analyse(tiny, Assessment(answers=answers), role)
    assert [n.step.id for n in report.next_steps] == ["learn-stats"]
    role = Role(id="r", name="R", summary="s", targets={"python": 3, "statistics": 4})
    answers = {"python": 2, "statistics": None}
    answers["statistics"] = 2
    report = analyse(tiny, Assessment(answers=answers), role)
    # python: weight 2 x 1 level in 20 h; statistics: 1 x 1 level (no step reaches 4) in 20 h.
    assert [n.step.id for n in report.next_steps] == ["learn-python", "learn-stats"]


# Properties over generated knowledge bases -------------------------------------------------------

SCALE = tuple(ScaleLevel(level=n, name=f"L{n}", description="d") for n in range(5))
LEVELS = {1: "a", 2: "b", 3: "c", 4: "d"}
TIPS = {"1-2": "x", "2-3": "y", "3-4": "z"}


@st.composite
def worlds(draw: st.DrawFn) -> tuple[KnowledgeBase, Role, Assessment]:
    n_skills = draw(st.integers(1, 8))
    skills = tuple(
        Skill(
            id=f"s{i}",
            name=f"S{i}",
            kind=draw(st.sampled_from(["hard", "soft"])),
            category=draw(st.sampled_from(["c0", "c1"])),
            description="d",
            levels=LEVELS,  # type: ignore[arg-type]
            tips=TIPS,  # type: ignore[arg-type]
            weight=draw(st.sampled_from([0.5, 1.0, 1.5, 2.0, 3.0])),
        )
        for i in range(n_skills)
    )
    ids = [s.id for s in skills]
    n_steps = draw(st.integers(0, 8))
    steps = tuple(
        Step(
            id=f"t{i}",
            title=f"T{i}",
            description="d",
            outcome="o",
            # only earlier steps can be required: the graph is acyclic by construction
            requires=tuple(draw(st.sets(st.sampled_from([f"t{j}" for j in range(i)]))))
            if i
            else (),
            develops={
                k: draw(st.integers(1, 4))
                for k in draw(st.sets(st.sampled_from(ids), min_size=1, max_size=3))
            },
            effort_hours=draw(st.integers(0, 100)),
        )
        for i in range(n_steps)
    )
    targets = {s: draw(st.integers(0, 4)) for s in ids}
    role = Role(id="role", name="Role", summary="s", targets=targets)
    categories = (Category(id="c0", name="C0"), Category(id="c1", name="C1"))
    knowledge = KnowledgeBase(
        SkillsFile(scale=SCALE, categories=categories, skills=skills),
        RoadmapFile(roles=(role,), steps=steps),
    )
    answers = {s: draw(st.none() | st.integers(0, 4)) for s in ids}
    completed = tuple(draw(st.sets(st.sampled_from([t.id for t in steps]))) if steps else ())
    return knowledge, role, Assessment(answers=answers, completed_steps=completed)


@settings(max_examples=300, deadline=None)
@given(worlds(), st.data())
def test_readiness_is_bounded_and_never_falls_when_a_level_rises(
    world: tuple[KnowledgeBase, Role, Assessment], data: st.DataObject
) -> None:
    knowledge, role, assessment = world
    before = analyse(knowledge, assessment, role)
    assert 0 <= before.readiness <= 100
    for value in (before.hard_readiness, before.soft_readiness):
        assert value is None or 0 <= value <= 100
    skill = data.draw(st.sampled_from([s.id for s in knowledge.skills]))
    current = assessment.answers.get(skill) or 0
    raised = data.draw(st.integers(current, 4))
    after = analyse(knowledge, Assessment(answers={**assessment.answers, skill: raised}), role)
    assert after.readiness >= before.readiness - 1e-9


@settings(max_examples=300, deadline=None)
@given(worlds())
def test_recommended_steps_are_available_and_not_done(
    world: tuple[KnowledgeBase, Role, Assessment],
) -> None:
    knowledge, role, assessment = world
    report = analyse(knowledge, assessment, role, steps=100)
    done = report.roadmap.done
    for nxt in report.next_steps:
        assert nxt.step.id not in done
        assert all(r in done for r in nxt.step.requires)
        assert nxt.step.kind == "step"


@settings(max_examples=300, deadline=None)
@given(worlds())
def test_reaching_every_target_leaves_no_gaps_and_no_steps(
    world: tuple[KnowledgeBase, Role, Assessment],
) -> None:
    knowledge, role, _ = world
    at_target = Assessment(answers=dict(role.targets.items()))
    report = analyse(knowledge, at_target, role)
    assert report.gaps == ()
    assert report.next_steps == ()
    assert report.time_to_target_hours == 0
    assert report.readiness == 100


def test_readiness_of_nothing_targeted_is_undefined() -> None:
    assert readiness([]) is None
