"""A cache of validated knowledge bases, kept as data only (JSON), never as code.

Parsing and validating the KB is most of the work of a command; the validated KB, saved as JSON
and rebuilt into models without validating again (`kbjson`), loads in a fraction of that time.
A file is one line of JSON, the header, then the payload. The header names the KB (the hash of
its two files' text), this version of mlcareer and of the code that shapes a KB, the sha256 of
the payload, and what `validate` says of the KB (its `overview`), so that `validate` reads one
line where every other command rebuilds the whole KB. The KB is trusted only when all of that
matches; the overview only when the header does. Anything else (missing, truncated, edited, from
another version, not a regular file, too big, an unwritable or full folder) is a miss: the KB is
validated again and the file rewritten.

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
import time
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mlcareer import __version__

if TYPE_CHECKING:
    from mlcareer.models import KnowledgeBase

FORMAT = 2  # of the file; part of the key
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
# The files whose code shapes a cached KB or its overview: a change in one is a new key.
_SHAPING = ("models.py", "kb.py", "validation.py", "kbjson.py", "overview.py", "planner.py")


def folder() -> Path:
    """`MLCAREER_CACHE_DIR` when set, else the platform's user cache folder."""
    configured = os.environ.get("MLCAREER_CACHE_DIR")
    if configured:
        return Path(configured).expanduser()
    import platformdirs

    return platformdirs.user_cache_path("mlcareer", appauthor=False)


def get(kb_hash: str, source_size: int) -> KnowledgeBase | None:
    """The cached KB whose two files hash to `kb_hash`, or None (a miss) for any problem."""
    raw = _file(kb_hash, source_size)
    if raw is None:
        return None
    head, _, payload = raw.partition(b"\n")
    header = _header(head, kb_hash)
    if header is None or header.get("payload_sha256") != hashlib.sha256(payload).hexdigest():
        return None
    from mlcareer import kbjson

    try:
        with _no_gc():
            return kbjson.decode(payload)
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
        return None  # not JSON, or not the shape this code writes


def overview(kb_hash: str, source_size: int) -> Any:
    """What `validate` said of the KB whose files hash to `kb_hash`, as `put` was given it (JSON
    data, for `Overview.from_json` to check), or None (a miss). Only the header is read."""
    head = _file(kb_hash, source_size, first_line=True)
    header = None if head is None else _header(head, kb_hash)
    return None if header is None else header.get("overview")


def put(kb_hash: str, source_size: int, knowledge: KnowledgeBase, overview: Any) -> None:
    """Save a validated KB and its overview (JSON data); silently nothing when the folder cannot
    take it (an optimisation)."""
    if not _enabled():
        return
    from mlcareer import kbjson

    try:
        payload = kbjson.encode(knowledge)
        header = {
            "mlcareer_cache": FORMAT,
            "key": _key(kb_hash),
            "kb_hash": kb_hash,
            "payload_sha256": hashlib.sha256(payload).hexdigest(),
            "overview": overview,
        }
        head = json.dumps(header, ensure_ascii=True, allow_nan=False, separators=(",", ":"))
        data = head.encode() + b"\n" + payload
        if len(data) > _limit(source_size):
            return  # `get` would refuse it
        _write(_path(kb_hash), data)
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
    """This version, and the code that shapes a KB: a change in either never meets an old file.
    The files are read, not imported: `validate` on a cached KB needs none of them."""
    import pydantic.version

    digest = hashlib.sha256(f"{FORMAT}\0{__version__}\0{pydantic.version.VERSION}\0".encode())
    here = Path(__file__).parent
    for name in (*_SHAPING, Path(__file__).name):
        with contextlib.suppress(OSError):
            digest.update((here / name).read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def _key(kb_hash: str) -> str:
    return hashlib.sha256(f"{_fingerprint()}\0{kb_hash}".encode()).hexdigest()


def _path(kb_hash: str) -> Path:
    return folder() / f"kb-{_key(kb_hash)[:32]}.json"


def _file(kb_hash: str, source_size: int, *, first_line: bool = False) -> bytes | None:
    """The cache file of this KB, or only its first line; None when off, missing or unreadable."""
    if not _enabled():
        return None
    return _read(_path(kb_hash), _limit(source_size), first_line=first_line)


def _header(head: bytes, kb_hash: str) -> dict[str, Any] | None:
    """The header when it is this code's, for this KB; else None."""
    try:
        header = json.loads(head)
    except (ValueError, RecursionError):
        return None
    expected = {"mlcareer_cache": FORMAT, "key": _key(kb_hash), "kb_hash": kb_hash}
    if type(header) is not dict or any(header.get(k) != v for k, v in expected.items()):
        return None
    return header


def _read(path: Path, limit: int, *, first_line: bool = False) -> bytes | None:
    """At most `limit` bytes of a regular file, or its first line without the newline; None for
    anything else (never blocks)."""
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                return None
            if first_line:
                line = handle.readline(limit + 1)
                return line[:-1] if line.endswith(b"\n") else None
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
