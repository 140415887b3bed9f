"""What `validate` says of a knowledge base: what it holds, and the role targets no step reaches.

It is small and plain, so the KB cache keeps it in its header: `validate` on a KB it has seen
reads one line of JSON instead of rebuilding thousands of models (see `cache.py`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from mlcareer.models import KnowledgeBase


class Shortfall(NamedTuple):
    """A role's target that no step (route or habit aside) reaches."""

    role: str
    skill: str
    target: int
    best: int  # the highest level any step takes the skill to; 0 when none develops it


class Overview(NamedTuple):
    hard_skills: int
    soft_skills: int
    categories: int
    checks: int
    roles: int
    steps: int
    shortfalls: tuple[Shortfall, ...]

    @classmethod
    def of(cls, knowledge: KnowledgeBase) -> Overview:
        from mlcareer.planner import uncovered_targets

        skills = knowledge.skills
        hard = sum(1 for s in skills if s.kind == "hard")
        return cls(
            hard_skills=hard,
            soft_skills=len(skills) - hard,
            categories=len(knowledge.categories),
            checks=sum(len(s.checks) for s in skills),
            roles=len(knowledge.roles),
            steps=len(knowledge.steps),
            shortfalls=tuple(
                Shortfall(u.role.id, u.skill, u.target, u.best)
                for u in uncovered_targets(knowledge)
            ),
        )

    def to_json(self) -> dict[str, Any]:
        return {**self._asdict(), "shortfalls": [s._asdict() for s in self.shortfalls]}

    @classmethod
    def from_json(cls, data: Any) -> Overview:
        """The overview `to_json` wrote; `ValueError` for anything else (a file edited by hand)."""
        counts = {name: _count(data, name) for name in _COUNTS}
        listed = data.get("shortfalls")
        if type(listed) is not list or data.keys() != {*_COUNTS, "shortfalls"}:
            raise ValueError("not an overview")
        return cls(**counts, shortfalls=tuple(_shortfall(item) for item in listed))


_COUNTS = ("hard_skills", "soft_skills", "categories", "checks", "roles", "steps")


def _count(data: Any, name: str) -> int:
    value = data.get(name) if type(data) is dict else None
    if type(value) is not int or value < 0:
        raise ValueError(f"not an overview: {name}")
    return value


def _shortfall(item: Any) -> Shortfall:
    if type(item) is not dict or item.keys() != {"role", "skill", "target", "best"}:
        raise ValueError("not a shortfall")
    role, skill, target, best = item["role"], item["skill"], item["target"], item["best"]
    if type(role) is not str or type(skill) is not str:
        raise ValueError("not a shortfall")
    if type(target) is not int or type(best) is not int:
        raise ValueError("not a shortfall")
    return Shortfall(role, skill, target, best)
