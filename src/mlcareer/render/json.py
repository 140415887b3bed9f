"""The JSON report: a stable contract for scripts (`schema_version` 1, documented in the README)."""

from __future__ import annotations

from typing import Any

from mlcareer.analysis import GapReport, Progress

SCHEMA_VERSION = 1


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def report(r: GapReport) -> dict[str, Any]:
    cal = r.calibration
    return {
        "schema_version": SCHEMA_VERSION,
        "role": r.role.id,
        "date": r.day.isoformat(),
        "readiness": _round(r.readiness),
        "hard_readiness": _round(r.hard_readiness),
        "soft_readiness": _round(r.soft_readiness),
        "categories": [
            {"id": c.category.id, "readiness": _round(c.readiness), "skills": c.skills}
            for c in r.categories
        ],
        "skills": [
            {
                "id": s.skill.id,
                "kind": s.skill.kind,
                "category": s.skill.category,
                "level": s.level,
                "target": s.target,
                "gap": s.gap,
                "weight": s.weight,
            }
            for s in r.skills
        ],
        "gaps": [g.skill.id for g in r.gaps],
        "strengths": [s.skill.id for s in r.strengths],
        "next_steps": [
            {
                "id": n.step.id,
                "title": n.step.title,
                "closes": round(n.closes, 3),
                "skills": list(n.skills),
                "unlocks": [u.id for u in n.unlocks],
                "effort_hours": n.step.effort_hours,
                "optional": n.step.optional,
            }
            for n in r.next_steps
        ],
        "calibration": {
            "passed": cal.passed,
            "missed": cal.missed,
            "misses": [
                {
                    "skill": m.skill.id,
                    "level": m.level,
                    "prompt": m.outcome.prompt,
                    "chosen": m.outcome.chosen,
                    "explanation": m.explanation,
                }
                for m in cal.misses
            ],
        },
        "time_to_target_hours": r.time_to_target_hours,
        "hours_per_week": r.hours_per_week,
        "weeks_to_target": r.weeks_to_target,
        "plan": [
            {"id": p.step.id, "start": p.start.isoformat(), "end": p.end.isoformat()}
            for p in r.plan
        ],
    }


def progress(p: Progress) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "role": p.role.id,
        "readiness_before": _round(p.old.readiness),
        "readiness_now": _round(p.new.readiness),
        "change": _round(p.change),
        "moved": [{"id": m.skill.id, "before": m.old, "now": m.new} for m in p.moves],
        "steps_completed": list(p.steps_done),
    }
