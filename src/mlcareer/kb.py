"""Find and load a knowledge base: two YAML files in one folder, validated once and then cached.

The files are read and hashed first; only a KB the cache does not hold is parsed and validated
(`validation.py`), so a command on a known KB imports no YAML parser at all.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from mlcareer import cache, reading
from mlcareer.errors import DataError, Problem, UsageError

if TYPE_CHECKING:
    from mlcareer.models import KnowledgeBase
    from mlcareer.overview import Overview

SKILLS_FILE = "skills.yaml"
ROADMAP_FILE = "roadmap.yaml"
_BOM = b"\xef\xbb\xbf"


def default_dir() -> Path:
    """The knowledge base shipped with mlcareer.

    Inside an installed wheel it is `mlcareer/data`; in an editable install or a checkout, the
    repository's top-level `data/` folder.
    """
    packaged = Path(__file__).resolve().parent / "data"
    if (packaged / SKILLS_FILE).is_file():
        return packaged
    return Path(__file__).resolve().parents[2] / "data"


def shown_path(path: Path) -> str:
    """A path as a person wants to read it: relative to the current folder when inside it."""
    try:
        return os.path.relpath(path) if path.resolve().is_relative_to(Path.cwd()) else str(path)
    except (OSError, ValueError, RuntimeError):  # RuntimeError: a symlink loop, before 3.13
        return str(path)


def load(folder: Path | None = None) -> KnowledgeBase:
    """Load and cross-check the knowledge base in `folder` (default: the shipped one)."""
    source = _Source.read(folder)
    knowledge = cache.get(source.digest, source.size) or _validated(source)[0]
    return replace(knowledge, origin=str(source.folder), digest=source.digest)


def overview(folder: Path | None = None) -> Overview:
    """What `validate` says of the KB in `folder`: from the cache's header when it has seen this
    KB, else from loading it."""
    from mlcareer.overview import Overview

    source = _Source.read(folder)
    try:
        return Overview.from_json(cache.overview(source.digest, source.size))
    except ValueError:  # a miss, or not what `put` wrote: the file is written again
        return _validated(source)[1]


class _Source(NamedTuple):
    """The two files as read, a UTF-8 byte order mark dropped, and their hash."""

    folder: Path
    skills: bytes
    roadmap: bytes
    digest: str

    @classmethod
    def read(cls, folder: Path | None) -> _Source:
        folder = default_dir() if folder is None else folder
        if not folder.is_dir():
            raise UsageError(f"knowledge base folder not found: {folder}")
        problems: list[Problem] = []
        raws = [_read(folder / name, problems) for name in (SKILLS_FILE, ROADMAP_FILE)]
        if problems:
            raise DataError(problems)
        skills, roadmap = (raw.removeprefix(_BOM) for raw in raws)
        return cls(folder, skills, roadmap, content_hash(skills, roadmap))

    @property
    def size(self) -> int:
        return len(self.skills) + len(self.roadmap)


def _validated(source: _Source) -> tuple[KnowledgeBase, Overview]:
    """The KB validated from its files, and its overview, both cached."""
    from mlcareer import validation
    from mlcareer.overview import Overview

    skills, roadmap = (shown_path(source.folder / name) for name in (SKILLS_FILE, ROADMAP_FILE))
    knowledge = validation.validate((skills, source.skills), (roadmap, source.roadmap))
    found = Overview.of(knowledge)
    cache.put(source.digest, source.size, knowledge, found.to_json())
    return knowledge, found


def _read(path: Path, problems: list[Problem]) -> bytes:
    try:
        return reading.read_bytes(path, shown_path(path), reading.MAX_BYTES)
    except DataError as error:
        problems.extend(error.problems)
        return b""


def content_hash(skills: bytes, roadmap: bytes) -> str:
    """What saved assessments record of the KB: its content (the UTF-8 of the two files' text),
    never where it lives."""
    digest = hashlib.sha256()
    for raw in (skills, roadmap):
        digest.update(raw)
        digest.update(b"\0")
    return digest.hexdigest()
