"""Assessment files: atomic writes, the in-progress quiz, history, and reading answers files.

Layout under the data folder (`MLCAREER_HOME`, else the platform's user data folder):

    in-progress.json              the quiz being taken, rewritten after every answer
    in-progress.lock              held (flock) by the one interactive quiz running
    cache/                        pickles of older versions: never read, safe to delete
    history/NNNN-<day>-<role>.json  finished assessments, and abandoned ones (no `finished`)
    completed-steps/<kb>.json     roadmap steps marked done (`mlcareer roadmap done`), per KB

Every write is atomic (files.py); a temporary file a killed write left behind is removed after
an hour. Reading history for people is in history.py.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from pydantic import ValidationError

from mlcareer import safeyaml
from mlcareer.controls import escape_json
from mlcareer.errors import DataError, Problem, StorageError, UsageError
from mlcareer.files import atomic_write, durable_temporary, home, sync_folder
from mlcareer.models import Assessment, KnowledgeBase

IN_PROGRESS = "in-progress.json"
LOCK = "in-progress.lock"
HISTORY = "history"
MARKS = "completed-steps"
STALE_SECONDS = 3600  # a temporary file this old belongs to no running write


def now() -> str:
    """UTC time to the microsecond, so that assessments saved in the same second still sort."""
    return datetime.now(timezone.utc).isoformat()


def dumps(assessment: Assessment) -> str:
    """The saved form: readable UTF-8 JSON, with control and bidi characters as escapes
    (`controls.escape_json`), so that every file mlcareer saves reads back."""
    data = assessment.model_dump(mode="json")
    text = json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False)
    return escape_json(text) + "\n"


def _fits(path: Path, text: str) -> str:
    """Refuse to save what could not be read back (the reading limit of assessment files)."""
    size = len(text.encode("utf-8"))
    if size > safeyaml.ASSESSMENT_MAX_BYTES:
        limit = safeyaml.ASSESSMENT_MAX_BYTES // (1024 * 1024)
        raise UsageError(
            f"the assessment is too large to save in {path} ({size:,} bytes, at most {limit} MiB)"
        )
    return text


def load(
    path: Path, kb: KnowledgeBase, shown: str | None = None, *, any_role: bool = False
) -> tuple[Assessment, list[Problem]]:
    """Read an answers file or a saved assessment (YAML or JSON) and check it against `kb`.

    Skill and step ids the KB does not have are dropped and returned as located problems for
    the caller to show as warnings: an upgraded KB keeps old history readable. `any_role`: a
    role the KB does not have is dropped (the quiz asks for one) instead of refused.
    """
    doc = safeyaml.read(path, shown, limit=safeyaml.ASSESSMENT_MAX_BYTES)
    if not isinstance(doc.data, dict):
        raise DataError([doc.problem((), "expected a mapping with the key 'answers'")])
    try:
        assessment = Assessment.model_validate(doc.data)
    except ValidationError as error:
        from mlcareer.validation import pydantic_problems

        raise DataError(pydantic_problems(error, doc)) from None
    if assessment.role is not None and assessment.role not in kb.role:
        if not any_role:
            raise DataError([doc.problem(("role",), f"role: unknown role {assessment.role!r}")])
        assessment = assessment.model_copy(update={"role": None})
    unknown: list[Problem] = []
    for skill_id in assessment.answers:
        if skill_id not in kb.skill:
            path_ = ("answers", skill_id)
            unknown.append(doc.problem(path_, f"answers: unknown skill {skill_id!r}", key=True))
    for i, step_id in enumerate(assessment.completed_steps):
        if step_id not in kb.step:
            message = f"completed_steps[{i}]: unknown roadmap step {step_id!r}"
            unknown.append(doc.problem(("completed_steps", i), message))
    for skill_id in assessment.checks:
        if skill_id not in kb.skill:
            message = f"checks: unknown skill {skill_id!r}"
            unknown.append(doc.problem(("checks", skill_id), message, key=True))
    if unknown:
        assessment = assessment.model_copy(
            update={
                "answers": {k: v for k, v in assessment.answers.items() if k in kb.skill},
                "checks": {k: v for k, v in assessment.checks.items() if k in kb.skill},
                "completed_steps": tuple(s for s in assessment.completed_steps if s in kb.step),
            }
        )
    return assessment, unknown


def read(
    path: Path, kb: KnowledgeBase, shown: str | None = None, *, any_role: bool = False
) -> Assessment:
    """`load`, strict: an id the KB does not have is an error (an answers file to assess)."""
    assessment, unknown = load(path, kb, shown, any_role=any_role)
    if unknown:
        raise DataError(unknown)
    return assessment


def in_progress_path() -> Path:
    return home() / IN_PROGRESS


def save_progress(assessment: Assessment) -> None:
    path = home() / IN_PROGRESS
    earlier = path.exists()
    text = _fits(path, dumps(assessment))
    try:
        atomic_write(path, text)
    except OSError as error:
        kept = "the answers saved before it are kept there" if earlier else "no answer is saved"
        raise StorageError(
            f"cannot save to {path}: {_reason(error)}; the answer just given is not saved, {kept}"
        ) from None


def _reason(error: OSError) -> str:
    return error.strerror or str(error)


@contextmanager
def quiz_lock() -> Iterator[None]:
    """One interactive quiz per data folder: a second one, or a `--restart`, would overwrite the
    answers of the first. The lock is advisory (flock) and the kernel drops it when the process
    ends, however it ends, so it never goes stale. Where flock does not exist, no lock."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    path = home() / LOCK
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
    except OSError as error:
        raise StorageError(f"cannot use the data folder {home()}: {_reason(error)}") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
            who = f"process {holder}" if holder.isdigit() else "another process"
            raise UsageError(
                f"a quiz is already running on this data folder ({who}, {home()}): finish it "
                "there, or stop it and run `mlcareer assess` again to carry on"
            ) from None
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        except OSError as error:  # a full disk: better said now than at the first answer
            raise StorageError(
                f"cannot use the data folder {home()}: {_reason(error)}; nothing was saved"
            ) from None
        tidy(home())
        yield
    finally:
        os.close(fd)


def tidy(folder: Path) -> None:
    """Remove temporary files older than an hour: a write killed halfway leaves one behind."""
    cutoff = time.time() - STALE_SECONDS
    try:
        stale = [p for p in folder.glob(".*.tmp") if p.lstat().st_mtime < cutoff]
    except OSError:
        return
    for path in stale:
        try:
            path.unlink()
        except OSError:
            pass  # another process tidied it, or the folder is read-only: harmless


def started_with() -> Path | None:
    """The --kb folder the unfinished quiz was started with, if any: a plain `assess` resumes
    with it. Read leniently: a file that does not parse is reported when the quiz is loaded."""
    data = _lenient(home() / IN_PROGRESS)
    folder = data.get("kb_folder") if isinstance(data, dict) else None
    return Path(folder) if isinstance(folder, str) and folder else None


def load_progress(kb: KnowledgeBase) -> tuple[Assessment | None, list[Problem]]:
    """The unfinished quiz, with the ids this KB does not have dropped (returned as warnings)."""
    path = home() / IN_PROGRESS
    if not os.path.lexists(path):  # a dangling link or a loop is read, and reported
        return None, []
    return load(path, kb, any_role=True)


# A number, then the day: `0007-2026-11-21-…`. Names of older versions start with the time
# (`2026-11-21T09-30-05Z-…`) and must not read as number 2026.
_NUMBERED = re.compile(r"^(\d{4,})-\d{4}-\d\d-\d\d-")


def number(path: Path) -> int | None:
    """The short id of a history file, `7` for `0007-2026-11-21-ml-engineer.json`."""
    found = _NUMBERED.match(path.name)
    return int(found.group(1)) if found else None


def _numbered(stamp: str, label: str, source: Path) -> Path:
    """Give `source`, a complete file in the data folder, the next number in history, e.g.
    `0007-2026-11-21-ml-engineer.json`, and return that name (`source` keeps its own).

    The number, not a clock, orders history. `os.link` claims a name only when it is free, so
    parallel finishes each get their own number, and a numbered file is never empty or half
    written, even after kill -9. A number that another label took meanwhile is given up."""
    folder = home() / HISTORY
    folder.mkdir(parents=True, exist_ok=True)
    taken = [n for n in map(number, folder.glob("*.json")) if n is not None]
    n = max(taken, default=0) + 1
    while True:
        path = folder / f"{n:04d}-{stamp[:10]}-{label}.json"
        try:
            os.link(source, path)
        except FileExistsError:
            n += 1
            continue
        if len(list(folder.glob(f"{n:04d}-*.json"))) == 1:
            sync_folder(folder)
            return path
        path.unlink(missing_ok=True)
        n += 1


def _lenient(path: Path) -> object:
    """A saved file's data, or None when it cannot be read (the full read reports why)."""
    try:
        return safeyaml.read(path, limit=safeyaml.ASSESSMENT_MAX_BYTES).data
    except DataError:
        return None


def _is_empty(path: Path) -> bool:
    data = _lenient(path)  # unreadable: not empty, kept for the person to look at
    return isinstance(data, dict) and not data.get("answers")


def has_progress() -> bool:
    """Whether an unfinished quiz with at least one answer waits in the data folder."""
    path = home() / IN_PROGRESS
    return path.exists() and not _is_empty(path)


def set_aside_progress() -> Path | None:
    """Move the in-progress quiz into history, unfinished, so that a new one can start."""
    source = home() / IN_PROGRESS
    if not source.exists():
        return None
    if not source.is_file():  # a pipe or a device is no quiz to keep: say what it is
        safeyaml.read(source, limit=safeyaml.ASSESSMENT_MAX_BYTES)
    if _is_empty(source):
        source.unlink(missing_ok=True)  # a quiz with no answer holds nothing worth keeping
        return None
    try:
        target = _numbered(now(), "unfinished", source)
        source.unlink()
    except OSError as error:
        raise StorageError(
            f"cannot keep the unfinished quiz in history: {_reason(error)}; it is still in "
            f"{source}, nothing was changed"
        ) from None
    return target


def finish(
    assessment: Assessment, kb: KnowledgeBase, *, from_quiz: bool = True
) -> tuple[Assessment, Path]:
    """Save a finished assessment to history, stamped with the KB's name and hash (the folder
    it came from is private and stays out); `from_quiz`: it was the in-progress quiz, which is
    closed (an answers file leaves a quiz in progress alone)."""
    done = assessment.model_copy(update={"finished": now(), "kb": kb.stamp, "kb_folder": None})
    folder = home() / HISTORY
    text = _fits(folder, dumps(done))
    tmp: Path | None = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = durable_temporary(folder, text.encode("utf-8"), ".finish.")
        path = _numbered(done.finished or now(), done.role or "no-role", tmp)
    except OSError as error:
        raise StorageError(f"cannot save the assessment in {folder}: {_reason(error)}") from None
    finally:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
    tidy(folder)
    if from_quiz:
        (home() / IN_PROGRESS).unlink(missing_ok=True)
    return done, path


ASSESSMENT_SUFFIXES = (".json", ".yaml", ".yml")


def _files_in(folder: Path) -> list[Path]:
    """The assessment and answers files directly in `folder` (hidden ones aside), sorted."""
    try:
        names = sorted(folder.iterdir())
    except OSError as error:
        raise DataError([Problem(str(folder), 1, 1, f"cannot read: {error.strerror}")]) from None
    found = [
        p
        for p in names
        if p.suffix.lower() in ASSESSMENT_SUFFIXES and not p.name.startswith(".") and p.is_file()
    ]
    if not found:
        raise DataError([Problem(str(folder), 1, 1, "no .json, .yaml or .yml file in this folder")])
    return found


def read_many(
    paths: list[Path], kb: KnowledgeBase
) -> tuple[list[tuple[Path, Assessment]], list[Problem], list[Problem]]:
    """Every file named and every assessment file in the folders named (not their subfolders),
    with the problems of those that cannot be read (the others still count) and the ids left out
    of those that could, as `load` leaves them out."""
    found: list[tuple[Path, Assessment]] = []
    problems: list[Problem] = []
    ignored: list[Problem] = []
    for path in paths:
        try:
            files = _files_in(path) if path.is_dir() else [path]
        except DataError as error:
            problems += error.problems
            continue
        for file in files:
            try:
                assessment, unknown = load(file, kb)
            except DataError as error:
                problems += error.problems
                continue
            found.append((file, assessment))
            ignored += unknown
    return found, problems, ignored


def _marks_path(kb: KnowledgeBase) -> Path:
    """One file per knowledge base: `shipped.json`, else named by a hash of the KB's folder."""
    from mlcareer.kb import default_dir

    folder = Path(kb.origin or default_dir()).resolve()
    if folder == default_dir().resolve():
        name = "shipped"
    else:
        name = "kb-" + hashlib.sha256(str(folder).encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return home() / MARKS / f"{name}.json"


def read_marks(kb: KnowledgeBase) -> tuple[str, ...]:
    """The steps marked done for this KB, in roadmap order; ids it no longer has are dropped."""
    path = _marks_path(kb)
    if not path.exists():
        return ()
    doc = safeyaml.read(path, limit=safeyaml.ASSESSMENT_MAX_BYTES)
    steps = doc.data.get("completed_steps") if isinstance(doc.data, dict) else None
    if not isinstance(steps, list):
        raise DataError([doc.problem((), "expected a mapping with a list 'completed_steps'")])
    listed = {s for s in steps if isinstance(s, str)}
    return tuple(s.id for s in kb.steps if s.id in listed)


def write_marks(kb: KnowledgeBase, steps: tuple[str, ...]) -> Path:
    path = _marks_path(kb)
    try:
        atomic_write(path, json.dumps({"completed_steps": list(steps)}, indent=2) + "\n")
    except OSError as error:
        raise StorageError(f"cannot save {path}: {_reason(error)}; nothing was changed") from None
    return path
