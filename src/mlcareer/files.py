"""Where mlcareer keeps a person's files, and how it writes any file: atomically."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def home() -> Path:
    """`MLCAREER_HOME` when set, else the platform's user data folder."""
    configured = os.environ.get("MLCAREER_HOME")
    if configured:
        return Path(configured).expanduser()
    import platformdirs

    return platformdirs.user_data_path("mlcareer", appauthor=False)


def atomic_write(path: Path, text: str) -> None:
    """Write `text` so that `path` holds either the old content or the new, never a mix."""
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Temporary file in the same folder, fsync, `os.replace`, then fsync the folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    if hasattr(os, "O_DIRECTORY"):  # make the rename itself durable (POSIX)
        dir_fd = os.open(path.parent, os.O_DIRECTORY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
