"""Pydantic models of the knowledge base files and of an assessment.

The two KB files are validated on their own (`SkillsFile`, `RoadmapFile`); `KnowledgeBase` joins
them once the cross-checks in `kb.py` have passed, and adds the look-ups everything else needs.
"""

# No `from __future__ import annotations` here: pydantic would then evaluate every annotation
# string as each model class is created, a quarter of this module's import time.
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)
from pydantic_core.core_schema import ValidationInfo

MIN_LEVEL, MAX_LEVEL = 0, 4
LEVEL_NAMES = ("None", "Aware", "Working", "Proficient", "Expert")
STEPS_UP = ("1-2", "2-3", "3-4")
MAX_EFFORT_HOURS = 10_000
HOURS_IN_A_WEEK = 168

Id = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=80),
    Field(description="Lower-case letters, digits, '-' and '_'; unique in the knowledge base."),
]
Text = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]
Level = Annotated[int, Field(ge=MIN_LEVEL, le=MAX_LEVEL, strict=True)]
HttpsUrl = Annotated[str, StringConstraints(pattern=r"^https://[^\s/$.?#][^\s]*$", max_length=2000)]


class Model(BaseModel):
    # Schemas are built on first use: a KB loaded from the cache never needs most of them.
    # No number is infinite or NaN: `.inf` in a file would reach sums, dates and JSON output.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True, allow_inf_nan=False)


class ScaleLevel(Model):
    level: Level
    name: Text
    description: Text


class Source(Model):
    """A document the knowledge base was written from."""

    id: Id
    title: Text
    file: str | None = Field(default=None, description="File name of the seed document.")
    year: int | None = None


class Category(Model):
    id: Id
    name: Text
    description: str = ""


class Resource(Model):
    title: Text
    url: HttpsUrl


class Check(Model):
    """A multiple-choice knowledge check, asked when someone rates a hard skill 3 or 4.

    `level` is the level the item probes: a rating of 3 draws a level-3 item, a 4 a level-4 item.
    Choices are shuffled when shown, so their order in the file carries no hint.
    """

    level: Literal[3, 4] = Field(default=3, description="The level this item probes: 3 or 4.")
    prompt: Text
    choices: Annotated[tuple[Text, ...], Field(min_length=2, max_length=6)]
    answer: Text = Field(description="The right choice, written exactly as in `choices`.")
    explanation: Text

    @field_validator("choices")
    @classmethod
    def _distinct(cls, choices: tuple[str, ...]) -> tuple[str, ...]:
        if len(set(choices)) != len(choices):
            raise ValueError("choices must all be different")
        return choices

    @field_validator("answer")
    @classmethod
    def _one_of_choices(cls, answer: str, info: ValidationInfo) -> str:
        choices = info.data.get("choices")
        if choices is not None and answer not in choices:
            raise ValueError("the answer must be one of the choices, written exactly the same")
        return answer


class Skill(Model):
    id: Id
    name: Text
    kind: Literal["hard", "soft"]
    category: Id
    description: Text
    levels: dict[Literal[1, 2, 3, 4], Text] = Field(
        description="What someone does at each level 1-4, as observable behaviour."
    )
    tips: dict[Literal["1-2", "2-3", "3-4"], Text] = Field(
        description="How to climb each step: keys 1-2, 2-3 and 3-4."
    )
    weight: Annotated[float, Field(gt=0, le=10)] = 1.0
    sources: tuple[Id, ...] = ()
    beyond_seeds: bool = Field(
        default=False, description="True when no source mentions the skill but the role needs it."
    )
    resources: tuple[Resource, ...] = ()
    checks: tuple[Check, ...] = ()

    @field_validator("levels")
    @classmethod
    def _all_levels(cls, levels: dict[int, str]) -> dict[int, str]:
        missing = [str(n) for n in range(1, MAX_LEVEL + 1) if n not in levels]
        if missing:
            raise ValueError(f"descriptors for levels 1-4 are needed; missing {', '.join(missing)}")
        return levels

    @field_validator("tips")
    @classmethod
    def _all_tips(cls, tips: dict[str, str]) -> dict[str, str]:
        missing = [step for step in STEPS_UP if step not in tips]
        if missing:
            raise ValueError(f"tips for 1-2, 2-3 and 3-4 are needed; missing {', '.join(missing)}")
        return tips


class Salary(Model):
    text: Text = Field(description="Salary context as a person would say it.")
    usd_per_year: int | None = Field(default=None, ge=0)
    basis: Literal["average", "entry", "ceiling"] | None = Field(
        default=None,
        description="What usd_per_year is: an average, an entry-level figure, or a ceiling "
        "('up to').",
    )
    source: Text
    year: int = Field(description="The year the figure is from.")


class Role(Model):
    id: Id
    name: Text
    summary: Text
    salary: Salary | None = None
    targets: dict[Id, Level] = Field(
        description="Skill id -> target level; a skill the role does not need is left out (or 0)."
    )


StepKind = Literal["step", "route", "habit"]
StepLevel = Annotated[int, Field(ge=1, le=MAX_LEVEL, strict=True)]


class Step(Model):
    """A roadmap step, and the level (1-4) to which finishing it brings each skill it develops.

    `kind`: a `step` is part of the way to a role; a `route` is an optional path (a degree, a
    bootcamp, an elective) and a `habit` something ongoing (hours per week). Neither is a next step.
    A KB may still list `skills: [ids]` instead of `develops`; `kb.load` reads that as developing
    each skill to the highest target any role sets for it, and `optional: true` as a route.
    """

    id: Id
    title: Text
    description: Text
    outcome: Text = Field(description="What the learner has made or can show at the end.")
    kind: StepKind = "step"
    requires: tuple[Id, ...] = ()
    develops: dict[Id, StepLevel] = Field(
        default_factory=dict,
        description="Skill id -> the level (1-4) that finishing this step brings a learner to.",
    )
    skills: tuple[Id, ...] = Field(
        default=(), description="Older form of `develops`: skill ids only (see the README)."
    )
    # 10,000 h is five years of full-time work: more than a degree, so a step that says more is
    # a typing mistake.
    effort_hours: Annotated[float, Field(ge=0, le=MAX_EFFORT_HOURS)] | None = Field(
        default=None,
        description="Hours of focused work for a step or route; left out when unknown.",
    )
    hours_per_week: Annotated[float, Field(gt=0, le=HOURS_IN_A_WEEK)] | None = Field(
        default=None, description="For a habit: hours a week to keep it up."
    )
    resources: tuple[Resource, ...] = ()
    sources: tuple[Id, ...] = ()
    beyond_seeds: bool = False

    @model_validator(mode="before")
    @classmethod
    def _optional_is_a_route(cls, data: Any) -> Any:
        """The older `optional: true` means a route."""
        if isinstance(data, dict) and "optional" in data:
            data = dict(data)
            optional = data.pop("optional")
            if optional is True:
                data.setdefault("kind", "route")
        return data

    @model_validator(mode="after")
    def _complete(self) -> "Step":
        if self.develops and self.skills:
            raise ValueError("give `develops` (skill: level) or the older `skills`, not both")
        if not self.develops and not self.skills:
            raise ValueError("`develops` must name at least one skill and its level")
        if self.kind == "habit" and self.hours_per_week is None:
            raise ValueError("a habit needs `hours_per_week`")
        return self

    @property
    def optional(self) -> bool:
        return self.kind == "route"

    @property
    def hours(self) -> float:
        """Effort in hours: 0 for a habit (its time is per week) and when unknown."""
        return self.effort_hours or 0.0

    @property
    def estimated(self) -> bool:
        """A habit's time is per week; a step or route without `effort_hours` has no estimate."""
        return self.kind == "habit" or self.effort_hours is not None


class SkillsFile(Model):
    """`skills.yaml`: the scale, the seed sources, categories and skills."""

    name: Text | None = Field(
        default=None,
        description="The knowledge base's name, recorded in saved assessments (default: its "
        "folder's name).",
    )
    scale: tuple[ScaleLevel, ...]
    sources: tuple[Source, ...] = ()
    categories: tuple[Category, ...]
    skills: tuple[Skill, ...]

    @field_validator("scale")
    @classmethod
    def _whole_scale(cls, scale: tuple[ScaleLevel, ...]) -> tuple[ScaleLevel, ...]:
        if [s.level for s in scale] != list(range(MIN_LEVEL, MAX_LEVEL + 1)):
            raise ValueError("the scale must list levels 0, 1, 2, 3 and 4, in that order")
        return scale


class RoadmapFile(Model):
    """`roadmap.yaml`: target roles and roadmap steps."""

    roles: tuple[Role, ...]
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class KnowledgeBase:
    """A cross-checked knowledge base: every reference resolves and the roadmap has no cycle."""

    skills_file: SkillsFile
    roadmap_file: RoadmapFile
    origin: str = field(default="", compare=False)
    digest: str = field(default="", compare=False)  # hash of the two files' text

    @property
    def name(self) -> str:
        return self.skills_file.name or (Path(self.origin).name if self.origin else "unnamed")

    @property
    def stamp(self) -> "KbStamp":
        return KbStamp(name=self.name, hash=self.digest)

    def level_name(self, level: int) -> str:
        return self.skills_file.scale[level].name

    @property
    def scale(self) -> tuple[ScaleLevel, ...]:
        return self.skills_file.scale

    @property
    def sources(self) -> tuple[Source, ...]:
        return self.skills_file.sources

    @property
    def categories(self) -> tuple[Category, ...]:
        return self.skills_file.categories

    @property
    def skills(self) -> tuple[Skill, ...]:
        return self.skills_file.skills

    @property
    def roles(self) -> tuple[Role, ...]:
        return self.roadmap_file.roles

    @property
    def steps(self) -> tuple[Step, ...]:
        return self.roadmap_file.steps

    @cached_property
    def skill(self) -> dict[str, Skill]:
        return {s.id: s for s in self.skills}

    @cached_property
    def role(self) -> dict[str, Role]:
        return {r.id: r for r in self.roles}

    @cached_property
    def step(self) -> dict[str, Step]:
        return {s.id: s for s in self.steps}

    @cached_property
    def category(self) -> dict[str, Category]:
        return {c.id: c for c in self.categories}


Verdict = Literal["confirmed", "mixed", "not_confirmed", "skipped"]


class CheckOutcome(Model):
    """One knowledge-check item as it was asked: kept whole, so that a report can still explain
    it after the knowledge base changes."""

    prompt: Text
    level: Literal[3, 4] = 3
    chosen: Text | None = Field(default=None, description="The choice picked; null when skipped.")
    answer: Text | None = Field(default=None, description="The right choice (absent in format 1).")
    correct: bool = False


class Evidence(Model):
    """What the knowledge checks said about one rating of 3 or 4.

    `confirmed`: the first item right; `mixed`: one right, one wrong; `not_confirmed`: wrong, then
    wrong, skipped or no second item; `skipped`: the first item skipped.
    """

    verdict: Verdict
    rating: Level = Field(description="The rating the checks were asked for.")
    # The quiz asks at most two items and the verdict reads two: more is not an assessment's.
    items: Annotated[tuple[CheckOutcome, ...], Field(max_length=2)] = ()
    date: str | None = Field(default=None, description="When the checks were answered.")


def verdict(items: tuple[CheckOutcome, ...]) -> Verdict:
    """The verdict of the items asked so far for one skill (see `Evidence`)."""
    if not items or items[0].chosen is None:
        return "skipped"
    if items[0].correct:
        return "confirmed"
    if len(items) > 1 and items[1].correct:
        return "mixed"
    return "not_confirmed"


class KbStamp(Model):
    """Which knowledge base an assessment was made with: never a path, which is private."""

    name: Text
    hash: str = Field(description="sha256 of the KB's two files, as `mlcareer validate` shows it.")


class Assessment(Model):
    """A person's self-assessment. An answers file is the same thing with fewer keys filled in.

    `answers` maps a skill id to a level, or to null when the person skipped it (unrated). In a
    quick assessment, the skills that are not in `answers` were not asked: they are not assessed.
    Format 1 files (one check outcome per skill) are read and turned into format 2.
    """

    mlcareer: Literal[1, 2] = Field(default=2, description="Version of this file's format.")
    role: Id | None = None
    name: Annotated[Text, StringConstraints(max_length=200)] | None = Field(
        default=None, description="Whose assessment it is, as `mlcareer team` shows it."
    )
    answers: dict[Id, Level | None] = Field(default_factory=dict)
    completed_steps: tuple[Id, ...] = ()
    checks: dict[Id, Evidence] = Field(default_factory=dict)
    quick: bool = False
    position: Annotated[int, Field(ge=0)] = Field(
        default=0, description="Index of the next question, for resuming."
    )
    started: str | None = None
    updated: str | None = None
    finished: str | None = None
    kb: KbStamp | None = Field(default=None, description="The knowledge base it was made with.")
    kb_folder: str | None = Field(
        default=None,
        description="An unfinished quiz's --kb folder, to resume with it; dropped when finished.",
    )

    @model_validator(mode="before")
    @classmethod
    def _from_format_1(cls, data: Any) -> Any:
        if not isinstance(data, dict) or data.get("mlcareer", 1) != 1:
            return data
        data = {**data, "mlcareer": 2}
        checks, answers = data.get("checks"), data.get("answers")
        if isinstance(checks, dict):
            data["checks"] = {
                skill_id: _evidence_from_format_1(outcome, answers, skill_id)
                for skill_id, outcome in checks.items()
            }
        return data


def _evidence_from_format_1(outcome: Any, answers: Any, skill_id: Any) -> Any:
    """`{prompt, chosen, correct}` -> evidence with that one item."""
    if not isinstance(outcome, dict):
        return outcome  # validation reports it
    rating = answers.get(skill_id) if isinstance(answers, dict) else None
    correct = outcome.get("correct") is True
    return {
        "verdict": "confirmed" if correct else "not_confirmed",
        "rating": rating if isinstance(rating, int) else 3,
        "items": [outcome],
    }
