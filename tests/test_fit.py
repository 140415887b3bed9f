"""`FitTable`: at any width every word reads whole, and a table that fits looks as rich draws it."""

from __future__ import annotations

import re

import pytest
from rich import box
from rich.table import Table
from rich.text import Text

from mlcareer import kb
from mlcareer.render.fit import FitTable, Whole
from mlcareer.render.terminal import plain_text, roadmap_table, skills_table, t


def _tables() -> dict[str, FitTable]:
    knowledge = kb.load()
    words = FitTable("skill", "you", "gap", compact=("you", "gap"))
    for name in ("Hyperparameter tuning & validation", "a-very-long-identifier-with-no-space"):
        words.add_row(t(name), "unrated", "3")
    tables = {
        "skills": skills_table(knowledge, knowledge.skills),
        "roadmap": roadmap_table(knowledge, knowledge.steps, {"python-basics": "done"}),
        "words": words,
    }
    return {name: table for name, table in tables.items() if isinstance(table, FitTable)}


TABLES = _tables()


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text))


def test_the_tables_are_fit_tables() -> None:
    assert set(TABLES) == {"skills", "roadmap", "words"}


@pytest.mark.parametrize("name", TABLES)
def test_no_width_cuts_a_word(name: str) -> None:
    """At every width from 30 to 160 columns each word reads whole, and only a word longer than
    the line (an id) runs past it, on a line of its own.
    Rich's own squeeze folded "augmented" at 86 columns in `skills` and "inference" at 64 to 71
    in `roadmap`: it narrows the widest column whatever its longest word."""
    table = TABLES[name]
    whole = _words(plain_text(table, width=400))
    for width in range(30, 161):
        shown = plain_text(table, width=width)
        assert _words(shown) <= whole, (width, sorted(_words(shown) - whole)[:5])
        too_long = [line for line in shown.splitlines() if len(line) > width]
        assert all(" " not in line.strip() for line in too_long), (width, too_long)


@pytest.mark.parametrize("name", TABLES)
@pytest.mark.parametrize("width", [80, 120, 400])
def test_a_table_that_fits_is_drawn_as_rich_draws_it(name: str, width: int) -> None:
    """Setting the widths changes nothing when every column has its natural width."""
    table = TABLES[name]
    plain = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    for column in table.columns:
        plain.add_column(str(column.header), overflow="fold", no_wrap=column.no_wrap)
    for row in zip(*(list(column.cells) for column in table.columns), strict=True):
        plain.add_row(*row)
    natural = plain_text(plain, width=400)
    if max(len(line) for line in natural.splitlines()) <= width:
        assert plain_text(table, width=width) == plain_text(plain, width=width)


def test_an_indented_word_longer_than_the_line_is_not_cropped() -> None:
    """The stacked rows' `id …` line and the quiz's resource links are indented: a `Padding`
    cropped them ("retrieval-augmented-generati" at 30 columns)."""
    url = "https://example.org/" + "a" * 40
    shown = plain_text(Whole(Text(f"see {url} for more"), indent=4), width=30)
    assert shown.splitlines() == ["    see", f"    {url}", "    for more"]
