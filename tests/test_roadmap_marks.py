"""`mlcareer roadmap done/undo`: marks kept per knowledge base, used by reports and assess."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

from typer.testing import CliRunner

from mlcareer.cli import app

runner = CliRunner()
FIXTURES = Path(__file__).parent / "fixtures"


def run(*args: str, input: str = "") -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), input=input)
    assert "Traceback" not in result.output
    return result.exit_code, result.stdout, result.stderr


def marks(home: Path) -> list[Path]:
    return sorted((home / "completed-steps").glob("*.json"))


def test_done_and_undo_record_steps_for_this_knowledge_base(tiny_kb: Path, _home: Path) -> None:
    code, out, _ = run("roadmap", "done", "learn-stats", "learn-python", "--kb", str(tiny_kb))
    assert code == 0
    assert "Marked done: learn-stats, learn-python." in out
    [path] = marks(_home)
    assert json.loads(path.read_text()) == {"completed_steps": ["learn-python", "learn-stats"]}
    code, out, _ = run("roadmap", "done", "learn-stats", "--kb", str(tiny_kb))
    assert "Already marked done: learn-stats." in out
    code, out, _ = run("roadmap", "undo", "learn-stats", "databases", "--kb", str(tiny_kb))
    assert code == 0
    assert "No longer marked done: learn-stats." in out
    assert "databases was not marked done." in out
    assert json.loads(path.read_text()) == {"completed_steps": ["learn-python"]}
    # Another knowledge base has marks of its own.
    run("roadmap", "done", "py-basics", "--kb", str(FIXTURES / "levels"))
    assert len(marks(_home)) == 2


def test_an_unknown_step_is_refused_and_the_steps_are_named(tiny_kb: Path, _home: Path) -> None:
    code, out, err = run("roadmap", "done", "learn-python", "flying", "--kb", str(tiny_kb))
    assert code == 1 and out == ""
    assert err == (
        "error: unknown roadmap step 'flying'; the steps are: learn-python, learn-stats, "
        "databases, present\n"
    )
    assert marks(_home) == []  # nothing half-done


def _finish_quiz(tiny_kb: Path, role: str, keys: str) -> None:
    code, _, err = run("assess", "--kb", str(tiny_kb), "--role", role, "--no-checks", input=keys)
    assert code == 0, err


def test_status_marks_in_reports_and_assess(tiny_kb: Path, _home: Path) -> None:
    _finish_quiz(tiny_kb, "senior", "0\n0\n0\n0\n")
    code, out, _ = run("roadmap", "--kb", str(tiny_kb))
    rows = [" ".join(line.split()) for line in out.splitlines()]
    assert "1 Learn Python learn-python - 40 next" in rows
    assert "3 Work with databases databases 1 30 locked" in rows
    assert "Status for your latest assessment (Senior engineer)." in rows

    run("roadmap", "done", "learn-python", "--kb", str(tiny_kb))
    _, out, _ = run("roadmap", "--kb", str(tiny_kb), "-f", "json")
    status = {s["id"]: s["status"] for s in json.loads(out)}
    assert status == {
        "learn-python": "done",
        "learn-stats": "next",
        "databases": "next",
        "present": "locked",
    }
    # Your own latest assessment counts the mark, and asks for a re-rating (python is still 0).
    _, out, _ = run("report", "--kb", str(tiny_kb), "-f", "json")
    assert "learn-python" not in [s["id"] for s in json.loads(out)["next_steps"]]
    _, out, _ = run("report", "--kb", str(tiny_kb))
    assert "Marked done, your levels still below them: Learn Python." in " ".join(out.split())
    # A finished quiz copies the marks into the saved assessment.
    _finish_quiz(tiny_kb, "junior", "1\n1\n1\n1\n")
    [junior] = (_home / "history").glob("*junior.json")
    assert json.loads(junior.read_text())["completed_steps"] == ["learn-python"]


def test_undo_of_a_step_done_by_levels_says_so(tiny_kb: Path) -> None:
    _finish_quiz(tiny_kb, "junior", "4\n1\n1\n1\n")  # python 4: learn-python is done by levels
    code, out, _ = run("roadmap", "undo", "learn-python", "--kb", str(tiny_kb))
    assert code == 0
    assert (
        "learn-python was not marked: it is done by the levels of your latest assessment."
        in " ".join(out.split())
    )


def test_kill_9_leaves_the_marks_file_readable(tiny_kb: Path, _home: Path) -> None:
    env = {**os.environ, "MLCAREER_HOME": str(_home)}
    steps = ["learn-python", "learn-stats", "databases", "present"]
    rng = random.Random(5)
    for n in range(12):
        verb = "done" if n % 2 == 0 else "undo"
        child = subprocess.Popen(
            [sys.executable, "-m", "mlcareer", "roadmap", verb, rng.choice(steps), "--kb",
             str(tiny_kb)],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        time.sleep(rng.uniform(0.05, 0.6))
        child.kill()
        child.wait()
        for path in marks(_home):
            data = json.loads(path.read_text())
            assert set(data["completed_steps"]) <= set(steps)
    code, _, _ = run("roadmap", "--kb", str(tiny_kb))
    assert code == 0
