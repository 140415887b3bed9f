"""The data folder: one quiz at a time, history that hides nothing, an upgraded KB, stale temporary
files, and a folder that cannot be written. Real processes where locks and file systems matter."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from invoke import run

SENIOR = "role: senior\nanswers: {python: 3, sql: 2, statistics: 1, communication: 2}\n"


def mlcareer(home: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MLCAREER_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "mlcareer", *args],
        input=stdin,
        stdin=None if stdin is not None else subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` and its bytes (the lock file aside: it holds a PID)."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != "in-progress.lock"
    }


def wait_for(condition: object, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def answers_in(home: Path) -> int:
    """Answers the saved quiz holds and has moved past. A rating is saved first and the move to
    the next question just after: a quiz killed between the two asks that question again."""
    try:
        saved = json.loads((home / "in-progress.json").read_text())
        return min(len(saved["answers"]), int(saved["position"]))
    except (OSError, ValueError, KeyError, TypeError):
        return 0


def start_quiz(kb: Path, home: Path, answers: str) -> subprocess.Popen[str]:
    """A junior quiz reading answers by line from a pipe, once `answers` are saved."""
    quiz = subprocess.Popen(
        [sys.executable, "-m", "mlcareer", "assess", "--kb", str(kb), "--role", "junior"]
        + ["--no-checks"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "MLCAREER_HOME": str(home)},
    )
    assert quiz.stdin is not None
    quiz.stdin.write(answers)
    quiz.stdin.flush()
    wait_for(lambda: answers_in(home) == answers.count("\n"))
    return quiz


@pytest.fixture
def quiz_running(tiny_kb: Path, _home: Path) -> Iterator[subprocess.Popen[str]]:
    """A quiz (answers by line on a pipe) with two of its four answers given and saved."""
    first = start_quiz(tiny_kb, _home, "2\n1\n")
    yield first
    if first.poll() is None:
        first.kill()
        first.wait()


@pytest.mark.parametrize("second", [[], ["--restart"], ["--role", "senior"]])
def test_a_second_quiz_is_refused_and_no_answer_is_lost(
    quiz_running: subprocess.Popen[str], tiny_kb: Path, _home: Path, second: list[str]
) -> None:
    before = snapshot(_home)
    refused = mlcareer(_home, "assess", "--kb", str(tiny_kb), *second)
    assert refused.returncode == 1
    assert "Traceback" not in refused.stderr
    assert f"a quiz is already running on this data folder (process {quiz_running.pid}" in (
        refused.stderr
    )
    assert snapshot(_home) == before
    out, err = quiz_running.communicate("3\n2\n", timeout=60)
    assert quiz_running.returncode == 0, err
    [saved] = (_home / "history").glob("*.json")
    answers = json.loads(saved.read_text())["answers"]
    assert answers == {"python": 2, "sql": 1, "statistics": 3, "communication": 2}


def test_answers_files_take_no_quiz_lock(
    quiz_running: subprocess.Popen[str], tiny_kb: Path, _home: Path
) -> None:
    answers = _home.parent / "a.yaml"
    answers.write_text(SENIOR)
    done = mlcareer(_home, "assess", "--kb", str(tiny_kb), "--answers", str(answers))
    assert done.returncode == 0, done.stderr
    assert answers_in(_home) == 2  # the running quiz's file is untouched


def test_the_lock_goes_with_its_process(tiny_kb: Path, _home: Path) -> None:
    """A quiz killed with SIGKILL leaves the lock file, but not the lock: the next one resumes."""
    first = start_quiz(tiny_kb, _home, "1\n")
    first.kill()
    first.wait()
    assert (_home / "in-progress.lock").exists()
    resumed = mlcareer(_home, "assess", "--kb", str(tiny_kb), "--no-checks", stdin="y\n2\n1\n0\n")
    assert resumed.returncode == 0, resumed.stderr
    [saved] = (_home / "history").glob("*.json")
    assert json.loads(saved.read_text())["answers"]["python"] == 1


def history_file(home: Path, name: str, text: str) -> Path:
    folder = home / "history"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text)
    return path


def finished(role: str, answers: str, when: str = "2026-01-01T10:00:00+00:00") -> str:
    return f'{{"role": "{role}", "finished": "{when}", "answers": {answers}}}\n'


def test_history_lists_unreadable_files_and_report_warns_about_a_later_one(
    tiny_kb: Path, _home: Path
) -> None:
    history_file(_home, "0001-2026-01-01-senior.json", finished("senior", '{"python": 1}'))
    history_file(_home, "0002-2026-01-02-senior.json", finished("senior", '{"python": 2}'))
    broken = history_file(_home, "0003-2026-01-03-senior.json", '{"role": "senior", "answers": {')
    before = snapshot(_home)
    code, out, err = run("history", "--kb", str(tiny_kb))
    assert code == 0, err
    assert "1 file in history cannot be read:" in out
    assert "0003-2026-01-03-senior.json: 2:1: YAML syntax error" in out
    code, out, err = run("history", "--kb", str(tiny_kb), "--format", "json")
    rows = json.loads(out)
    assert [r["id"] for r in rows] == [1, 2, 3] and rows[2]["problem"] and not rows[0]["problem"]
    code, out, err = run("report", "--kb", str(tiny_kb))
    assert code == 0
    assert f"warning: {broken} cannot be read (" in err and "may be a later assessment" in err
    code, out, err = run("progress", "--kb", str(tiny_kb))
    assert code == 0 and f"warning: {broken} cannot be read" in err
    assert snapshot(_home) == before


def test_latest_is_the_highest_number_whatever_the_clock_said(tiny_kb: Path, _home: Path) -> None:
    """A clock set to 2099 once does not hide the assessments saved after it."""
    history_file(
        _home, "0001-2099-01-01-senior.json", finished("senior", '{"python": 4}', "2099-01-01")
    )
    history_file(_home, "0002-2026-01-01-senior.json", finished("senior", '{"python": 1}'))
    history_file(_home, "2025-01-01T00-00-00-senior.json", finished("senior", '{"python": 2}'))
    code, out, err = run("report", "--kb", str(tiny_kb), "--format", "json")
    assert code == 0, err
    levels = {s["id"]: s["level"] for s in json.loads(out)["skills"]}
    assert levels["python"] == 1  # from 0002, not from 0001 (2099) or the unnumbered copy
    code, out, _ = run("history", "--kb", str(tiny_kb))
    lines = [line.split()[0] for line in out.splitlines()[2:] if line.strip()]
    assert lines == ["1", "2", "-"]  # numbered by number, then the unnumbered copy


def test_ids_the_kb_no_longer_has_are_left_out_with_a_warning(tiny_kb: Path, _home: Path) -> None:
    saved = history_file(
        _home,
        "0001-2026-01-01-senior.json",
        finished("senior", '{"python": 3, "cobol": 4}').replace(
            '"answers"', '"completed_steps": ["punch-cards"], "answers"'
        ),
    )
    before = saved.read_bytes()
    code, out, err = run("report", "--kb", str(tiny_kb))
    assert code == 0, err
    assert "answers: unknown skill 'cobol': not in this knowledge base, left out" in err
    assert "unknown roadmap step 'punch-cards'" in err
    assert err.startswith(f"warning: {saved}:1:")
    code, out, err = run("history", "--kb", str(tiny_kb))
    assert code == 0 and "cannot be read" not in out
    assert saved.read_bytes() == before


def test_an_unknown_skill_in_an_answers_file_to_assess_is_still_an_error(
    tiny_kb: Path, _home: Path
) -> None:
    """A new assessment would save the typo's rating nowhere: refused, as before."""
    answers = _home.parent / "typo.yaml"
    answers.write_text("role: senior\nanswers: {pyhton: 3}\n")
    code, _, err = run("assess", "--kb", str(tiny_kb), "--answers", str(answers))
    assert code == 1 and "answers: unknown skill 'pyhton'" in err
    assert not (_home / "history").exists()


def test_temporary_files_older_than_an_hour_are_cleaned(tiny_kb: Path, _home: Path) -> None:
    history = _home / "history"
    history.mkdir(parents=True)
    old, young = history / ".0001-x.json.abc.tmp", history / ".0002-x.json.def.tmp"
    for path in (old, young):
        path.write_text("half a file")
    hours_ago = time.time() - 2 * 3600
    os.utime(old, (hours_ago, hours_ago))
    answers = _home.parent / "a.yaml"
    answers.write_text(SENIOR)
    code, _, err = run("assess", "--kb", str(tiny_kb), "--answers", str(answers))
    assert code == 0, err
    assert not old.exists() and young.exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes through permissions")
def test_an_unwritable_data_folder_says_nothing_was_saved(tiny_kb: Path, _home: Path) -> None:
    answers = _home.parent / "a.yaml"
    answers.write_text(SENIOR)
    _home.chmod(0o500)
    try:
        done = mlcareer(_home, "assess", "--kb", str(tiny_kb), "--answers", str(answers))
    finally:
        _home.chmod(0o700)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "cannot save the assessment in" in done.stderr and "nothing was saved" in done.stderr


def test_a_data_folder_that_is_a_file(tiny_kb: Path, tmp_path: Path) -> None:
    home = tmp_path / "home-file"
    home.write_text("not a folder")
    answers = tmp_path / "a.yaml"
    answers.write_text(SENIOR)
    done = mlcareer(home, "assess", "--kb", str(tiny_kb), "--answers", str(answers))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "nothing was saved" in done.stderr
    quiz = mlcareer(home, "assess", "--kb", str(tiny_kb), "--role", "junior", stdin="2\n")
    assert quiz.returncode == 1 and "Traceback" not in quiz.stderr
    assert f"cannot use the data folder {home}" in quiz.stderr
    assert home.read_text() == "not a folder" and answers.read_text() == SENIOR
