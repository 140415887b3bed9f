"""Where mlcareer keeps a person's files, and how it writes any file: atomically."""

from __future__ import annotations

import errno
import os
import stat
import sys
from collections.abc import Sequence
from pathlib import Path

from mlcareer.errors import UsageError


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
    """Temporary file in the same folder, fsync, `os.replace`, then fsync the folder.

    For the data folder's own files (history, the quiz in progress, marks): private (0600, as
    `mkstemp` makes them), parents created. Outputs a person names go through `write_file`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = durable_temporary(path.parent, data, f".{path.name}.")
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    sync_folder(path.parent)


def durable_temporary(folder: Path, data: bytes, prefix: str) -> Path:
    """A private hidden file in `folder` holding `data`, on disk (fsync) before it is named."""
    import tempfile

    fd, name = tempfile.mkstemp(dir=folder, prefix=prefix, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name)


# Outputs a person names (-o, --export, --ics): unlike the data folder's own files above, they
# follow symlinks, keep an existing file's mode and owner, follow the umask when new, and are
# written straight into what is not a regular file (a device, a pipe) instead of replaced.


class Output:
    """A file to write as it was typed: `-` is stdout; a trailing slash (a folder) is kept,
    which `Path` would drop. Also the Typer parser of the options that name one. (Plain
    classes, not dataclasses: this module loads with every command, and those cost time.)"""

    __slots__ = ("raw",)

    def __init__(self, raw: str) -> None:
        self.raw = raw

    def __repr__(self) -> str:
        return f"Output({self.raw!r})"

    @property
    def path(self) -> Path:
        return Path(self.raw)

    def __str__(self) -> str:
        return self.raw


class Input:
    """A file the command reads, or a folder everything in which belongs to mlcareer.
    `what` names it in the refusal; None for a file the person named (its path says it)."""

    __slots__ = ("path", "what", "folder")

    def __init__(self, path: Path, what: str | None = None, folder: bool = False) -> None:
        self.path, self.what, self.folder = path, what, folder


def check_outputs(outputs: Sequence[tuple[str, Output]], inputs: Sequence[Input]) -> None:
    """Refuse, before anything is asked or written, outputs that can never be written (a folder,
    a missing folder), that are an input of the command, or that name the same file twice.
    `outputs`: (option, output), the option as the message names it."""
    files = [(option, out) for option, out in outputs if stream(out) is None]
    for option, out in files:
        check_target(out, option)
        for source in inputs:
            if _is(out.path, source):
                said = source.what or (
                    None if str(source.path) == out.raw else f"it is {source.path}"
                )
                what = f": {said};" if said else ":"
                raise UsageError(
                    f"{option} {out} is an input of this command{what} choose another file"
                )
    for i, (option, out) in enumerate(files):
        for other_option, other in files[:i]:
            if _regular_or_new(out.path) and same_file(out.path, other.path):
                raise UsageError(
                    f"{other_option} {other} and {option} {out} are the same file: "
                    f"choose another file for {option}"
                )


def check_target(out: Output, option: str | None = None) -> None:
    """A folder is never written as a file, and a missing folder is not created: a typo in a
    path would otherwise leave new folders behind."""
    named = f"{option} {out}" if option else str(out)
    if out.raw in ("", ".", "..") or out.raw.endswith(("/", os.sep)) or out.path.is_dir():
        raise UsageError(f"{named} is a folder: give a file name")
    target = _resolved(out.path)
    if not target.parent.is_dir():
        raise UsageError(f"{named}: the folder {target.parent} does not exist")


def same_file(a: Path, b: Path) -> bool:
    """The same file however spelled: by device and inode when both exist (hard links, symlinks,
    `./`), else by the paths with symlinks resolved."""
    try:
        first, second = os.stat(a), os.stat(b)
    except OSError:
        return _resolved(a) == _resolved(b)
    return (first.st_dev, first.st_ino) == (second.st_dev, second.st_ino)


def _is(path: Path, source: Input) -> bool:
    if source.folder:
        return _resolved(path).is_relative_to(_resolved(source.path))
    return same_file(path, source.path)


def _resolved(path: Path) -> Path:
    return Path(os.path.realpath(path))


def _regular_or_new(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return True


def stream(out: Output | Path) -> int | None:
    """The descriptor an output names, written into as it is: 1 for `-` and `/dev/stdout`,
    N for `/dev/fd/N`. Opening such a path anew would start at offset 0 of a file the shell
    opened for appending, and resolving it leads to `pipe:[...]`, which is no path."""
    raw = out.raw if isinstance(out, Output) else str(out)
    if raw == "-":
        return 1
    named = os.path.abspath(raw)
    if named in _STREAMS:
        return _STREAMS[named]
    for folder in ("/dev/fd/", "/proc/self/fd/"):
        number = named[len(folder) :] if named.startswith(folder) else ""
        if number.isascii() and number.isdigit():
            return int(number)
    return None


_STREAMS = {"/dev/stdin": 0, "/dev/stdout": 1, "/dev/stderr": 2}


def write_file(out: Output | Path, data: bytes) -> None:
    """Write `data` to what `out` names, through symlinks: a regular file (or a new one) is
    replaced atomically in its own folder, keeping its mode and owner; anything else (a device,
    a pipe) is written straight into. Raises UsageError with what went wrong."""
    out = out if isinstance(out, Output) else Output(str(out))
    try:
        descriptor = stream(out)
        if descriptor is not None:
            _write_descriptor(descriptor, data)
            return
        check_target(out)
        try:
            found: os.stat_result | None = os.stat(out.path)  # the kernel follows the links
        except FileNotFoundError:
            found = None
        if found is not None and not stat.S_ISREG(found.st_mode):
            _write_into(out.path, found, data)
        else:
            _replace(_resolved(out.path), found, data)
    except OSError as error:
        raise UsageError(f"cannot write {out}: {error.strerror or error}") from None


def _write_descriptor(descriptor: int, data: bytes) -> None:
    for buffered in (sys.stdout, sys.stderr):
        if buffered is not None:
            buffered.flush()
    _write_all(descriptor, data)


def _write_all(descriptor: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(descriptor, view) :]


def _write_into(target: Path, found: os.stat_result, data: bytes) -> None:
    """Without blocking at open: a pipe no process reads gives ENXIO instead of a hang."""
    if stat.S_ISSOCK(found.st_mode):
        raise OSError(errno.ENXIO, "a socket is not written as a file")
    flags = os.O_WRONLY | os.O_NONBLOCK | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(target, flags)
    except OSError as error:
        if error.errno == errno.ENXIO and stat.S_ISFIFO(found.st_mode):
            raise OSError(error.errno, "no process is reading this pipe") from None
        raise
    try:
        os.set_blocking(fd, True)
        _write_all(fd, data)
    finally:
        os.close(fd)


def _replace(target: Path, found: os.stat_result | None, data: bytes) -> None:
    """A temporary file beside the target, fsync, `os.replace`, fsync of the folder. A new file
    is created 0666 for the kernel to apply the umask (and a default ACL); an existing file's
    mode and owner are copied, the temporary file staying 0600 until then."""
    fd, tmp = _temporary(target, 0o600 if found is not None else 0o666)
    try:
        try:
            if found is not None:
                _copy_owner(fd, found)
                os.fchmod(fd, stat.S_IMODE(found.st_mode))
            _write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    sync_folder(target.parent)


def _temporary(target: Path, mode: int) -> tuple[int, Path]:
    while True:
        tmp = target.with_name(f".{target.name}.{os.urandom(4).hex()}.tmp")
        try:
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
            return os.open(tmp, flags, mode), tmp
        except FileExistsError:
            continue


def _copy_owner(fd: int, found: os.stat_result) -> None:
    """Root (or the owner, for a group it is in) keeps the file's owner; otherwise the file
    becomes the writer's, as any editor's save does. Before fchmod: chown clears setuid bits."""
    if (found.st_uid, found.st_gid) == (os.geteuid(), os.getegid()):
        return
    for uid, gid in ((found.st_uid, found.st_gid), (-1, found.st_gid)):
        try:
            os.fchown(fd, uid, gid)
            return
        except PermissionError:
            continue


def sync_folder(folder: Path) -> None:
    """Make a rename or a link in `folder` itself durable (POSIX)."""
    if hasattr(os, "O_DIRECTORY"):
        dir_fd = os.open(folder, os.O_DIRECTORY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
