"""`mlcareer team` as plain text, Markdown and JSON (the HTML heat map is in `render.html`).

The text table needs no colour: every cell is a number, and `–` marks a category not assessed.
Categories are its rows, people its columns, so that ten category names fit in 80 columns.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from mlcareer.errors import Problem
from mlcareer.render.json import SCHEMA_VERSION
from mlcareer.render.lines import GLUE, width, wrap
from mlcareer.render.markdown import inline, table
from mlcareer.render.text import one_line
from mlcareer.team import Member, TeamReport, grouped

NAME_WIDTH = 12  # the most a person's column takes, in terminal cells
MIN_COLUMN = 4  # "100" with room to breathe
GAP = "  "  # before each person's column
NOT_ASSESSED = "–"


def _pct(value: float | None) -> str:
    return NOT_ASSESSED if value is None or not math.isfinite(value) else f"{value:.0f}"


def _fit(text: str, cells: int) -> str:
    """`text` cut to `cells` terminal cells, with `…` when cut."""
    if width(text) <= cells:
        return text
    out = ""
    for char in text:
        if width(out + char) > cells - 1:
            break
        out += char
    return out + "…"


def _blocks(columns: Sequence[int], room: int) -> list[range]:
    """People's columns, each GAP and `cells` wide, in runs that fit `room` cells (at least one)."""
    blocks: list[range] = []
    start, used = 0, 0
    for n, cells in enumerate(columns):
        if n > start and used + len(GAP) + cells > room:
            blocks.append(range(start, n))
            start, used = n, 0
        used += len(GAP) + cells
    return [*blocks, range(start, len(columns))] if columns else blocks


def _matrix(t: TeamReport, line_width: int) -> list[str]:
    """Categories down, people across; a person's column is as wide as their name (cut at
    NAME_WIDTH) and people who do not fit go on in a second table below, so that no line is
    wider than `line_width`. Category names wrap at spaces when even one person would not fit."""
    names = _names(t)
    columns = [max(MIN_COLUMN, width(name)) for name in names]
    labels = ["Overall", *(one_line(c.name) for c in t.categories)]
    numbers = [[_pct(m.readiness) for m in t.members]] + [
        [_pct(m.categories.get(c.id)) for m in t.members] for c in t.categories
    ]
    label_width = max(min(max(map(width, labels)), line_width - len(GAP) - max(columns)), 8)
    wrapped = [wrap(label, label_width, "  ") for label in labels]
    out: list[str] = []
    for block in _blocks(columns, line_width - label_width):
        if out:
            out.append("")
        wide = [columns[n] for n in block]
        out.append(_row([""], [names[n] for n in block], wide, label_width))
        for label, cells in zip(wrapped, numbers, strict=True):
            out.append(_row(label, [cells[n] for n in block], wide, label_width))
    return out


def _row(label: list[str], cells: Sequence[str], columns: Sequence[int], label_width: int) -> str:
    """A row whose label may take several lines: the numbers go on its first."""
    first, *rest = label or [""]
    line = first + " " * (label_width - width(first))
    for cell, cells_wide in zip(cells, columns, strict=True):
        line += GAP + " " * (cells_wide - width(cell)) + cell
    return "\n".join([line.rstrip(), *rest])


def _names(t: TeamReport) -> list[str]:
    return [_fit(one_line(m.name), NAME_WIDTH) for m in t.members]


def text(t: TeamReport, line_width: int = 80) -> str:
    """The team report in lines of at most `line_width` cells (a word longer than that aside)."""
    people = len(t.members)
    out = [
        *wrap(f"{one_line(t.role.name)} · team readiness · {t.day.isoformat()}", line_width),
        *wrap(
            f"{people} {'person' if people == 1 else 'people'}; readiness in %, self-rated "
            f"({NOT_ASSESSED}: not assessed)",
            line_width,
        ),
        "",
        *_matrix(t, line_width),
    ]
    quick = [one_line(m.name) for m in t.members if m.quick]
    if quick:
        note = f"Quick assessments (not every skill asked): {', '.join(quick)}"
        out += ["", *wrap(note, line_width, "  ")]
    return "\n".join([*out, "", *_shortfalls_text(t, line_width)]) + "\n"


def _shortfalls_text(t: TeamReport, line_width: int) -> list[str]:
    """Skills that share who is below and who could help are listed together, wrapped."""
    out = wrap("Where most of the group falls short (target in brackets)", line_width)
    for g in grouped(t.shortfalls):
        could = ", ".join(one_line(n) for n in g.helpers) or "nobody yet"
        skills = ", ".join(f"{one_line(s.skill.name)}{GLUE}({s.target})" for s in g.skills)
        out += [
            "",
            *wrap(f"Below target: {', '.join(one_line(n) for n in g.short)}", line_width, "  "),
            *wrap(f"At or above, could help: {could}", line_width, "  "),
            *wrap(skills, line_width, "  ", "  "),
        ]
    if not t.shortfalls:
        out += wrap("No skill where most of the group is below the target.", line_width)
    return out


def markdown(t: TeamReport) -> str:
    header = ["Person", "Overall", *(inline(c.name) for c in t.categories)]
    rows = [
        [inline(m.name), _pct(m.readiness), *(_pct(m.categories.get(c.id)) for c in t.categories)]
        for m in t.members
    ]
    out = [
        f"# Team readiness: {inline(t.role.name)}",
        "",
        f"*{t.day.isoformat()} · readiness in %, self-rated; {NOT_ASSESSED}: not assessed*",
        "",
        *table(header, rows, "l" + "r" * (len(header) - 1)),
        "",
        "## Where most of the group falls short",
        "",
    ]
    if t.shortfalls:
        rows = [
            [
                ", ".join(f"{inline(s.skill.name)} ({s.target})" for s in g.skills),
                ", ".join(inline(n) for n in g.short),
                ", ".join(inline(n) for n in g.helpers) or "nobody yet",
            ]
            for g in grouped(t.shortfalls)
        ]
        out += table(["Skills (target)", "Below target", "At or above: could help"], rows)
    else:
        out.append("No skill where most of the group is below the target.")
    return "\n".join(out) + "\n"


def _round(value: float | None) -> float | None:
    return None if value is None or not math.isfinite(value) else round(value, 1)


def _member(m: Member) -> dict[str, Any]:
    return {
        "name": m.name,
        "file": m.source,
        "quick": m.quick,
        "readiness": _round(m.readiness),
        "checked_readiness": _round(m.checked_readiness),
        "categories": {c: _round(v) for c, v in m.categories.items()},
        "levels": dict(m.levels),
        "checked_levels": dict(m.checked),
    }


def json(t: TeamReport, skipped: Sequence[Problem] = ()) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "role": t.role.id,
        "date": t.day.isoformat(),
        "categories": [{"id": c.id, "name": c.name} for c in t.categories],
        "people": [_member(m) for m in t.members],
        "shortfalls": [
            {
                "skill": s.skill.id,
                "target": s.target,
                "below": list(s.short),
                "at_or_above": list(s.helpers),
            }
            for s in t.shortfalls
        ],
        "skipped": [{"file": p.file, "problem": str(p)} for p in skipped],
    }
