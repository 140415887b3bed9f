"""A cache of validated knowledge bases, keyed by the hash of the files' content: never stale.

Parsing and validating the KB is most of the work of a command; a pickle of the result loads in
a fraction of that time. Any problem with the cache (missing, corrupt, unwritable, from another
version) just means the KB is validated again. `MLCAREER_CACHE=0` turns it off.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from pathlib import Path

from mlcareer import __version__
from mlcareer.files import atomic_write_bytes, home
from mlcareer.models import KnowledgeBase


def _enabled() -> bool:
    return os.environ.get("MLCAREER_CACHE", "1") != "0"


def _path(skills_text: str, roadmap_text: str) -> Path:
    import pydantic

    from mlcareer import kb, models

    # The code that shapes a KB is part of the key, so a changed model never meets an old pickle.
    code = "".join(Path(m.__file__ or "").read_text("utf-8") for m in (models, kb))
    digest = hashlib.sha256()
    for part in (__version__, pydantic.VERSION, sys.version, code, skills_text, roadmap_text):
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return home() / "cache" / f"kb-{digest.hexdigest()[:32]}.pickle"


def get(skills_text: str, roadmap_text: str) -> KnowledgeBase | None:
    if not _enabled():
        return None
    try:
        with open(_path(skills_text, roadmap_text), "rb") as handle:
            knowledge = pickle.load(handle)
    except Exception:  # noqa: BLE001 - any unreadable cache is simply a miss
        return None
    return knowledge if isinstance(knowledge, KnowledgeBase) else None


def put(skills_text: str, roadmap_text: str, knowledge: KnowledgeBase) -> None:
    if not _enabled():
        return
    try:
        atomic_write_bytes(_path(skills_text, roadmap_text), pickle.dumps(knowledge, 5))
    except OSError:
        pass  # a read-only home: the cache is an optimisation, never a requirement
