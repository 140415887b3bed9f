"""Make any text from a knowledge base or a user safe to show literally."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from mlcareer.analysis import GapReport
from mlcareer.controls import CONTROLS
from mlcareer.models import Resource, Salary, Skill, Step
from mlcareer.planner import NextStep, RouteOption

# What could change how a terminal, a pager or an editor shows the text around it: C0 controls
# (ESC starts every terminal sequence), DEL, C1 controls (U+009B is a one-character CSI), the
# line and paragraph separators (`str.splitlines` breaks a table row on them), lone surrogates
# (no encoding can write them) and the characters Unicode calls Bidi_Control: U+061C, U+200E/F,
# U+202A-E, U+2066-9, which reorder what follows them ("Trojan Source"). U+061C is one of them:
# invisible like the others, and Arabic text shows rightly without it. The joiners U+200C/D
# stay: Persian, Indic scripts and emoji sequences need them, and they reorder nothing.
_UNSAFE = re.compile(f"[{CONTROLS}]")
_UNSAFE_IN_TEXT = re.compile(f"(?![\n\t])[{CONTROLS}]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def literal(text: str, *, lines: bool = True) -> str:
    """`text` with every control character shown as a visible escape such as `\\x1b`.

    `lines`: newlines and tabs stay, for prose laid out by the renderer; False escapes them too,
    for a value that must stay on one line as it is (a date, an id, a file's field)."""
    return (_UNSAFE_IN_TEXT if lines else _UNSAFE).sub(_visible, text)


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
    unknown = len(r.roadmap.unestimated)
    if unknown:
        which = "1 needed step has" if unknown == 1 else f"{unknown} needed steps have"
        note += f" {which} no effort estimate: not counted."
    if r.roadmap.not_covered:
        note += (
            f" A lower bound: no roadmap step takes {len(r.roadmap.not_covered)} of your "
            "skills to the target."
        )
    return note


def hours(value: float) -> str:
    return f"{value:,.0f} h" if value >= 1 or value == 0 else "under 1 h"


def effort(step: Step, value: float) -> str:
    """The hours left on a step, or that the KB gives no estimate (never a misleading 0 h)."""
    return hours(value) if step.estimated else "effort unknown"


SALARY_BASIS = {"average": "average", "entry": "entry-level figure", "ceiling": "upper bound"}


def salary_source(salary: Salary) -> str:
    """`source, year`, without saying the year twice when the source already names it, after
    what the figure is (`a ceiling; ...`) when the KB says."""
    source = one_line(salary.source)
    cited = source if str(salary.year) in source else f"{source}, {salary.year}"
    return f"{SALARY_BASIS[salary.basis]}; {cited}" if salary.basis else cited


# What may stand in an href: an https: link to a named host, with no space, control or invisible
# character that could hide where it goes. Quotes and angle brackets are escaped by whoever
# writes it.
_HOSTILE_URL = re.compile(f"[\\s\\\\\u200b-\u200d\u2060\ufeff{CONTROLS}]")


def https_url(url: str) -> str | None:
    """`url` when it is a plain `https:` link (the KB validates this; renderers check again)."""
    from urllib.parse import urlsplit

    if _HOSTILE_URL.search(url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    plain = parts.scheme == "https" and url[:8].lower() == "https://" and parts.netloc
    return url if plain else None


def resources(step: Step, skills: Iterable[Skill]) -> list[Resource]:
    """A step's own resources, then those of the skills it raises, each link once."""
    found: dict[str, Resource] = {}
    for resource in (*step.resources, *(r for s in skills for r in s.resources)):
        found.setdefault(resource.url, resource)
    return list(found.values())


def scale_legend(r: GapReport) -> str:
    """`Levels: 0 None · 1 Aware · ...`, in the KB's own words."""
    return "Levels: " + " · ".join(f"{s.level} {one_line(s.name)}" for s in r.scale)
