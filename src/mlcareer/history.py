"""History as people see it: every saved assessment, in order, and the files that cannot be read.

Nothing hides. A file that fails to read is listed with the reason, not skipped, and the commands
that pick "the latest" can say when such a file would have been the one. Ids a knowledge base no
longer has are dropped from the assessment and kept as warnings, so a KB upgrade keeps old history.

Order is by the number that starts a file's name (`0007-2026-11-21-ml-engineer.json`), never by a
clock. Files without a number, from older versions or copied in, are listed after the numbered
ones by name; when picking "the latest" or "the one before", they count as older than any
numbered file, since numbering came later.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from mlcareer import store
from mlcareer.errors import DataError, Problem, UsageError
from mlcareer.files import home
from mlcareer.models import Assessment, KnowledgeBase


class Entry(NamedTuple):
    path: Path
    assessment: Assessment
    ignored: tuple[Problem, ...] = ()  # ids the KB does not have, dropped

    @property
    def number(self) -> int | None:
        return store.number(self.path)


class Unreadable(NamedTuple):
    path: Path
    reason: str

    @property
    def number(self) -> int | None:
        return store.number(self.path)


class History(NamedTuple):
    entries: list[Entry]  # in the order they are listed
    unreadable: list[Unreadable]

    def finished(self, role: str | None = None) -> list[Entry]:
        """Finished assessments (of `role`), oldest first: the order "latest" is picked in."""
        done = [e for e in self.entries if e.assessment.finished is not None]
        done = [e for e in done if role is None or e.assessment.role == role]
        return sorted(done, key=lambda e: age(e.path))

    def newer_unreadable(self, than: Path | None) -> list[Unreadable]:
        """Unreadable files that would come after `than` (None: after nothing) when picking."""
        return [u for u in self.unreadable if than is None or age(u.path) > age(than)]


def age(path: Path) -> tuple[int, int, str]:
    """Oldest first: unnumbered files by name, then numbered files by number."""
    n = store.number(path)
    return (0, 0, path.name) if n is None else (1, n, path.name)


def listed(path: Path) -> tuple[int, int, str]:
    """The order `history` lists files in: numbered ones by number, then the others by name."""
    n = store.number(path)
    return (0, n, path.name) if n is not None else (1, 0, path.name)


def _files() -> list[Path]:
    folder = home() / store.HISTORY
    try:
        return [p for p in folder.glob("*.json") if not p.name.startswith(".")]
    except OSError:
        return []


def scan(kb: KnowledgeBase) -> History:
    """Every file in history, read leniently: what fails is listed with its first problem."""
    store.tidy(home() / store.HISTORY)
    found = History([], [])
    for path in sorted(_files(), key=listed):
        try:
            assessment, ignored = store.load(path, kb)
        except DataError as error:
            reason = error.problems[0] if error.problems else Problem(str(path), 1, 1, "unreadable")
            found.unreadable.append(
                Unreadable(path, f"{reason.line}:{reason.column}: {reason.message}")
            )
            continue
        found.entries.append(Entry(path, assessment, tuple(ignored)))
    return found


def latest(kb: KnowledgeBase) -> tuple[Entry, list[Unreadable]]:
    """The latest finished assessment, and the unreadable files that might be later ones."""
    found = scan(kb)
    done = found.finished()
    if not done:
        hidden = found.newer_unreadable(None)
        more = f"; {len(hidden)} file(s) in history cannot be read: `mlcareer history` lists them"
        raise UsageError(
            "no finished assessment yet: run `mlcareer assess` first" + (more if hidden else "")
        )
    return done[-1], found.newer_unreadable(done[-1].path)


def previous(
    kb: KnowledgeBase, role: str, assessment: Assessment, path: Path | None = None
) -> Assessment | None:
    """The finished assessment for `role` saved before `assessment`: the one before `path` when
    that is in history, else the last one finished earlier; None for an unfinished answers file."""
    same = scan(kb).finished(role)
    if path is not None:
        where = [i for i, e in enumerate(same) if e.path.resolve() == path.resolve()]
        if where:
            return same[where[0] - 1].assessment if where[0] > 0 else None
    if assessment.finished is None:
        return None
    earlier = [e.assessment for e in same if (e.assessment.finished or "") < assessment.finished]
    return earlier[-1] if earlier else None


def find(reference: Path) -> Path:
    """An assessment file named by its path, or by its short id in history (`7`)."""
    if reference.exists() or not reference.name.isdigit() or reference.name != str(reference):
        return reference
    wanted = int(reference.name)
    matches = sorted(p for p in _files() if store.number(p) == wanted)
    if len(matches) > 1:
        names = ", ".join(p.name for p in matches)
        raise UsageError(f"{wanted} names more than one assessment ({names}): give the file")
    if not matches:
        raise UsageError(f"no assessment number {wanted}: `mlcareer history` lists them")
    return matches[0]
