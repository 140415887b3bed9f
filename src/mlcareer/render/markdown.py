"""GitHub-flavoured Markdown: data is escaped so that it adds no cell, row, HTML, image or link."""

from __future__ import annotations

import re

from mlcareer import __version__
from mlcareer.analysis import GapReport, Progress
from mlcareer.render.text import READINESS_NOTE, one_line, salary_source

# Every character that can start Markdown or HTML syntax inside a line (CommonMark lets any ASCII
# punctuation be escaped with a backslash; GFM tables honour `\|`; `$` starts maths on GitHub).
# Data never starts a line here, so list and heading markers need no escape.
_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|!&~$])")


def inline(text: str) -> str:
    """`text` on one line, shown literally wherever inline Markdown is allowed (and in cells)."""
    return _SPECIAL.sub(r"\\\1", one_line(text))


def table(header: list[str], rows: list[list[str]], align: str = "") -> list[str]:
    """A GFM table; `align` gives one of l, r per column (default left)."""
    marks = ["---:" if a == "r" else "---" for a in align.ljust(len(header), "l")]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(marks) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f} %"


def report(r: GapReport) -> str:
    role = inline(r.role.name)
    out = [f"# Gap report: {role}", "", f"*{r.day.isoformat()} · mlcareer {__version__}*", ""]
    kinds = f"hard skills {_pct(r.hard_readiness)} · soft skills {_pct(r.soft_readiness)}"
    out += [f"**Readiness: {r.readiness:.1f} %** ({kinds})", ""]
    if r.role.salary is not None:
        s = r.role.salary
        out += [f"Salary context: {inline(s.text)} ({inline(salary_source(s))})", ""]
    if r.unrated:
        count = len(r.unrated)
        out += [f"{count} skill{'s' if count != 1 else ''} not rated: counted as 0.", ""]

    out += ["## Readiness by category", ""]
    rows = [[inline(c.category.name), f"{c.readiness:.1f} %", str(c.skills)] for c in r.categories]
    out += [*table(["Category", "Readiness", "Skills"], rows, "lrr"), ""]

    out += ["## Gaps, largest first", ""]
    if r.gaps:
        rows = [
            [inline(g.skill.name), _level(g.level), str(g.target), str(g.gap), f"{g.weight:g}"]
            for g in r.gaps
        ]
        out += [*table(["Skill", "You", "Target", "Gap", "Weight"], rows, "lrrrr"), ""]
    else:
        out += ["None: every target of this role is met.", ""]

    if r.strengths:
        out += ["## Strengths", ""]
        rows = [[inline(s.skill.name), _level(s.level), str(s.target)] for s in r.strengths]
        out += [*table(["Skill", "You", "Target"], rows, "lrr"), ""]

    cal = r.calibration
    if cal.passed or cal.missed:
        out += [
            "## Calibration",
            "",
            f"Knowledge checks: {cal.passed} passed, {cal.missed} missed.",
        ]
        out.append("")
        if cal.misses:
            rows = [
                [
                    inline(m.skill.name),
                    str(m.level),
                    inline(m.outcome.prompt),
                    inline(m.outcome.chosen),
                    inline(m.explanation),
                ]
                for m in cal.misses
            ]
            header = ["Skill", "Rated", "Question", "You chose", "Why it matters"]
            out += [*table(header, rows, "lr"), ""]

    out += ["## Next steps", ""]
    names = {s.skill.id: s for s in r.skills}
    for nxt in r.next_steps:
        closes = ", ".join(f"{inline(names[s].skill.name)} \\+{names[s].gap}" for s in nxt.skills)
        optional = ", optional: one route among others" if nxt.step.optional else ""
        line = f"- [ ] **{inline(nxt.step.title)}** ({nxt.step.effort_hours:g} h{optional}): "
        line += f"closes {closes} (weighted gap {nxt.closes:g}). "
        line += f"Outcome: {inline(nxt.step.outcome)}"
        if nxt.unlocks:
            line += f" Unlocks: {', '.join(inline(u.title) for u in nxt.unlocks)}."
        out.append(line)
    if not r.next_steps:
        out.append("No roadmap step is needed for this role.")
    out.append("")

    out += ["## Time to target", ""]
    text = f"About {r.time_to_target_hours:g} hours of roadmap steps"
    if r.weeks_to_target is not None:
        text += f", {r.weeks_to_target} weeks at {r.hours_per_week:g} h a week"
    out += [text + " (optional steps not counted).", ""]
    if r.plan:
        rows = [
            [
                p.start.isoformat(),
                p.end.isoformat(),
                inline(p.step.title),
                f"{p.step.effort_hours:g}",
            ]
            for p in r.plan
        ]
        out += [*table(["From", "To", "Step", "Hours"], rows, "lllr"), ""]
    out += ["---", "", f"*{inline(READINESS_NOTE)}*", ""]
    return "\n".join(out)


def _level(level: int | None) -> str:
    return "unrated" if level is None else str(level)


def progress(p: Progress) -> str:
    sign = "+" if p.change >= 0 else ""
    out = [f"# Progress: {inline(p.role.name)}", ""]
    out += [
        f"**Readiness: {p.old.readiness:.1f} % → {p.new.readiness:.1f} % ({sign}{p.change:.1f})**",
        "",
        "## Skills that moved",
        "",
    ]
    if p.moves:
        rows = [
            [
                inline(m.skill.name),
                _level(m.old),
                _level(m.new),
                f"{(m.new or 0) - (m.old or 0):+d}",
            ]
            for m in p.moves
        ]
        out += table(["Skill", "Before", "Now", "Change"], rows, "lrrr")
    else:
        out.append("No rating changed.")
    out += ["", "## Steps completed since", ""]
    out += [f"- [x] {inline(s)}" for s in p.steps_done] or ["None."]
    return "\n".join(out) + "\n"
