"""Errors a user can act on, and the exit codes they map to."""

from __future__ import annotations

from enum import IntEnum
from typing import NamedTuple


class ExitCode(IntEnum):
    OK = 0
    BAD_INPUT = 1  # bad knowledge base, answers file, unknown role, ...
    USAGE = 2  # Typer's own usage errors
    INTERRUPTED = 130  # Ctrl-C, with progress saved


class Problem(NamedTuple):
    """One located problem in a file: printed as `FILE:LINE:COL: message` (1-based)."""

    file: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.message}"


class MlcareerError(Exception):
    """Base of every error the CLI turns into a message and an exit code."""

    exit_code: ExitCode = ExitCode.BAD_INPUT

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class DataError(MlcareerError):
    """A file (knowledge base, answers, saved assessment) has one or more located problems."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.file, p.line, p.column))
        super().__init__("\n".join(str(p) for p in self.problems))


class UsageError(MlcareerError):
    """Something the user asked for does not exist (an unknown role, a missing file...)."""


class StorageError(MlcareerError):
    """The data folder cannot be written (read-only, full, not a folder): the message says what
    was saved and what was not."""
