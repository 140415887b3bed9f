"""Make any text from a knowledge base or a user safe to show literally."""

from __future__ import annotations

import re
from collections.abc import Mapping

from mlcareer.analysis import GapReport
from mlcareer.models import Salary
from mlcareer.planner import NextStep, RouteOption

# C0/C1 control characters (but newline and tab) and the bidirectional overrides that can make
# text display differently from what it is ("Trojan Source").
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def literal(text: str) -> str:
    """`text` with every control character shown as a visible escape such as `\\x1b`."""
    return _UNSAFE.sub(_visible, text)


def one_line(text: str) -> str:
    """`literal(text)` folded onto one line, for table cells and headings."""
    return " ".join(literal(text).split())


READINESS_NOTE = (
    "Readiness = 100 × Σ weight × min(level, target) / Σ weight × target, over the assessed skills "
    "the role targets; an unrated skill counts as 0. Checked readiness is the same with a rating "
    "one level lower wherever the knowledge checks did not confirm it (a miss, then a miss, a skip "
    "or no second question). Gaps, next steps and time to target use the checked levels."
)

COMPARABILITY_NOTE = (
    "One of the two is a quick assessment: their readiness covers different skills, so the "
    "figures are not directly comparable."
)

VERDICTS = {
    "confirmed": "confirmed",
    "mixed": "mixed (one right, one wrong)",
    "not_confirmed": "not confirmed",
    "skipped": "check skipped",
}


def coverage_note(r: GapReport) -> str | None:
    """What a quick assessment covers, or None for a full one."""
    if not r.quick:
        return None
    c = r.coverage
    return (
        f"Quick mode: {c.assessed} of {c.targeted} skills assessed, {c.weight_share:.0%} of the "
        "role's weight × target. The others are not assessed: neither gaps nor zeros. "
        "`mlcareer assess` without --quick gives the full picture."
    )


def raises_text(nxt: NextStep, names: Mapping[str, str]) -> str:
    """`Statistics 1→2, Probability 0→2`."""
    return ", ".join(f"{names.get(r.skill, r.skill)} {r.level}→{r.to}" for r in nxt.raises)


def covers_text(route: RouteOption) -> str:
    """`1 of your gaps`, `7 of your gaps`."""
    return f"{len(route.covers)} of your gaps"


def time_note(r: GapReport) -> str:
    """How the hours were counted, and when they are only a lower bound."""
    note = "Remaining hours of the needed steps, each once; routes and habits are not counted."
    if r.roadmap.not_covered:
        note += (
            f" A lower bound: no roadmap step takes {len(r.roadmap.not_covered)} of your "
            "skills to the target."
        )
    return note


def hours(value: float) -> str:
    return f"{value:,.0f} h" if value >= 1 or value == 0 else "under 1 h"


def salary_source(salary: Salary) -> str:
    """`source, year`, without saying the year twice when the source already names it."""
    source = one_line(salary.source)
    return source if str(salary.year) in source else f"{source}, {salary.year}"
