"""The JSON report: a stable contract for scripts (`schema_version` 2, documented in the README)."""

from __future__ import annotations

import json
import math
from typing import Any

from mlcareer.analysis import GapReport, Progress
from mlcareer.controls import escape_json
from mlcareer.models import Step
from mlcareer.planner import NextStep

SCHEMA_VERSION = 2


def dumps(data: Any, ascii: bool = False) -> str:
    """Strict JSON text: a number that is not finite is null (never `NaN` or `Infinity`), and
    the characters `render.text.literal` escapes are written as `\\uXXXX`, so the text cannot
    move a terminal's cursor or reorder a line, yet decodes to the same strings. `ascii`: every
    non-ASCII character escaped, for a stream that cannot encode it."""
    text = json.dumps(_finite(data), indent=2, ensure_ascii=ascii, allow_nan=False)
    return escape_json(text) + "\n"


def _finite(data: Any) -> Any:
    if isinstance(data, float):
        return data if math.isfinite(data) else None
    if isinstance(data, dict):
        return {key: _finite(value) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [_finite(value) for value in data]
    return data


def _round(value: float | None, digits: int = 1) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return round(value, digits)


def report(r: GapReport) -> dict[str, Any]:
    cal = r.calibration
    return {
        "schema_version": SCHEMA_VERSION,
        "role": r.role.id,
        "date": r.day.isoformat(),
        "quick": r.quick,
        "readiness": _round(r.readiness),
        "checked_readiness": _round(r.checked_readiness),
        "hard_readiness": _round(r.hard_readiness),
        "soft_readiness": _round(r.soft_readiness),
        "coverage": {
            "assessed": r.coverage.assessed,
            "targeted": r.coverage.targeted,
            "weight_share": _round(r.coverage.weight_share, 3),
        },
        "categories": [
            {"id": c.category.id, "readiness": _round(c.readiness), "skills": c.skills}
            for c in r.categories
        ],
        "skills": [
            {
                "id": s.skill.id,
                "kind": s.skill.kind,
                "category": s.skill.category,
                "assessed": s.assessed,
                "level": s.level,
                "evidence": s.verdict,
                "checked_level": s.checked_level if s.assessed else None,
                "target": s.target,
                "gap": s.gap if s.assessed else None,
                "weight": s.weight,
            }
            for s in r.skills
        ],
        "gaps": [g.skill.id for g in r.gaps],
        "strengths": [s.skill.id for s in r.strengths],
        "next_steps": [_next_step(n) for n in r.next_steps],
        "routes": [
            {
                "id": route.step.id,
                "title": route.step.title,
                "hours": _round(route.hours, 0) if route.step.estimated else None,
                "covers": list(route.covers),
            }
            for route in r.roadmap.routes
        ],
        "habits": [
            {"id": h.id, "title": h.title, "hours_per_week": h.hours_per_week}
            for h in r.roadmap.habits
        ],
        "not_covered": list(r.roadmap.not_covered),
        "calibration": {
            "passed": cal.passed,
            "missed": cal.missed,
            "skipped": cal.skipped,
            "misses": [
                {
                    "skill": m.skill.id,
                    "level": m.rating,
                    "prompt": m.outcome.prompt,
                    "chosen": m.outcome.chosen,
                    "answer": m.outcome.answer,
                    "explanation": m.explanation,
                }
                for m in cal.misses
            ],
        },
        "time_to_target_hours": _round(r.time_to_target_hours, 0),
        "steps_without_estimate": [s.id for s in r.roadmap.unestimated],
        "hours_per_week": r.hours_per_week,
        "scale": [{"level": s.level, "name": s.name} for s in r.scale],
        "weeks_to_target": r.weeks_to_target,
        "plan": [
            {
                "id": p.step.id,
                "hours": _round(p.hours, 0),
                "start": p.start.isoformat(),
                "end": p.end.isoformat(),
            }
            for p in r.plan
        ],
    }


def _next_step(n: NextStep) -> dict[str, Any]:
    return {
        "id": n.step.id,
        "title": n.step.title,
        "closes": round(n.closes, 3),
        "skills": list(n.skills),
        "develops": {r.skill: r.to for r in n.raises},
        "unlocks": [u.id for u in n.unlocks],
        "effort_hours": n.step.effort_hours,
        "hours": _round(n.hours, 0) if n.step.estimated else None,
    }


def step(s: Step) -> dict[str, Any]:
    """A roadmap step as `mlcareer roadmap --format json` lists it."""
    return {
        "id": s.id,
        "title": s.title,
        "kind": s.kind,
        "optional": s.optional,
        "requires": list(s.requires),
        "skills": list(s.develops),
        "develops": dict(s.develops),
        "effort_hours": s.effort_hours,
        "hours_per_week": s.hours_per_week,
        "outcome": s.outcome,
    }


def progress(p: Progress) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "role": p.role.id,
        "comparable": p.comparable,
        "readiness_before": _round(p.old.readiness),
        "readiness_now": _round(p.new.readiness),
        "checked_readiness_before": _round(p.old.checked_readiness),
        "checked_readiness_now": _round(p.new.checked_readiness),
        "change": _round(p.change),
        "moved": [{"id": m.skill.id, "before": m.old, "now": m.new} for m in p.moves],
        "steps_completed": list(p.steps_done),
    }
