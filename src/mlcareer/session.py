"""One `mlcareer assess` session, from resume-or-start to the saved assessment: no terminal code.

The rules: a saved quiz with no answer is not offered; `--role X` with an unfinished quiz for Y
says so and asks; a saved quiz with no role (or one the KB no longer has) asks for a role and
keeps its answers; a retake shows the answers of the last finished assessment for the same role.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from mlcareer import quiz, store
from mlcareer.errors import DataError, Problem, StorageError, UsageError
from mlcareer.models import Assessment, KnowledgeBase, Role, Skill


class SessionPrompter(quiz.Prompter, Protocol):
    """The quiz's prompter, plus the questions asked before the quiz starts."""

    def confirm(self, question: str) -> bool: ...

    def choose_role(self, roles: Sequence[Role]) -> Role: ...

    def intro(self, role: Role, count: int, minutes: int, start: int, retake: bool) -> None: ...

    def note(self, message: str) -> None: ...


@dataclass(frozen=True)
class Options:
    role: str | None = None
    quick: bool = False
    restart: bool = False
    fresh: bool = False  # a retake that does not show the last answers
    checks: bool = True
    seed: int | None = None


@dataclass(frozen=True)
class Start:
    assessment: Assessment
    role: Role
    skills: tuple[Skill, ...]
    previous: Assessment | None


def _saved(kb: KnowledgeBase, prompter: SessionPrompter) -> Assessment | None:
    try:
        saved, ignored = store.load_progress(kb)
    except DataError as error:
        hint = Problem(
            str(store.in_progress_path()),
            1,
            1,
            "this saved quiz cannot be resumed; `mlcareer assess --restart` starts afresh "
            "and keeps it in history",
        )
        raise DataError([*error.problems, hint]) from None
    for problem in ignored:
        prompter.note(f"{problem}; left out")
    return saved


def _set_aside(prompter: SessionPrompter) -> None:
    kept = store.set_aside_progress()
    if kept is not None:
        prompter.note(f"The unfinished quiz is kept in {kept}")


def _ask(prompter: SessionPrompter, question: str) -> bool:
    try:
        return prompter.confirm(question)
    except EOFError:
        raise UsageError("no answer: run again and type y or n") from None


def _resume(kb: KnowledgeBase, prompter: SessionPrompter, opts: Options) -> Assessment | None:
    """The saved quiz to carry on with, or None to start a new one."""
    if opts.restart:
        _set_aside(prompter)
        return None
    current = _saved(kb, prompter)
    if current is None or not current.answers:
        return None  # nothing worth offering; the next save replaces it
    answered = f"{len(current.answers)} answer{'s' * (len(current.answers) != 1)}"
    role = kb.role.get(current.role or "")
    label = role.name if role else "no role chosen yet"
    if opts.role is not None and role is not None and opts.role != role.id:
        asked = kb.role[opts.role].name
        question = (
            f"You have an unfinished quiz for {label} ({answered}). Resume it instead of "
            f"starting {asked}? (n keeps it in history)"
        )
    else:
        question = f"You have an unfinished assessment ({label}, {answered}). Resume it?"
    if _ask(prompter, question):
        return current
    _set_aside(prompter)
    return None


def _choose(kb: KnowledgeBase, prompter: SessionPrompter, role_id: str | None) -> Role:
    if role_id is not None:
        return kb.role[role_id]
    try:
        return prompter.choose_role(kb.roles)
    except EOFError:
        raise UsageError("no role chosen: pass --role, or pick one from the list") from None


def _last_finished(kb: KnowledgeBase, role: Role) -> Assessment | None:
    from mlcareer import history

    finished = history.scan(kb).finished(role.id)
    return finished[-1].assessment if finished else None


def _folder(kb: KnowledgeBase) -> str | None:
    """The --kb folder to record in the in-progress file, so that a plain `assess` resumes with
    it; None for the shipped KB."""
    from mlcareer.kb import default_dir

    if not kb.origin or Path(kb.origin).resolve() == default_dir().resolve():
        return None
    return str(Path(kb.origin).resolve())


def begin(kb: KnowledgeBase, prompter: SessionPrompter, opts: Options) -> Start:
    """Resume or start a quiz; refuse one with nothing to ask before anything is saved."""
    if opts.role is not None and opts.role not in kb.role:
        known = ", ".join(kb.role)
        raise UsageError(f"unknown role {opts.role!r}; choose one of: {known}")
    current = _resume(kb, prompter, opts)
    if current is not None and current.role in kb.role:
        role = kb.role[current.role or ""]
        assessment = current
    else:
        role = _choose(kb, prompter, opts.role)
        if current is not None:  # its answers are kept under the role now chosen
            assessment = current.model_copy(update={"role": role.id})
        else:
            assessment = Assessment(
                role=role.id, quick=opts.quick, started=store.now(), kb_folder=_folder(kb)
            )
    skills = tuple(quiz.items(kb, role, quick=assessment.quick))
    if not skills:
        raise UsageError(f"{role.name} targets no skill, so there is nothing to ask")
    if assessment.position > len(skills):
        assessment = assessment.model_copy(update={"position": 0})
    previous = None if opts.fresh else _last_finished(kb, role)
    return Start(assessment, role, skills, previous)


def run(kb: KnowledgeBase, prompter: SessionPrompter, start: Start, opts: Options) -> Assessment:
    """Ask every question; raises `quiz.Quit` (after saving) when the person stops."""
    minutes = quiz.minutes(start.skills, checks=opts.checks)
    prompter.intro(
        start.role,
        len(start.skills),
        minutes,
        start.assessment.position,
        start.previous is not None,
    )

    def save(a: Assessment) -> None:
        store.save_progress(a.model_copy(update={"updated": store.now()}))

    session = quiz.Quiz(
        kb,
        start.skills,
        prompter,
        save,
        random.Random(opts.seed),
        checks=opts.checks,
        previous=start.previous,
        clock=store.now,
    )
    return session.run(start.assessment)


def finish(kb: KnowledgeBase, assessment: Assessment) -> tuple[Assessment, Path]:
    """Copy the steps marked done into the assessment and save it to history."""
    marks = store.read_marks(kb)
    completed = tuple(dict.fromkeys([*assessment.completed_steps, *marks]))
    try:
        return store.finish(assessment.model_copy(update={"completed_steps": completed}), kb)
    except StorageError as error:
        raise StorageError(
            f"{error.message}; your answers are kept in {store.in_progress_path()}: run "
            "`mlcareer assess` again to finish once the folder can be written"
        ) from None
