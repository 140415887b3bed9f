"""Tables that never cut a word: when the columns cannot fit, each row is stacked instead.

A rich table squeezed below its minimum width folds words ("Adapta/bility"), and rich squeezes
the widest columns first whatever their words. `FitTable` sets its column widths itself at render
time, no column narrower than its longest word, and when even that is wider than the space it is
given, shows each row as its prose cells on their own lines followed by `header value` pairs.
Ids, paths and URLs are never folded either: `Whole` marks text whose long words may run past
the edge, where the terminal soft-wraps them and a copy-paste still gets them whole.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich import box
from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text


class Whole:
    """Text wrapped at spaces only: a word longer than the line (an id, a path, a URL) stays whole
    on a line of its own. Print it with `crop=False` so the terminal soft-wraps that line."""

    def __init__(self, text: Text, indent: int = 0) -> None:
        self.text = text
        self.indent = indent  # spaces before each line: a `Padding` would crop the long word

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        text = self.text.copy()
        text.overflow = "ignore"  # Text.wrap then breaks at spaces only, and never crops
        margin = Text(" " * self.indent)
        wrapped = text.wrap(console, max(1, options.max_width - self.indent))
        lines = Text("\n").join(margin + line for line in wrapped)
        lines.no_wrap, lines.overflow, lines.end = True, "ignore", text.end
        yield lines

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        size = Measurement.get(console, options, self.text)
        return Measurement(size.minimum + self.indent, size.maximum + self.indent)


class FitTable(Table):
    """A table, or when it cannot fit without cutting words, one stacked block per row.

    `compact`: the columns (by header) shown as `header value` pairs under the row's prose cells.
    """

    def __init__(self, *headers: str, compact: Iterable[str] = (), title: str | None = None):
        super().__init__(
            box=box.SIMPLE_HEAD, title=title, title_justify="left", pad_edge=False, show_edge=False
        )
        self.compact = frozenset(compact)
        self._rows_kept: list[tuple[Text, ...]] = []
        for header in headers:
            self.add_column(header, overflow="fold", no_wrap=header in self.compact)

    def add_row(self, *cells: RenderableType | None, **_: object) -> None:
        """Keep the cells as text, for the stacked form; rows take no style here."""
        kept = tuple(c if isinstance(c, Text) else Text(str(c or "")) for c in cells)
        self._rows_kept.append(kept)
        super().add_row(*kept)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        widths = self.widths(console, options)
        if widths is None:
            if self.title:
                yield Text(str(self.title), style="italic")
            yield from self._stacked()
            return
        unset = [column.width for column in self.columns]
        for column, width in zip(self.columns, widths, strict=True):
            column.width = width  # for this rendering only: a table may be drawn at other widths
        try:
            yield from super().__rich_console__(console, options)
        finally:
            for column, was in zip(self.columns, unset, strict=True):
                column.width = was

    def widths(self, console: Console, options: ConsoleOptions) -> list[int] | None:
        """Each column's width, padding aside, in the widest layout that fits and cuts no word;
        None when even the narrowest does not fit.

        Rich's own squeeze narrows the widest columns without heed of their longest word, so it
        folds words even where another layout would not: here a column gives way, widest first,
        only down to its longest word (its whole longest line when it does not wrap). Handing
        rich the widths also spares it measuring every cell again."""
        last = len(self.columns) - 1
        room = options.max_width - 3 * last  # between columns: padding, the box's rule, padding
        widths: list[int] = []  # natural widths first, then narrowed
        least: list[int] = []
        for n, column in enumerate(self.columns):
            cells = [Text(str(column.header)), *(row[n] for row in self._rows_kept if n < len(row))]
            sizes = [Measurement.get(console, options, cell) for cell in cells]
            widths.append(max(size.maximum for size in sizes))
            least.append(widths[-1] if column.no_wrap else max(size.minimum for size in sizes))
        if sum(least) > room:
            return None
        for _ in range(sum(widths) - room):
            widest = max(
                (n for n in range(last + 1) if widths[n] > least[n]), key=widths.__getitem__
            )
            widths[widest] -= 1
        return widths

    def _stacked(self) -> Iterable[RenderableType]:
        headers = [str(c.header) for c in self.columns]
        for row in self._rows_kept:
            cells = list(zip(headers, row, strict=False))
            prose = [cell for header, cell in cells if header not in self.compact]
            pairs = [f"{h} {cell.plain}" for h, cell in cells if h in self.compact and cell.plain]
            for n, cell in enumerate(prose):
                yield Whole(cell if n else Text.assemble(cell, style="bold"))
            if pairs:
                yield Whole(Text(" · ".join(pairs), style="dim"), indent=2)
