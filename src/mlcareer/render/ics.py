"""iCalendar (RFC 5545) of the dated plan: one all-day event per step, written by hand.

The format needs little: CRLF line ends, lines folded at 75 octets, TEXT values with `\\`, `;`,
`,` and newlines escaped. A test parses the output back with the `icalendar` library. UIDs are
made of the role and the step, so that importing a newer plan updates the events instead of
adding copies.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from mlcareer import __version__
from mlcareer.analysis import GapReport
from mlcareer.planner import PlanItem
from mlcareer.render.text import effort, https_url, literal, resources

LIMIT = 75  # octets a line, CRLF aside


def escape(text: str) -> str:
    """A TEXT value: controls made visible, then backslash, semicolon, comma and newline escaped."""
    text = literal(text.replace("\r\n", "\n"))
    for plain, escaped in (("\\", "\\\\"), (";", "\\;"), (",", "\\,"), ("\n", "\\n")):
        text = text.replace(plain, escaped)
    return text


def fold(line: str) -> str:
    """Split a content line into chunks of at most 75 octets, never inside a UTF-8 character."""
    chunks: list[str] = []
    current, size = "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        limit = LIMIT if not chunks else LIMIT - 1  # a continuation starts with a space
        if size + width > limit:
            chunks.append(current)
            current, size = "", 0
        current += char
        size += width
    chunks.append(current)
    return "\r\n ".join(chunks)


def _day(d: date) -> str:
    return d.strftime("%Y%m%d")


def _develops(item: PlanItem, r: GapReport) -> str:
    """`Statistics 1→2, Probability 0→2`: the skills the step raises for this person, by checked
    level; a step that raises none of the role's skills (a prerequisite) names all it develops."""
    results = {s.skill.id: s for s in r.skills}
    raised = [
        f"{results[s].skill.name} {results[s].checked_level}→{level}"
        for s, level in item.step.develops.items()
        if s in results and results[s].checked_level < level
    ]
    names = {s: results[s].skill.name if s in results else s for s in item.step.develops}
    return ", ".join(raised) or ", ".join(
        f"{names[s]} to {n}" for s, n in item.step.develops.items()
    )


def _description(item: PlanItem, r: GapReport) -> str:
    skills = [s.skill for s in r.skills if s.skill.id in item.step.develops]
    lines = [
        f"Study time: {effort(item.step, item.hours)} (at {r.hours_per_week or 0:g} h a week).",
        f"Develops: {_develops(item, r)}.",
        f"Outcome: {item.step.outcome}",
    ]
    first = next((res for res in resources(item.step, skills) if https_url(res.url)), None)
    if first is not None:
        lines.append(f"First resource: {first.title} {first.url}")
    return "\n".join(lines)


def _event(item: PlanItem, r: GapReport, stamp: str) -> list[str]:
    return [
        "BEGIN:VEVENT",
        f"UID:{r.role.id}.{item.step.id}@mlcareer",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{_day(item.start)}",
        # An all-day event ends on the day after its last day.
        f"DTEND;VALUE=DATE:{_day(item.end + timedelta(days=1))}",
        f"SUMMARY:{escape(item.step.title)}",
        f"DESCRIPTION:{escape(_description(item, r))}",
        "TRANSP:TRANSPARENT",  # study time: it does not make the person busy
        "END:VEVENT",
    ]


def calendar(r: GapReport, now: datetime | None = None) -> str:
    """The dated plan of `r` (made with --hours-per-week) as an iCalendar file."""
    stamp = (now or datetime.now(timezone.utc)).astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//mlcareer//mlcareer {__version__}//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape('Study plan: ' + r.role.name)}",
    ]
    for item in r.plan:
        lines += _event(item, r, stamp)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
