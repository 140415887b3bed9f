"""Make any text from a knowledge base or a user safe to show literally."""

from __future__ import annotations

import re

from mlcareer.models import Salary

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
    "Readiness = 100 × Σ weight × min(level, target) / Σ weight × target, over the skills the role "
    "targets; an unrated skill counts as 0."
)


def salary_source(salary: Salary) -> str:
    """`source, year`, without saying the year twice when the source already names it."""
    source = one_line(salary.source)
    return source if str(salary.year) in source else f"{source}, {salary.year}"
