"""Standard streams that cannot end a command with a traceback: closed, full, gone, or unable
to encode what is printed.

`prepare` runs first in `main`. A closed descriptor 0, 1 or 2 is pointed at /dev/null, so that no
file opened later takes its number. stdout and stderr are wrapped so that a write error is kept,
not raised: the command runs to its end (everything it saves is saved, its messages are shown),
then `finish` says once what could not be written and exits 1, or 0 when the reader went away
(EPIPE). Reading stdin after stdout failed stops the command instead: an interactive quiz should
not go on asking questions nobody sees. A closed stdin raises `InputClosed` when read.

A character the stream's encoding lacks is written as an ASCII stand-in (`─` `-`, `█` `#`,
`→` `->`) or a Python-style escape (`\\xe9`), never an exception; rich sees the encoding and
draws ASCII boxes. Stdlib only: `main` imports this before anything else.
"""

from __future__ import annotations

import codecs
import errno
import io
import os
import sys
from typing import Any, TextIO

ERRORS = "mlcareer-ascii"  # the codec error handler `register` adds
PROBE = "─█…→é"  # what mlcareer's own text output needs besides ASCII

# Stand-ins for the typography of mlcareer's own text and common typography in a KB.
_GLYPHS = {
    "·": "-",
    "•": "*",
    "…": "...",
    "→": "->",
    "←": "<-",
    "✗": "x",
    "✓": "v",
    "█": "#",
    "░": "-",
    "–": "-",
    "—": "--",
    "×": "x",
    "Σ": "sum",
    "≤": "<=",
    "≥": ">=",
    "‘": "'",
    "’": "'",
    "“": '"',
    "”": '"',
    "\u00a0": " ",
}


class InputClosed(Exception):
    """Standard input was closed when the program started (`<&-`) and something read it."""


class OutputFailed(Exception):
    """Standard input was read after standard output failed: stop rather than ask blindly."""


def _stand_in(char: str) -> str:
    found = _GLYPHS.get(char)
    if found is not None:
        return found
    code = ord(char)
    if 0x2500 <= code <= 0x257F:  # box drawing: rich draws ASCII boxes already, this is the rest
        import unicodedata

        name = unicodedata.name(char, "")
        across, down = "HORIZONTAL" in name, "VERTICAL" in name
        return "-" if across and not down else "|" if down and not across else "+"
    if 0x2580 <= code <= 0x259F:  # block elements: bars
        return "#"
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def _replace(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    text = error.object[error.start : error.end]
    return "".join(_stand_in(c) for c in text), error.end


def encodes(stream: Any, text: str = PROBE) -> bool:
    """Whether `stream` can write `text` as it is (a stream without an encoding: yes)."""
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        text.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True


class Output(io.TextIOBase):
    """stdout or stderr with its first error kept: writes after it go nowhere."""

    def __init__(self, stream: TextIO | None) -> None:
        super().__init__()
        self.stream = stream
        self.error: OSError | None = None

    def _failed(self, error: OSError) -> None:
        if self.error is None:
            self.error = error

    def write(self, text: str) -> int:
        if not isinstance(text, str):  # as a text stream does: click tells them apart so
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        if self.error is None and text:
            if self.stream is None:
                self._failed(OSError(errno.EBADF, "it is closed"))
            else:
                try:
                    self.stream.write(text)
                except OSError as error:
                    self._failed(error)
        return len(text)

    def flush(self) -> None:
        if self.error is None and self.stream is not None:
            try:
                self.stream.flush()
            except OSError as error:
                self._failed(error)

    def isatty(self) -> bool:
        return self.stream is not None and self.error is None and self.stream.isatty()

    def fileno(self) -> int:
        if self.stream is None:
            raise io.UnsupportedOperation("closed at start")
        return self.stream.fileno()

    def writable(self) -> bool:
        return True

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self.stream, "encoding", None) or "utf-8"

    @property
    def errors(self) -> str | None:  # type: ignore[override]
        return getattr(self.stream, "errors", None)


class Input(io.TextIOBase):
    """stdin (None: closed at start), refusing to be read once stdout has failed."""

    def __init__(self, stream: TextIO | None, output: Output) -> None:
        super().__init__()
        self.stream = stream
        self.output = output

    def _check(self) -> TextIO:
        if self.output.error is not None:
            raise OutputFailed
        if self.stream is None:
            raise InputClosed
        return self.stream

    def readline(self, size: int | None = -1) -> str:  # type: ignore[override]
        return self._check().readline(-1 if size is None else size)

    def read(self, size: int | None = -1) -> str:
        return self._check().read(-1 if size is None else size)

    def isatty(self) -> bool:
        return self.stream is not None and self.stream.isatty()

    def fileno(self) -> int:
        if self.stream is None:
            raise io.UnsupportedOperation("closed at start")
        return self.stream.fileno()

    def readable(self) -> bool:
        return True

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self.stream, "encoding", None) or "utf-8"


def _reserve(fd: int) -> None:
    """Point a closed standard descriptor at /dev/null, so that no file opened later gets it
    (and with it whatever another part of the program writes to that number)."""
    try:
        os.fstat(fd)
    except OSError:
        opened = os.open(os.devnull, os.O_RDONLY if fd == 0 else os.O_WRONLY)
        if opened != fd:
            os.dup2(opened, fd)
            os.close(opened)


def _escaping(stream: TextIO | None) -> TextIO | None:
    if isinstance(stream, io.TextIOWrapper):
        stream.reconfigure(errors=ERRORS)
    return stream


def register() -> None:
    """Make `ERRORS` a codec error handler: `"é→".encode("ascii", ERRORS)` is `\\xe9->`."""
    codecs.register_error(ERRORS, _replace)


def prepare() -> None:
    """Guard the standard streams of this process (see the module's doc)."""
    register()
    for fd in (0, 1, 2):
        _reserve(fd)
    out = Output(_escaping(sys.stdout))
    err = Output(_escaping(sys.stderr))
    sys.stdin = Input(sys.stdin, out)
    sys.stdout, sys.stderr = out, err


def _quiet(fd: int) -> None:
    """Later flushes of what is still buffered for `fd`, at exit, go to /dev/null."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, fd)
        os.close(devnull)
    except OSError:
        pass


def finish(code: object) -> int:
    """Flush what is left, say once what could not be written; the exit code to use.

    `code`: the command's own (SystemExit.code), kept unless it is 0 and output failed."""
    status = code if isinstance(code, int) else 0 if code is None else 1
    out, err = sys.stdout, sys.stderr
    if not isinstance(out, Output) or not isinstance(err, Output):
        return status
    out.flush()  # a full disk often shows only here, at the last block
    if out.error is not None:
        _quiet(1)
        if out.error.errno != errno.EPIPE:  # a reader that went away is no error
            fail("cannot write to standard output: " + _reason(out.error))
            status = status or 1
    err.flush()
    if err.error is not None:  # nothing can say so: the exit status does
        _quiet(2)
        if err.error.errno != errno.EPIPE:
            status = status or 1
    return status


def fail(message: str) -> None:
    """`error: message` on stderr, if stderr can take it."""
    sys.stderr.write(f"error: {message}\n")
    sys.stderr.flush()


def _reason(error: OSError) -> str:
    return error.strerror or str(error)
