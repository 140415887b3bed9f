"""A cache of validated knowledge bases, kept as data only (JSON), never as code.

Parsing and validating the KB is most of the work of a command; the validated KB, saved as JSON
and rebuilt into models without validating again, loads in a fraction of that time. A cache file
is trusted only when its header names this KB (the hash of its two files' text, as `validate`
shows it), this version of mlcareer and of the code that shapes a KB, and the sha256 of the
payload that follows. Anything else (missing, truncated, edited, from another version, not a
regular file, too big, an unwritable or full folder) is a miss: the KB is validated again and
the file rewritten. Nothing here can run code: `json` builds only strings, numbers, lists and
dicts, and the models are filled from them field by field.

The cache lives in the platform's cache folder (`MLCAREER_CACHE_DIR` overrides it) and
`MLCAREER_CACHE=0` turns it off. Older versions kept pickles in `MLCAREER_HOME/cache/`; they are
never read again, and that folder can be deleted.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import os
import re
import stat
import sys
import time
import types
import typing
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any, Literal, cast, get_args, get_origin

from pydantic import BaseModel

from mlcareer import __version__
from mlcareer.models import KnowledgeBase, RoadmapFile, SkillsFile

FORMAT = 1  # of the file; part of the key
KEEP = 8  # cache files kept: a few knowledge bases used in turn all stay warm
STALE_TMP_SECONDS = 3600  # a temporary file this old was left by a killed process
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NOFOLLOW", 0)  # we never write a symlink there: one is not ours
    | getattr(os, "O_NONBLOCK", 0)  # a FIFO put there opens at once (and is then refused)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)

_CACHE_NAME = re.compile(r"kb-[0-9a-f]{32}\.json")
_TMP_NAME = re.compile(r"\.kb-[0-9a-f]{32}\.json\.[A-Za-z0-9_]+\.tmp")

Convert = Callable[[Any], Any]


def folder() -> Path:
    """`MLCAREER_CACHE_DIR` when set, else the platform's user cache folder."""
    configured = os.environ.get("MLCAREER_CACHE_DIR")
    if configured:
        return Path(configured).expanduser()
    import platformdirs

    return platformdirs.user_cache_path("mlcareer", appauthor=False)


def get(kb_hash: str, source_size: int) -> KnowledgeBase | None:
    """The cached KB whose two files hash to `kb_hash`, or None (a miss) for any problem."""
    if not _enabled():
        return None
    key = _key(kb_hash)
    raw = _read(folder() / f"kb-{key[:32]}.json", _limit(source_size))
    if raw is None:
        return None
    head, _, payload = raw.partition(b"\n")
    try:
        if json.loads(head) != _header(key, kb_hash, payload):
            return None
        with _no_gc():
            return _decode(payload)
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
        return None  # not JSON, or not the shape this code writes


def put(kb_hash: str, source_size: int, knowledge: KnowledgeBase) -> None:
    """Save a validated KB; silently nothing when the folder cannot take it (an optimisation)."""
    if not _enabled():
        return
    key = _key(kb_hash)
    try:
        payload = _encode(knowledge)
        head = json.dumps(_header(key, kb_hash, payload), separators=(",", ":")).encode()
        data = head + b"\n" + payload
        if len(data) > _limit(source_size):
            return  # `get` would refuse it
        _write(folder() / f"kb-{key[:32]}.json", data)
    except (OSError, ValueError):
        pass  # unwritable, full, a file where the folder should be: validate next time too


def _enabled() -> bool:
    return os.environ.get("MLCAREER_CACHE", "1") != "0"


def _limit(source_size: int) -> int:
    """The largest cache file for a KB of this many characters: JSON is about as long as the
    YAML it came from, so a bigger file is not ours and is not read."""
    return 2 * source_size + 1024 * 1024


@cache
def _fingerprint() -> str:
    """This version, and the code that shapes a KB: a change in either never meets an old file."""
    import pydantic

    from mlcareer import kb, models

    digest = hashlib.sha256(f"{FORMAT}\0{__version__}\0{pydantic.VERSION}\0".encode())
    for module in (models, kb, sys.modules[__name__]):
        with contextlib.suppress(OSError):
            digest.update(Path(module.__file__ or "").read_bytes())
    return digest.hexdigest()


def _key(kb_hash: str) -> str:
    return hashlib.sha256(f"{_fingerprint()}\0{kb_hash}".encode()).hexdigest()


def _header(key: str, kb_hash: str, payload: bytes) -> dict[str, Any]:
    sha = hashlib.sha256(payload).hexdigest()
    return {"mlcareer_cache": FORMAT, "key": key, "kb_hash": kb_hash, "payload_sha256": sha}


def _read(path: Path, limit: int) -> bytes | None:
    """At most `limit` bytes of a regular file; None for anything else (never blocks)."""
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                return None
            data = handle.read(limit + 1)
        except OSError:
            return None
    return data if len(data) <= limit else None


def _write(path: Path, data: bytes) -> None:
    """Write a new file and rename it over the old: a reader sees one or the other. No fsync: a
    file torn by a crash fails its payload hash and is rebuilt."""
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _tidy(path.parent)


def _tidy(where: Path) -> None:
    """Keep the newest cache files, and drop temporary files a killed process left behind. Only
    names this module writes are touched: `MLCAREER_CACHE_DIR` may name a folder with others."""
    with contextlib.suppress(OSError):
        now, caches = time.time(), []
        for entry in os.scandir(where):
            if _CACHE_NAME.fullmatch(entry.name):
                caches.append((entry.stat(follow_symlinks=False).st_mtime, entry.path))
            elif _TMP_NAME.fullmatch(entry.name):
                if now - entry.stat(follow_symlinks=False).st_mtime > STALE_TMP_SECONDS:
                    os.unlink(entry.path)
        for _, stale in sorted(caches, reverse=True)[KEEP:]:
            os.unlink(stale)


@contextlib.contextmanager
def _no_gc() -> Iterator[None]:
    """Decoding builds hundreds of thousands of containers, none in a cycle: the cyclic garbage
    collector would walk them again and again (twice the time at 10,000 skills). They live as long
    as the command, so they are then frozen out of its sight for good."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def _encode(knowledge: KnowledgeBase) -> bytes:
    body = {
        "skills_file": knowledge.skills_file.model_dump(mode="json"),
        "roadmap_file": knowledge.roadmap_file.model_dump(mode="json"),
    }
    text = json.dumps(body, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return text.encode("utf-8")


def _decode(payload: bytes) -> KnowledgeBase:
    body = json.loads(payload)
    if type(body) is not dict or body.keys() != {"skills_file", "roadmap_file"}:
        raise ValueError("not a cached knowledge base")
    skills = cast(SkillsFile, _builder(SkillsFile)(body["skills_file"]))
    roadmap = cast(RoadmapFile, _builder(RoadmapFile)(body["roadmap_file"]))
    return KnowledgeBase(skills, roadmap)


# Rebuilding models from JSON. The payload is what `model_dump` wrote for models that had passed
# validation, and its hash matched: validating it again would cost more than the cache saves. Each
# model gets exactly its fields (a missing or extra key is a miss), lists become the tuples the
# models hold, and dict keys that are numbers (`levels`) become numbers again.


@cache
def _builder(model: type[BaseModel]) -> Convert:
    names = model.__pydantic_fields__.keys()
    converts = [
        (name, convert)
        for name, info in model.__pydantic_fields__.items()
        if (convert := _converter(info.annotation)) is not None
    ]
    all_set = set(names)  # shared: frozen models never change it, `model_copy` copies it first
    new, set_attribute = object.__new__, object.__setattr__

    def build(data: Any) -> BaseModel:
        if type(data) is not dict or data.keys() != names:
            raise ValueError(f"not a {model.__name__}")
        for name, convert in converts:
            data[name] = convert(data[name])
        obj = new(model)
        set_attribute(obj, "__dict__", data)
        set_attribute(obj, "__pydantic_fields_set__", all_set)
        set_attribute(obj, "__pydantic_extra__", None)
        set_attribute(obj, "__pydantic_private__", None)
        return obj

    return build


def _converter(annotation: Any, *, key: bool = False) -> Convert | None:
    """What turns the JSON form of a value of this type back into it; None when it is the same."""
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is typing.Annotated:
        return _converter(args[0], key=key)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return _builder(annotation)
    if origin is tuple:
        return _tuple_of(_converter(args[0]))
    if origin is dict:
        return _dict_of(_converter(args[0], key=True), _converter(args[1]))
    if origin is Literal:
        return int if key and all(type(a) is int for a in args) else None
    if origin in (typing.Union, types.UnionType):
        inner = [_converter(a) for a in args if a is not type(None)]
        if all(c is None for c in inner):
            return None
        if len(inner) == 1 and type(None) in args:
            return _optional(inner[0])
    if annotation in (str, int, float, bool, type(None)) or origin is Literal:
        return None
    # A kind of field this code does not know: every load is then a miss, which the round-trip
    # tests in test_cache.py catch.
    raise TypeError(f"the cache cannot rebuild {annotation!r}")


def _tuple_of(item: Convert | None) -> Convert:
    def convert(value: Any) -> tuple[Any, ...]:
        if type(value) is not list:
            raise ValueError("expected a list")
        return tuple(value) if item is None else tuple(map(item, value))

    return convert


def _dict_of(key: Convert | None, value: Convert | None) -> Convert:
    def convert(data: Any) -> dict[Any, Any]:
        if type(data) is not dict:
            raise ValueError("expected a mapping")
        if key is None and value is None:
            return data
        keys = data.keys() if key is None else map(key, data.keys())
        values = data.values() if value is None else map(value, data.values())
        return dict(zip(keys, values, strict=True))

    return convert


def _optional(inner: Convert | None) -> Convert:
    def convert(value: Any) -> Any:
        return None if value is None or inner is None else inner(value)

    return convert
