"""Plain text in lines that fit a width, counted in terminal cells and broken at spaces only.

For what is printed without rich: the team matrix and the one-line messages that a terminal
would otherwise break in the middle of a word. Nothing here imports more than `unicodedata`.
"""

from __future__ import annotations

import unicodedata

GLUE = "\u00a0"  # a no-break space: holds two words on one line, printed as a space


def width(text: str) -> int:
    """Terminal cells: East Asian wide characters take two, combining marks none."""
    return sum(
        0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
        for c in text
    )


def wrap(text: str, cells: int, indent: str = "", first: str = "") -> list[str]:
    """`text` in lines of at most `cells` terminal cells, broken at spaces only: a word longer
    than the line stays whole. The first line starts with `first`, the others with `indent`.
    Runs of spaces count as one; GLUE holds two words together."""
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        if not word:
            continue
        joined = f"{line} {word}" if line else first + word
        if line and width(joined) > cells:
            lines.append(line)
            joined = indent + word
        line = joined
    return [ln.replace(GLUE, " ") for ln in ([*lines, line] if line else lines)]
