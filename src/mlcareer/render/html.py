"""HTML: one self-contained page per report, from Jinja2 templates with autoescaping on.

Inline CSS and SVG, no script, no network request: the only links are `https:` resources from
the knowledge base. Every value passes through `_shown` (controls made visible) and then through
Jinja2's escaping; the SVG is the one `Markup`, and `render.svg` builds it from numbers and
escaped text. Jinja2 is imported only here, and this module only for `--format html`.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from mlcareer import __version__
from mlcareer.analysis import GapReport, Progress
from mlcareer.planner import NextStep
from mlcareer.radar import Radar
from mlcareer.render import svg
from mlcareer.render.text import (
    COMPARABILITY_NOTE,
    READINESS_NOTE,
    VERDICTS,
    coverage_note,
    effort,
    hours,
    https_url,
    literal,
    raises_text,
    resources,
    salary_source,
    time_note,
)
from mlcareer.team import TeamReport, grouped

RADAR_NOTE = (
    "The chart: one axis per category, on the level scale 0-4. Your point on an axis is the "
    "weighted mean of your checked levels over the category's skills that the role targets "
    "(Σ weight × level / Σ weight; an unrated skill counts as 0, a level above target counts in "
    "full); the role's outline is the weighted mean of its targets."
)
RANKING_NOTE = (
    "Next steps are the roadmap steps whose prerequisites are done, ranked by weighted gap "
    "closed per remaining hour; routes and habits are never next steps."
)
TEAM_NOTE = (
    "Readiness = 100 × Σ weight × min(level, target) / Σ weight × target over the skills of a "
    "category that the role targets (self-rated). A skill is listed below when more than half of "
    "the people assessed on it are under the target by checked level (a rating the knowledge "
    "checks did not confirm counts one lower); the check answers themselves are not shown."
)


@dataclass(frozen=True)
class Link:
    title: str
    url: str | None  # None: shown as text, not a link


def _shown(value: Any) -> Any:
    """Every value printed: control characters become visible escapes (before autoescaping)."""
    return literal(value) if isinstance(value, str) and not isinstance(value, Markup) else value


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f} %"


def _level(value: int | None) -> str:
    return "unrated" if value is None else str(value)


def heat(value: float | None) -> str:
    """The heat-map class of a readiness: five bands, and one for not assessed."""
    if value is None:
        return "heat-na"
    return f"heat-{min(4, int(value // 25))}"


@functools.cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("mlcareer", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_shown,
    )
    env.filters.update(pct=_pct, level=_level, hours=hours, heat=heat)
    env.globals.update(version=__version__, verdicts=VERDICTS, effort=effort)
    return env


def _render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)


def _chart(chart: Radar) -> Markup | None:
    return Markup(svg.chart(chart)) if chart.axes else None  # built from numbers and escaped text


TABLE_GAPS = 12  # gaps shown as table rows; the rest as compact chips, so the table stays a glance


def lead(text: str) -> tuple[str, str]:
    """A description's first sentence, shown under the title, and the rest, folded away."""
    head, dot, rest = " ".join(text.split()).partition(". ")
    return (head + ".", rest) if dot else (head, "")


def step_links(nxt: NextStep, r: GapReport) -> list[Link]:
    """The resources of a next step and of the skills it raises; only https: links are links."""
    skills = {s.skill.id: s.skill for s in r.skills}
    found = resources(nxt.step, [skills[s] for s in nxt.skills if s in skills])
    return [Link(res.title, https_url(res.url)) for res in found]


def report(r: GapReport, chart: Radar) -> str:
    names = {s.skill.id: s.skill.name for s in r.skills}
    steps = [(n, raises_text(n, names), step_links(n, r)) for n in r.next_steps]
    return _render(
        "report.html.j2",
        r=r,
        summary=lead(r.role.summary),
        table_gaps=r.gaps[:TABLE_GAPS],
        more_gaps=r.gaps[TABLE_GAPS:],
        chart=_chart(chart),
        radar=chart,
        steps=steps,
        names=names,
        salary=salary_source(r.role.salary) if r.role.salary else None,
        coverage=coverage_note(r),
        doubtful=[s for s in r.skills if s.verdict not in (None, "confirmed")],
        notes=[READINESS_NOTE, RADAR_NOTE, RANKING_NOTE, time_note(r)],
    )


def progress(p: Progress, chart: Radar, titles: Mapping[str, str] | None = None) -> str:
    """`titles`: step id -> title, for the steps completed since."""
    return _render(
        "progress.html.j2",
        p=p,
        titles=titles or {},
        chart=_chart(chart),
        radar=chart,
        comparability=None if p.comparable else COMPARABILITY_NOTE,
        notes=[READINESS_NOTE, RADAR_NOTE],
    )


def team(t: TeamReport) -> str:
    return _render("team.html.j2", t=t, groups=grouped(t.shortfalls), note=TEAM_NOTE)
