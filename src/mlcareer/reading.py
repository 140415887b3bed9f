"""Read a file's bytes safely: regular files only, and never more than a limit.

What is not a regular file is refused before it is read, with a message that says what it is:
opening a FIFO waits for a writer forever, and a device such as /dev/zero never ends. The size is
counted while reading, never taken from `st_size`, which a growing file or a /proc file gets wrong.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from mlcareer.errors import DataError, Problem

MAX_BYTES = 64 * 1024 * 1024  # a KB file; an organisation's KB of 20,000 skills is well under
_CHUNK = 1024 * 1024
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # POSIX: a FIFO opens at once instead of waiting
_OPEN_FLAGS = (
    os.O_RDONLY
    | _NONBLOCK
    | getattr(os, "O_NOCTTY", 0)  # a terminal device never becomes ours
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)  # Windows: no newline translation
)


def read_bytes(path: Path, file: str, limit: int) -> bytes:
    """At most `limit` bytes of the regular file `path`; `DataError` naming `file` (the name in
    messages) for anything else: missing, unreadable, not a regular file, or too big."""
    try:
        return _read_regular(path, file, limit)
    except IsADirectoryError:  # Windows cannot open a folder at all
        raise DataError([Problem(file, 1, 1, "is a folder, not a file")]) from None
    except FileNotFoundError:
        raise DataError([Problem(file, 1, 1, "no such file")]) from None
    except OSError as error:  # a symlink loop, no permission, ...
        reason = error.strerror or str(error)
        raise DataError([Problem(file, 1, 1, f"cannot read: {reason}")]) from None


def _kind(mode: int) -> str | None:
    """Why a file of this mode cannot be read as a document; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "is a folder, not a file"
    if stat.S_ISFIFO(mode):
        return "is a named pipe (FIFO), not a file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "is a device, not a file"
    if stat.S_ISSOCK(mode):
        return "is a socket, not a file"
    return "is not a regular file"


def _size(limit: int) -> str:
    return f"{limit // (1024 * 1024)} MiB" if limit >= 1024 * 1024 else f"{limit:,} bytes"


def _read_regular(path: Path, file: str, limit: int) -> bytes:
    why = _kind(os.stat(path).st_mode)  # refuse without even opening what is not a file
    if why is None:
        fd = os.open(path, _OPEN_FLAGS)
        try:
            info = os.fstat(fd)  # what was opened, if it changed since the stat
            why = _kind(info.st_mode)
            if why is None:
                if _NONBLOCK:
                    os.set_blocking(fd, True)
                return _read_fd(fd, file, limit, info.st_size)
        finally:
            os.close(fd)
    raise DataError([Problem(file, 1, 1, why)])


def _read_fd(fd: int, file: str, limit: int, size_hint: int) -> bytes:
    chunks, total = [], 0
    want = min(max(size_hint + 1, _CHUNK), limit + 1)  # most files in one read
    while chunk := os.read(fd, want):
        chunks.append(chunk)
        total += len(chunk)
        if total > limit:
            raise DataError([Problem(file, 1, 1, f"file is larger than {_size(limit)}")])
        want = min(_CHUNK, limit + 1 - total)
    return b"".join(chunks)
