"""What reaches the terminal: text from files shown literally (no terminal sequence, no bidi
control), output that degrades to ASCII, strict JSON, and closed or full standard streams that
end with one line and an exit code, never a traceback, with nothing lost.

The stream and encoding cases run the real program (`python -m mlcareer`): file descriptors,
`sys.stdout is None` and the interpreter's last flush only happen there.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from invoke import run
from mlcareer.models import Assessment
from mlcareer.render.json import dumps
from mlcareer.render.text import literal, one_line

# An OSC 52 (write the clipboard), a CSI colour, a one-character C1 CSI, and bidi controls.
OSC52 = "\x1b]52;c;SGVsbG8=\x07"
EVIL = f"{OSC52}\x1b[31m\x9b2J\u202eevil\u200f\u061c"
# What must never reach stdout or stderr as it is.
RAW = [b"\x1b", b"\x07", "\x9b".encode(), "\u202e".encode(), "\u200f".encode(), "\u061c".encode()]

SENIOR = "role: senior\nanswers: {python: 3, sql: 2, statistics: 1, communication: 2}\n"


def raw_in(*outputs: str | bytes) -> list[bytes]:
    """The dangerous sequences found in `outputs`."""
    data = b"".join(
        o if isinstance(o, bytes) else o.encode("utf-8", "surrogatepass") for o in outputs
    )
    return [r for r in RAW if r in data]


def snapshot(*folders: Path) -> dict[str, bytes]:
    """Every file under `folders`, by path: to show that nothing was changed."""
    return {
        str(p): p.read_bytes()
        for folder in folders
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def mlcareer(
    *args: str,
    stdout: Any = subprocess.PIPE,
    stdin: Any = subprocess.DEVNULL,
    close: tuple[int, ...] = (),
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[bytes]:
    """Run the real program; `close`: descriptors closed in the child (`>&-`, `<&-`)."""

    def closing() -> None:
        for fd in close:
            os.close(fd)

    return subprocess.run(
        [sys.executable, "-m", "mlcareer", *args],
        stdin=stdin,
        stdout=stdout,
        stderr=subprocess.DEVNULL if 2 in close else subprocess.PIPE,
        preexec_fn=closing if close else None,
        env={**os.environ, **(env or {})},
        timeout=60,
        check=False,
    )


def no_traceback(result: subprocess.CompletedProcess[bytes]) -> str:
    err = (result.stderr or b"").decode("utf-8", "replace")
    assert "Traceback" not in err and "Exception ignored" not in err, err
    return err


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(autouse=True)
def _shared_cache(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One KB cache for the module: each real run would build its own otherwise."""
    monkeypatch.setenv("MLCAREER_CACHE_DIR", str(cache))


@pytest.fixture
def saved(_home: Path) -> Path:
    """Two finished assessments in history; the second holds the hostile date and name."""
    folder = _home / "history"
    folder.mkdir()
    for n, finished, name in (
        (1, "2026-01-01T10:00:00+00:00", None),
        (2, f"2026-01-02{EVIL}", f"Eve{EVIL}"),
    ):
        data = yaml.safe_load(SENIOR) | {"started": finished, "finished": finished, "name": name}
        path = folder / f"{n:04d}-2026-01-0{n}-senior.json"
        path.write_text(json.dumps(Assessment.model_validate(data).model_dump(mode="json")))
    return path


# literal ------------------------------------------------------------------------------------

# The edges of each range: C0, DEL and C1, U+061C, LRM and RLM, the line and paragraph
# separators, LRE..RLO, LRI..PDI, and lone surrogates.
ESCAPED = [0x00, 0x08, 0x0B, 0x1B, 0x1F, 0x7F, 0x80, 0x9B, 0x9F, 0x61C, 0x200E, 0x200F, 0x2028]
ESCAPED += [0x2029, 0x202A, 0x202E, 0x2066, 0x2069, 0xD800, 0xDFFF]
# Neighbours of each range, the joiners scripts need, and text that only looks unusual.
KEPT = [" ", "~", "\xa0", "é", "\u061b", "\u061d", "\u200b", "\u200c", "\u200d", "\u2027"]
KEPT += ["\u202f", "\u2065", "\u206a", "\ue000", "👩\u200d💻", "क्\u200dष", "می\u200cخواهم"]


@pytest.mark.parametrize("code", ESCAPED, ids=[f"U+{c:04X}" for c in ESCAPED])
def test_literal_escapes_controls_and_bidi(code: int) -> None:
    shown = f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    assert literal(f"a{chr(code)}b") == f"a{shown}b"
    assert literal(f"a{chr(code)}b", lines=False) == f"a{shown}b"


def test_literal_escapes_are_readable() -> None:
    assert literal(EVIL) == "\\x1b]52;c;SGVsbG8=\\x07\\x1b[31m\\x9b2J\\u202eevil\\u200f\\u061c"


@pytest.mark.parametrize("text", KEPT)
def test_literal_keeps_joiners_and_neighbours(text: str) -> None:
    assert literal(f"a{text}b") == f"a{text}b"


def test_literal_newline_and_tab_stay_in_prose_only() -> None:
    assert literal("a\nb\tc") == "a\nb\tc"
    assert literal("a\nb\tc", lines=False) == "a\\x0ab\\x09c"
    assert one_line("a\nb\u2028c\x1bd") == "a b\\u2028c\\x1bd"


# JSON -----------------------------------------------------------------------------------------


def strict(text: str) -> Any:
    def refuse(name: str) -> Any:
        raise AssertionError(f"{name} in JSON")

    return json.loads(text, parse_constant=refuse)


def test_json_never_holds_nan_or_infinity_and_escapes_controls() -> None:
    data = {"x": float("nan"), "y": [float("inf"), -float("inf"), 1.5], "name": EVIL + "é"}
    text = dumps(data)
    assert strict(text) == {"x": None, "y": [None, None, 1.5], "name": EVIL + "é"}
    assert raw_in(text) == [] and "é" in text
    assert strict(dumps(data, ascii=True))["name"] == EVIL + "é"
    assert dumps(data, ascii=True).isascii()


@pytest.mark.parametrize(
    "args",
    [
        ("report", "-f", "json", "--hours-per-week", "0.5"),
        ("report", "-f", "json", "--hours-per-week", "168", "--steps", "0"),
        ("history", "-f", "json"),
        ("progress", "-f", "json"),
        ("roadmap", "-f", "json"),
        ("skills", "-f", "json"),
        ("roles", "-f", "json"),
    ],
)
def test_json_outputs_are_strict(saved: Path, tiny_kb: Path, args: tuple[str, ...]) -> None:
    code, out, err = run(*args, "--kb", str(tiny_kb))
    assert code == 0, err
    strict(out)
    assert raw_in(out, err) == []


def test_team_json_is_strict(saved: Path, tiny_kb: Path) -> None:
    code, out, err = run(
        "team", str(saved.parent), "--role", "senior", "-f", "json", "--kb", str(tiny_kb)
    )
    assert code == 0, err
    names = [p["name"] for p in strict(out)["people"]]
    assert f"Eve{EVIL}" in names  # the same string, escaped in the text only
    assert raw_in(out, err) == []


# Text from files, end to end --------------------------------------------------------------


READERS: list[tuple[str, ...]] = [
    ("history",),
    ("history", "-f", "json"),
    ("report",),
    ("report", "-f", "markdown"),
    ("report", "-f", "html"),
    ("progress",),
    ("progress", "-f", "markdown"),
    ("team", "{history}", "--role", "senior"),
    ("team", "{history}", "--role", "senior", "-f", "markdown"),
    ("team", "{history}", "--role", "senior", "-f", "html"),
]


@pytest.mark.parametrize("args", READERS, ids=" ".join)
def test_hostile_dates_and_names_are_shown_literally(
    saved: Path, tiny_kb: Path, _home: Path, args: tuple[str, ...]
) -> None:
    before = snapshot(_home)
    argv = [a.format(history=saved.parent) for a in args]
    code, out, err = run(*argv, "--kb", str(tiny_kb))
    assert code == 0, err
    assert raw_in(out, err) == []
    assert snapshot(_home) == before


def test_history_shows_the_date_escaped_on_its_row(saved: Path, tiny_kb: Path) -> None:
    code, out, _ = run("history", "--kb", str(tiny_kb))
    assert code == 0
    row = next(line for line in out.splitlines() if line.lstrip().startswith("2 "))
    assert "2026-01-02\\x1b]52;c" in row  # cut to the width of a date, then made visible


def test_names_in_the_real_program(saved: Path, tiny_kb: Path, _home: Path) -> None:
    """The bytes a terminal would get from `team`, through the real streams (`history` runs
    for real in the encoding tests)."""
    before = snapshot(_home)
    result = mlcareer("team", str(saved.parent), "--role", "senior", "--kb", str(tiny_kb))
    assert result.returncode == 0
    no_traceback(result)
    assert b"Eve\\x1b]52;c;SGVsbG8=\\x07" in result.stdout  # made visible
    assert raw_in(result.stdout, result.stderr) == []
    assert snapshot(_home) == before


def test_hostile_names_in_answers_and_kb(tiny_kb: Path, tmp_path: Path) -> None:
    """`name:` from an answers file, a file name, an unknown id and a KB's names."""
    folder = tmp_path / "group"
    folder.mkdir()
    (folder / "a.yaml").write_text(f'name: "Ann\\e]52;c;SGVsbG8=\\a\\u202e\\u200f"\n{SENIOR}')
    (folder / "bob\x1b[31m\u202e.yaml").write_text(SENIOR)
    (folder / "bad.yaml").write_text('answers: {"py\\e[31m\\u202e": 2}\n')
    skills = tiny_kb / "skills.yaml"
    skills.write_text(
        skills.read_text().replace("name: Python", 'name: "Py\\u202eth\\e[2Jon\\u200f"')
    )
    before = snapshot(folder, tiny_kb)
    outputs = []
    for fmt in ("text", "markdown", "json", "html"):
        code, out, err = run(
            "team", str(folder), "--role", "senior", "-f", fmt, "--kb", str(tiny_kb)
        )
        assert code == 0, err
        outputs += [out, err]
    assert "skipped" in outputs[1]  # bad.yaml is named, literally
    for args in (
        ("skills",),
        ("report", str(folder / "a.yaml")),
        ("report", str(folder / "bad.yaml")),
    ):
        _, out, err = run(*args, "--kb", str(tiny_kb))
        outputs += [out, err]
    assert "Py\\u202eth\\x1b[2Jon\\u200f" in outputs[-6]  # `skills`
    assert raw_in(*outputs) == []
    assert snapshot(folder, tiny_kb) == before


# Encodings ------------------------------------------------------------------------------------

ASCII = {"PYTHONIOENCODING": "ascii"}
C_LOCALE = {"PYTHONIOENCODING": "", "PYTHONUTF8": "0", "LC_ALL": "C", "LANG": "C"}
C_LOCALE["PYTHONCOERCECLOCALE"] = "0"


@pytest.fixture
def cafe_kb(tiny_kb: Path) -> Path:
    """The tiny KB with a non-ASCII skill name and step title."""
    for name, old, new in (
        ("skills", "name: Python", "name: Pythön"),
        ("roadmap", "Learn", "Léarn"),
    ):
        path = tiny_kb / f"{name}.yaml"
        path.write_text(path.read_text().replace(old, new))
    return tiny_kb


DEGRADED = [(ASCII, (c,)) for c in ("skills", "roles", "history", "report", "--help")]
DEGRADED += [(C_LOCALE, ("report",)), (C_LOCALE, ("--help",))]


@pytest.mark.parametrize(
    ("env", "args"),
    DEGRADED,
    ids=[f"{'ascii' if e is ASCII else 'C'}-{a[0]}" for e, a in DEGRADED],
)
def test_output_degrades_to_ascii(
    saved: Path, cafe_kb: Path, _home: Path, env: dict[str, str], args: tuple[str, ...]
) -> None:
    before = snapshot(_home, cafe_kb)
    kb = () if args == ("--help",) else ("--kb", str(cafe_kb))
    result = mlcareer(*args, *kb, env=env)
    no_traceback(result)
    assert result.returncode == 0
    out = result.stdout.decode("ascii")  # nothing else in it
    assert raw_in(result.stdout, result.stderr) == []  # the hostile date in `history` too
    if args[0] in ("skills", "report"):
        assert "Pyth\\xf6n" in out  # readable, and says which character it is
    if args == ("report",):
        assert re.search(r"^Programming +#*-* +\d+%$", out, re.MULTILINE), out  # a bar
    assert snapshot(_home, cafe_kb) == before


def test_json_to_an_ascii_stream_is_valid_and_the_same(saved: Path, cafe_kb: Path) -> None:
    args = ("report", "-f", "json", "--kb", str(cafe_kb))
    result = mlcareer(*args, env=ASCII)
    no_traceback(result)
    assert result.stdout.isascii() and b"L\\u00e9arn" in result.stdout
    assert strict(result.stdout.decode()) == strict(run(*args)[1])


# Closed and full streams --------------------------------------------------------------------

CLOSED = "error: cannot write to standard output: it is closed\n"
FULL = "error: cannot write to standard output: No space left on device\n"


def full() -> Any:
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full here")
    return open("/dev/full", "w")  # noqa: SIM115 - closed by the caller's `with`


def commands(saved: Path, kb: Path) -> dict[str, tuple[str, ...]]:
    return {
        "skills": ("skills", "--kb", str(kb)),
        "report": ("report", str(saved), "--kb", str(kb)),
        "help": ("--help",),
    }


@pytest.mark.parametrize("command", ["skills", "report"])
def test_closed_stdout(saved: Path, tiny_kb: Path, _home: Path, command: str) -> None:
    before = snapshot(_home)
    result = mlcareer(*commands(saved, tiny_kb)[command], stdout=subprocess.DEVNULL, close=(1,))
    assert (result.returncode, no_traceback(result)) == (1, CLOSED)
    assert snapshot(_home) == before


@pytest.mark.parametrize("command", ["skills", "report", "help"])
def test_full_stdout(saved: Path, tiny_kb: Path, _home: Path, command: str) -> None:
    before = snapshot(_home)
    with full() as device:
        result = mlcareer(*commands(saved, tiny_kb)[command], stdout=device)
    assert (result.returncode, no_traceback(result)) == (1, FULL)
    assert snapshot(_home) == before


def test_closed_stdout_and_stderr_exit_1_silently(tiny_kb: Path) -> None:
    result = mlcareer("skills", "--kb", str(tiny_kb), stdout=subprocess.DEVNULL, close=(1, 2))
    assert result.returncode == 1


def test_a_reader_that_went_away_is_no_error(tiny_kb: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "mlcareer", "roadmap", "--kb", str(tiny_kb)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # before the program writes: its first write meets EPIPE
    err = process.stderr.read().decode()
    assert (process.wait(timeout=60), err) == (0, "")


def test_closed_stdin_when_the_quiz_asks(tiny_kb: Path, _home: Path) -> None:
    result = mlcareer("assess", "--kb", str(tiny_kb), "--role", "senior", stdin=None, close=(0,))
    err = no_traceback(result)
    assert result.returncode == 1
    assert err.splitlines() == ["error: cannot read standard input: it is closed"]
    assert not (_home / "history").exists() or not list((_home / "history").iterdir())
    assert not (_home / "in-progress.json").exists()  # nothing was answered, nothing is kept


def test_closed_stdin_is_fine_when_nothing_reads_it(saved: Path, tiny_kb: Path) -> None:
    result = mlcareer("report", str(saved), "--kb", str(tiny_kb), stdin=None, close=(0,))
    assert (result.returncode, no_traceback(result)) == (0, "")
    assert b"gap report" in result.stdout


@pytest.mark.parametrize("where", ["full", "closed"])
def test_assess_keeps_the_assessment_when_stdout_fails(
    tiny_kb: Path, tmp_path: Path, _home: Path, where: str
) -> None:
    answers = tmp_path / "senior.yaml"
    answers.write_text(SENIOR)
    if where == "full":
        with full() as device:
            result = mlcareer(
                "assess", "--answers", str(answers), "--kb", str(tiny_kb), stdout=device
            )
    else:
        result = mlcareer(
            "assess",
            "--answers",
            str(answers),
            "--kb",
            str(tiny_kb),
            stdout=subprocess.DEVNULL,
            close=(1,),
        )
    lines = no_traceback(result).splitlines()
    assert result.returncode == 1
    kept = list((_home / "history").glob("*.json"))
    assert len(kept) == 1  # saved all the same
    assert lines == [
        f"Assessment saved to {kept[0]}",
        (FULL if where == "full" else CLOSED).strip(),
    ]
    assert json.loads(kept[0].read_text())["answers"]["sql"] == 2
    assert answers.read_text() == SENIOR


def test_quiz_stops_at_the_question_it_cannot_show(tiny_kb: Path, _home: Path) -> None:
    """With stdout full, the quiz does not read answers blindly: it stops, exit 1, and what
    it had was saved (here: nothing had been answered)."""
    with full() as device:
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "mlcareer",
                "assess",
                "--kb",
                str(tiny_kb),
                "--role",
                "senior",
                "--no-checks",
            ],
            input=b"2\n2\n2\n2\n",
            stdout=device,
            stderr=subprocess.PIPE,
            timeout=60,
            check=False,
        )
    assert (result.returncode, no_traceback(result)) == (1, FULL)
    assert not list((_home / "history").glob("*.json")) if (_home / "history").exists() else True


@pytest.mark.parametrize(
    ("code", "stands_in"),
    [
        ("─", "-"),
        ("│", "|"),
        ("┼", "+"),
        ("█", "#"),
        ("░", "-"),
        ("…", "..."),
        ("→", "->"),
        ("é", "\\xe9"),
        ("😀", "\\U0001f600"),
        ("\u4e2d", "\\u4e2d"),
    ],
)
def test_ascii_stand_ins(code: str, stands_in: str) -> None:
    from mlcareer.cli import stdio

    stdio.register()
    assert code.encode("ascii", stdio.ERRORS) == stands_in.encode()


def test_the_pager_gets_the_terminal_encoding() -> None:
    from mlcareer.cli.pager import _encoded

    assert _encoded("─█é", "ascii") == b"-#\\xe9"
    assert _encoded("─█é", "utf-8") == "─█é".encode()
