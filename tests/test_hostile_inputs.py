"""Hostile inputs (issue 11, "Inputs"): only regular files are read, their size is counted while
reading, every YAML/JSON problem is `FILE:LINE:COL: message`, and numbers are finite and bounded.

Each case asserts the exit code, the message, that no traceback was printed, that every input is
byte-for-byte unchanged and that nothing was saved in the data folder. Cases where the real
process matters (a FIFO, a device, a socket) run `python -m mlcareer` with a timeout, so that a
regression fails instead of hanging.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mlcareer import safeyaml
from mlcareer.cli import app
from mlcareer.errors import DataError

TINY = Path(__file__).parent / "fixtures" / "tiny"
ANSWERS = "role: junior\nanswers:\n  sql: 1\n  python: 2\n"
# in-progress.json is JSON, read by the same YAML reader; the case's value goes last.
PROGRESS = '{"role": "junior", "kb_folder": null, "answers": {"sql": 1, "python": 2\n}}\n'
runner = CliRunner()


@pytest.fixture
def place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The current folder, holding a copy of the tiny KB as `kb`: messages name `kb/skills.yaml`."""
    shutil.copytree(TINY, tmp_path / "kb")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def home() -> Path:
    return Path(os.environ["MLCAREER_HOME"])


def cli(*args: str) -> tuple[int, str]:
    """In-process, stdin empty: exit code and stderr, after checking no exception escaped."""
    result = runner.invoke(app, list(args), input="")
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "Traceback" not in result.output
    return result.exit_code, result.stderr


def process(*args: str, cwd: Path, fifo: Path | None = None) -> tuple[int, str]:
    """A real process, stdin from /dev/null, killed after 20 s: a hang fails the test.

    `fifo`: fail at once if the process opens it for reading. Opening a FIFO for writing
    without blocking only succeeds while a reader has it open; it then also lets that reader
    go on (it reads an empty file), so a regression fails fast instead of hanging."""
    with subprocess.Popen(
        [sys.executable, "-m", "mlcareer", *args],
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "MLCAREER_CACHE_DIR": str(cwd / "cache"), "COLUMNS": "100"},
    ) as child:
        opened = _watch(child, fifo) if fifo is not None else False
        try:
            out, err = child.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            child.kill()
            raise
    assert not opened, f"{fifo} was opened for reading: it would wait for a writer forever"
    assert "Traceback" not in out + err, err
    return child.returncode, err


def _watch(child: subprocess.Popen[str], fifo: Path) -> bool:
    deadline = time.monotonic() + 20
    while child.poll() is None and time.monotonic() < deadline:
        try:
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        except OSError:  # ENXIO: no reader
            time.sleep(0.02)
            continue
        return True
    return False


def state(*paths: Path) -> dict[str, object]:
    """What each path is (bytes of a regular file, else its type and link target)."""
    seen: dict[str, object] = {}
    for path in paths:
        info = os.lstat(path)
        if stat.S_ISREG(info.st_mode):
            seen[str(path)] = path.read_bytes()
        elif stat.S_ISLNK(info.st_mode):
            seen[str(path)] = ("link", os.readlink(path))
        else:
            seen[str(path)] = stat.S_IFMT(info.st_mode)
    return seen


def tree(*folders: Path) -> dict[str, object]:
    """Every file under the folders (the KB's and the data folder), cache and locks aside."""
    files = [
        p
        for folder in folders
        for p in sorted(folder.rglob("*"))
        if "cache" not in p.parts and not p.name.endswith(".lock") and not p.is_dir()
    ]
    return state(*files)


def saved(home: Path) -> list[str]:
    """Assessments in the data folder: history files and an in-progress quiz."""
    return sorted(str(p.relative_to(home)) for p in home.rglob("*.json") if "cache" not in p.parts)


def position(text: str, needle: str) -> str:
    at = text.index(needle)
    return f"{text.count(chr(10), 0, at) + 1}:{at - (text.rfind(chr(10), 0, at) + 1) + 1}"


def unchanged(check: Callable[[], tuple[int, str]], *folders: Path) -> tuple[int, str]:
    """Run `check`; assert that no file under `folders` changed and nothing new was saved."""
    before = tree(*folders)
    result = check()
    assert tree(*folders) == before
    return result


# --- 1. Only regular files are read -----------------------------------------------------------

NOT_FILES = {
    "fifo": "is a named pipe (FIFO), not a file",
    "socket": "is a socket, not a file",
    "device": "is a device, not a file",
    "folder": "is a folder, not a file",
    "symlink-loop": "cannot read: Too many levels of symbolic links",
}


@contextmanager
def made(kind: str, path: Path) -> Iterator[None]:
    """A `kind` of thing that is not a regular file, at `path`, while the block runs."""
    if kind == "fifo":
        if not hasattr(os, "mkfifo"):
            pytest.skip("no named pipes on this platform")
        os.mkfifo(path)
    elif kind == "socket":
        if not hasattr(socket, "AF_UNIX"):
            pytest.skip("no Unix sockets on this platform")
        server = socket.socket(socket.AF_UNIX)
        server.bind(str(path))
    elif kind == "device":
        if not Path("/dev/zero").exists():
            pytest.skip("no /dev/zero on this platform")
        path.symlink_to("/dev/zero")  # endless: the old reader ran out of memory on it
    elif kind == "folder":
        path.mkdir()
    else:
        path.symlink_to(path.name + ".2")
        path.with_name(path.name + ".2").symlink_to(path.name)
    try:
        yield
    finally:
        if kind == "socket":
            server.close()


# How each command is given an answers file; `validate` reads the KB's skills.yaml instead.
READ_ANSWERS: dict[str, list[str]] = {
    "report": ["report", "answers.yaml", "--kb", "kb"],
    "assess --answers": ["assess", "--answers", "answers.yaml", "--kb", "kb"],
}
TARGETS = {**READ_ANSWERS, "validate": ["validate", "--kb", "kb"]}


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("kind", NOT_FILES)
def test_only_regular_files_are_read(place: Path, home: Path, kind: str, target: str) -> None:
    """A FIFO and an endless device in a real process (a regression hangs or eats memory, and
    must not take the test run with it); the others in-process."""
    if kind == "folder" and target != "validate":
        pytest.skip("Typer refuses a folder as FILE itself (exit 2)")
    if kind == "device" and target != "report":
        pytest.skip("the same reader as report: one slow process is enough")
    name = "kb/skills.yaml" if target == "validate" else "answers.yaml"
    if target == "validate":
        (place / name).unlink()
    args = TARGETS[target]
    fifo = place / name if kind == "fifo" else None
    with made(kind, place / name):
        if kind in ("fifo", "device"):
            code, err = unchanged(lambda: process(*args, cwd=place, fifo=fifo), place)
        else:
            code, err = unchanged(lambda: cli(*args), place)
        assert code == 1, err
        assert f"{name}:1:1: {NOT_FILES[kind]}" in err.splitlines(), err
        assert saved(home) == []


@pytest.mark.parametrize("kind", ["fifo", "socket", "device"])
def test_a_saved_quiz_that_is_not_a_file_is_refused(place: Path, home: Path, kind: str) -> None:
    path = home / "in-progress.json"
    with made(kind, path):
        before = state(path)
        if kind == "socket":
            code, err = cli("assess", "--kb", "kb")
        else:
            fifo = path if kind == "fifo" else None
            code, err = process("assess", "--kb", "kb", cwd=place, fifo=fifo)
        assert state(path) == before
        assert code == 1, err
        assert f"{path}:1:1: {NOT_FILES[kind]}" in err.splitlines(), err
        assert saved(home) == ["in-progress.json"]  # itself, untouched; no history


@pytest.mark.parametrize("args", [["assess"], ["assess", "--restart", "--kb", "kb"]])
def test_a_fifo_as_saved_quiz_never_hangs(place: Path, home: Path, args: list[str]) -> None:
    path = home / "in-progress.json"
    with made("fifo", path):
        code, err = process(*args, cwd=place, fifo=path)
        assert code == 1, err
        assert "is a named pipe (FIFO), not a file" in err


# --- 2. Size is counted while reading ----------------------------------------------------------


def test_the_size_limit_is_counted_while_reading_not_taken_from_stat() -> None:
    proc_file = Path("/proc/self/maps")  # a regular file that says it is 0 bytes long
    if not proc_file.exists() or proc_file.stat().st_size != 0:
        pytest.skip("needs Linux /proc")
    with pytest.raises(DataError) as raised:
        safeyaml.read_text(proc_file, "maps", limit=64)
    assert str(raised.value) == "maps:1:1: file is larger than 64 bytes"


def test_a_file_at_the_limit_is_read_and_one_byte_more_is_not(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_bytes(b"a: " + b"x" * 97)
    assert safeyaml.read(path, "a.yaml", limit=100).data == {"a": "x" * 97}
    path.write_bytes(b"a: " + b"x" * 98)
    with pytest.raises(DataError) as raised:
        safeyaml.read(path, "a.yaml", limit=100)
    assert str(raised.value) == "a.yaml:1:1: file is larger than 100 bytes"


def test_answers_files_have_a_smaller_limit_than_a_knowledge_base() -> None:
    # What is accepted must save and read back: a saved assessment is read with the same limit.
    assert safeyaml.ASSESSMENT_MAX_BYTES == 8 * 1024 * 1024 < safeyaml.MAX_BYTES


def test_an_answers_file_over_the_limit_is_refused(place: Path, home: Path) -> None:
    padding = ("# " + "x" * 1022 + "\n") * (9 * 1024)  # 9 MiB of comments, then valid answers
    (place / "answers.yaml").write_text(padding + ANSWERS)
    code, err = unchanged(lambda: cli("assess", "--answers", "answers.yaml", "--kb", "kb"), place)
    assert code == 1
    assert "answers.yaml:1:1: file is larger than 8 MiB" in err.splitlines()
    assert saved(home) == []


# --- 3. Every YAML/JSON problem is FILE:LINE:COL -----------------------------------------------

CONTROL = "character U+{:04X} is not allowed in YAML (control characters are not allowed)"
# id: (the value written instead of `2`, where the problem is, the message)
VALUES = {
    "NUL": ("2\x00", "\x00", CONTROL.format(0)),
    "form feed": ("\x0c2", "\x0c", CONTROL.format(0x0C)),
    "ESC in a comment": ("2  # \x1b]52;c;aGk=\x07", "\x1b", CONTROL.format(0x1B)),
    "C1 CSI": ("\u009b2", "\u009b", CONTROL.format(0x9B)),
    "DEL": ("2\x7f", "\x7f", CONTROL.format(0x7F)),
    "after non-ASCII": ("'été' # é\x1b", "\x1b", CONTROL.format(0x1B)),
    "!!int abc": ("!!int abc", "!!int", "'abc' is not an integer"),
    "!!int empty": ('!!int ""', "!!int", "'' is not an integer"),
    "!!bool abc": ("!!bool abc", "!!bool", "'abc' is not a true/false value"),
    "!!float x": ("!!float x", "!!float", "'x' is not a number"),
    "!!python": (
        "!!python/object:os.system x",
        "!!python",
        "unsupported YAML tag 'tag:yaml.org,2002:python/object:os.system': use plain values",
    ),
    "5000 digits": ("9" * 5000, "9" * 50, f"'{'9' * 40}...' is too long for an integer"),
    "19 digits": (
        "1" + "0" * 18,
        "1" + "0" * 18,
        "'1000000000000000000' is out of range: at most 18 digits",
    ),
    "-19 digits": (
        "-1" + "0" * 18,
        "-1" + "0" * 18,
        "'-1000000000000000000' is out of range: at most 18 digits",
    ),
    "huge hex": ("0x" + "f" * 62, "0xfff", f"'0x{'f' * 38}...' is out of range: at most 18 digits"),
    "long sexagesimal": (
        "1" + ":10" * 30,
        "1:10",
        f"'{('1' + ':10' * 13)[:40]}...' is too long for an integer",
    ),
    "!!int 5000 digits": (
        "!!int " + "7" * 5000,
        "!!int",
        f"'{'7' * 40}...' is too long for an integer",
    ),
}
KEYS = {
    "NUL in a key": ("pyth\x00on", "\x00", CONTROL.format(0)),
    "ESC in a key": ("\x1b[2Jpython", "\x1b", CONTROL.format(0x1B)),
    "!!int in a key": ("!!int python", "!!int", "'python' is not an integer"),
}


def hostile(base: str, line: str, case: str) -> str:
    """`base` with the case's key or value in place of those of `line` (`  key: value`)."""
    indent, key, value = line[: len(line) - len(line.lstrip())], *line.strip().split(": ")
    if case in KEYS:
        new = f"{indent}{KEYS[case][0]}: {value}"
    else:
        new = f"{indent}{key}: {VALUES[case][0]}"
    assert line in base
    return base.replace(line, new, 1)


def expected(text: str, case: str) -> str:
    _, needle, message = KEYS.get(case) or VALUES[case]
    return f"{position(text, needle)}: {message}"


CASES = [*VALUES, *KEYS]


# `assess --answers` reads like `report`: a few cases show it is wired the same way.
ANSWERS_CASES = [("report", case) for case in CASES] + [
    ("assess --answers", case)
    for case in ("NUL", "C1 CSI", "!!int abc", "5000 digits", "NUL in a key")
]


@pytest.mark.parametrize(("command", "case"), ANSWERS_CASES)
def test_answers_file_problems_are_located(
    place: Path, home: Path, command: str, case: str
) -> None:
    text = hostile(ANSWERS, "  python: 2", case)
    (place / "answers.yaml").write_bytes(text.encode("utf-8"))
    code, err = unchanged(lambda: cli(*READ_ANSWERS[command]), place)
    assert code == 1
    assert f"answers.yaml:{expected(text, case)}" in err.splitlines(), err
    assert saved(home) == []


@pytest.mark.parametrize("case", CASES)
def test_knowledge_base_problems_are_located(place: Path, home: Path, case: str) -> None:
    skills = (place / "kb" / "skills.yaml").read_text(encoding="utf-8")
    text = hostile(skills, "    weight: 2", case)
    (place / "kb" / "skills.yaml").write_bytes(text.encode("utf-8"))
    code, err = unchanged(lambda: cli("validate", "--kb", "kb"), place)
    assert code == 1
    assert f"kb/skills.yaml:{expected(text, case)}" in err.splitlines(), err


@pytest.mark.parametrize("case", CASES)
def test_saved_quiz_problems_are_located(place: Path, home: Path, case: str) -> None:
    path = home / "in-progress.json"
    text = hostile(PROGRESS, '"python": 2', case)
    path.write_bytes(text.encode("utf-8"))
    code, err = unchanged(lambda: cli("assess", "--kb", "kb"), place, home)
    assert code == 1
    assert f"{path}:{expected(text, case)}" in err.splitlines(), err


def test_a_unicode_digit_is_text_not_a_crash(place: Path, home: Path) -> None:
    text = ANSWERS.replace("python: 2", "python: ²")  # isdigit(), yet int() refuses it
    (place / "answers.yaml").write_text(text, encoding="utf-8")
    code, err = unchanged(lambda: cli("report", "answers.yaml", "--kb", "kb"), place)
    assert code == 1
    line = f"answers.yaml:{position(text, '²')}: answers.python: Input should be a valid integer"
    assert line in err.splitlines(), err


def test_aliases_may_not_repeat_more_text_than_the_file_holds(place: Path) -> None:
    text = "name: &big " + "x" * 200_000 + "\nsources: [" + ", ".join(["*big"] * 8) + "]\n"
    (place / "kb" / "skills.yaml").write_text(text)
    code, err = unchanged(lambda: cli("validate", "--kb", "kb"), place)
    assert code == 1
    where = position(text, "*big")
    at = int(where.split(":")[1]) + len("*big, ") * 5  # the sixth alias passes 1 MiB
    message = "aliases repeat more than 1,048,576 characters; refusing an alias bomb"
    assert f"kb/skills.yaml:2:{at}: {message}" in err.splitlines(), err


def test_both_reading_paths_count_aliases_alike(place: Path) -> None:
    # Keys count as nodes on both paths: the fast path once let this through, then locating the
    # unknown key read the file again, counted more, and died with a traceback.
    text = "x: &a {k: v}\ny: [" + ", ".join(["*a"] * 40_000) + "]\n"
    (place / "kb" / "skills.yaml").write_text(text)
    code, err = unchanged(lambda: cli("validate", "--kb", "kb"), place)
    assert code == 1
    assert "aliases repeat more than 100,000 nodes; refusing an alias bomb" in err, err


# --- 4. Numbers are finite and bounded ---------------------------------------------------------

HOURS_MESSAGE = "is not a weekly study time: give 0.5 to 168 hours"


@pytest.mark.parametrize(
    "hours", ["inf", "-inf", "Infinity", "nan", "NaN", "1e309", "169", "168.01", "0.4", "0", "-1"]
)
@pytest.mark.parametrize("command", READ_ANSWERS)
def test_hours_per_week_is_finite_and_at_most_168(
    place: Path, home: Path, hours: str, command: str
) -> None:
    (place / "answers.yaml").write_text(ANSWERS)
    args = [*READ_ANSWERS[command], "--hours-per-week", hours]
    code, err = unchanged(lambda: cli(*args), place)
    assert code == 2
    assert HOURS_MESSAGE in err, err
    assert saved(home) == []


def _no_constant(name: str) -> object:
    raise AssertionError(f"{name} in JSON output")


@pytest.mark.parametrize("hours", ["168", "0.5"])
def test_hours_at_the_bounds_give_plain_json(place: Path, hours: str) -> None:
    (place / "answers.yaml").write_text(ANSWERS)
    result = runner.invoke(
        app, ["report", "answers.yaml", "--kb", "kb", "--hours-per-week", hours, "-f", "json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout, parse_constant=_no_constant)
    assert data["hours_per_week"] == float(hours)


FINITE = "Input should be a finite number"
AT_MOST = "Input should be less than or equal to 10000"
# effort_hours of a step: what is written instead of 40, and pydantic's message
EFFORTS = {".inf": FINITE, "-.inf": FINITE, ".NaN": FINITE, "1.0e+309": FINITE}
EFFORTS |= {"1e9": AT_MOST, "10001": AT_MOST}


@pytest.mark.parametrize("value", EFFORTS)
def test_effort_hours_are_finite_and_bounded(place: Path, value: str) -> None:
    roadmap = place / "kb" / "roadmap.yaml"
    text = roadmap.read_text().replace("effort_hours: 40", f"effort_hours: {value}", 1)
    roadmap.write_text(text)
    code, err = unchanged(lambda: cli("validate", "--kb", "kb"), place)
    assert code == 1
    line, column = position(text, f"effort_hours: {value}").split(":")
    where = f"{line}:{int(column) + len('effort_hours: ')}"
    message = f"step 'learn-python': effort_hours: {EFFORTS[value]}"
    assert f"kb/roadmap.yaml:{where}: {message}" in err.splitlines(), err


@pytest.mark.parametrize("value", [".inf", "-.inf", ".nan"])
def test_weights_are_finite(place: Path, value: str) -> None:
    skills = place / "kb" / "skills.yaml"
    text = skills.read_text().replace("    weight: 2\n", f"    weight: {value}\n", 1)
    skills.write_text(text)
    code, err = unchanged(lambda: cli("validate", "--kb", "kb"), place)
    assert code == 1
    line, column = position(text, f"weight: {value}").split(":")
    where = f"{line}:{int(column) + len('weight: ')}"
    message = "skill 'python': weight: Input should be a finite number"
    assert f"kb/skills.yaml:{where}: {message}" in err.splitlines(), err


@pytest.mark.parametrize("value", [".inf", ".nan", "1e309", "2.0"])
def test_a_level_is_a_whole_number(place: Path, home: Path, value: str) -> None:
    text = ANSWERS.replace("python: 2", f"python: {value}")
    (place / "answers.yaml").write_text(text)
    code, err = unchanged(lambda: cli("assess", "--answers", "answers.yaml", "--kb", "kb"), place)
    assert code == 1
    line, column = position(text, f"python: {value}").split(":")
    where = f"{line}:{int(column) + len('python: ')}"
    message = "answers.python: Input should be a valid integer"
    assert f"answers.yaml:{where}: {message}" in err.splitlines(), err
    assert saved(home) == []


def _long_roadmap(steps: int, hours: int) -> str:
    """One role needing Python at 4, reached only by the last of a chain of `steps` steps."""
    lines = [
        "roles:",
        "  - {id: senior, name: Senior, summary: Leads., targets: {python: 4}}",
        "steps:",
    ]
    for n in range(steps):
        level = 4 if n == steps - 1 else 1
        requires = f", requires: [s{n - 1}]" if n else ""
        lines.append(
            f"  - {{id: s{n}, title: Step {n}, description: Work., outcome: Work done.,"
            f" develops: {{python: {level}}}, effort_hours: {hours}{requires}}}"
        )
    return "\n".join(lines) + "\n"


def test_a_dated_plan_past_the_calendar_does_not_crash(place: Path) -> None:
    (place / "kb" / "roadmap.yaml").write_text(_long_roadmap(30, 10_000))
    (place / "answers.yaml").write_text("role: senior\nanswers: {python: 0}\n")
    code, err = unchanged(
        lambda: cli("report", "answers.yaml", "--kb", "kb", "--hours-per-week", "0.5"), place
    )
    assert code == 0, err


def test_a_skill_has_at_most_two_check_items(place: Path, home: Path) -> None:
    # The quiz asks two at most; more would only make a saved assessment bigger than its input.
    items = "[{prompt: a}, {prompt: b}, {prompt: c}]"
    text = (
        "mlcareer: 2\nrole: junior\nanswers: {python: 3}\nchecks:\n"
        f"  python: {{verdict: confirmed, rating: 3, items: {items}}}\n"
    )
    (place / "answers.yaml").write_text(text)
    code, err = unchanged(lambda: cli(*READ_ANSWERS["assess --answers"]), place)
    assert code == 1
    message = "checks.python.items: Tuple should have at most 2 items after validation, not 3"
    assert f"answers.yaml:{position(text, items)}: {message}" in err.splitlines(), err
    assert saved(home) == []
