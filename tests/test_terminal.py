"""The real program in a pseudo-terminal: what a person sees, Ctrl-C and resume, SIGKILL."""

from __future__ import annotations

import json
import os
import signal
import sys
from pathlib import Path

import pexpect
import pytest

from mlcareer.cli.common import command

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")


def spawn(home: Path, *args: str) -> pexpect.spawn:
    env = {**os.environ, "MLCAREER_HOME": str(home), "TERM": "xterm-256color"}
    env.pop("NO_COLOR", None)
    return pexpect.spawn(
        sys.executable,
        ["-m", "mlcareer", "assess", *args],
        env=env,
        encoding="utf-8",
        dimensions=(40, 80),
        timeout=20,
    )


LEVEL = "Your level"


def test_ctrl_c_then_resume_keeps_the_answers(tiny_kb: Path, _home: Path) -> None:
    child = spawn(_home, "--kb", str(tiny_kb), "--role", "senior", "--no-checks")
    child.expect("1/4")
    child.expect(LEVEL)
    child.sendline("3")
    child.expect("2/4")
    child.expect(LEVEL)
    child.sendline("2")
    child.expect("3/4")
    child.expect(LEVEL)
    child.sendintr()  # Ctrl-C
    resume = f"Interrupted. Your answers are saved: run `{command()} assess` to resume."
    child.expect_exact(resume)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130

    child = spawn(_home, "--kb", str(tiny_kb), "--no-checks")
    child.expect(r"You have an unfinished assessment \(Senior engineer, 2 answers\)\. Resume it\?")
    child.sendline("y")
    child.expect("Carrying on from skill 3")
    child.expect("3/4")
    child.expect(LEVEL)
    child.sendline("1")
    child.expect("4/4")
    child.expect(LEVEL)
    child.sendline("4")
    child.expect("gap report")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    [saved] = list((_home / "history").glob("*.json"))
    answers = json.loads(saved.read_text())["answers"]
    assert answers == {"python": 3, "sql": 2, "statistics": 1, "communication": 4}


def test_ctrl_d_saves_and_stops(tiny_kb: Path, _home: Path) -> None:
    child = spawn(_home, "--kb", str(tiny_kb), "--role", "junior", "--no-checks")
    child.expect(LEVEL)
    child.sendline("2")
    child.expect("2/4")
    child.expect(LEVEL)
    child.sendeof()
    child.expect("Saved: 1 answer so far")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert json.loads((_home / "in-progress.json").read_text())["answers"] == {"python": 2}


def test_sigkill_right_after_an_answer_loses_nothing(tiny_kb: Path, _home: Path) -> None:
    child = spawn(_home, "--kb", str(tiny_kb), "--role", "senior", "--no-checks")
    child.expect(LEVEL)
    child.sendline("3")
    child.expect("2/4")  # the next screen is drawn only after the answer was written
    child.kill(signal.SIGKILL)
    child.close()
    assert child.signalstatus == signal.SIGKILL
    saved = json.loads((_home / "in-progress.json").read_text())
    assert saved["answers"] == {"python": 3}
    assert saved["position"] == 1
    assert not list(_home.glob(".*.tmp"))  # no half-written temporary file left behind


def test_colour_in_a_terminal_but_not_when_piped(tiny_kb: Path, _home: Path) -> None:
    child = spawn(_home, "--kb", str(tiny_kb), "--role", "senior")
    child.expect(LEVEL)
    assert "\x1b[" in child.before  # styled in a terminal
    child.sendline("q")
    child.expect(pexpect.EOF)


def _pick(screen: str, knowledge_dir: Path, right: bool) -> str:
    """The number of the right (or of a wrong) choice of the check on `screen`, read as shown."""
    import re

    from mlcareer import kb

    skill = kb.load(knowledge_dir).skill["sql"]
    text = " ".join(re.sub(r"\x1b\[[0-9;]*m", "", screen).split())
    [check] = [c for c in skill.checks if " ".join(c.prompt.split()) in text]
    shown = re.findall(r"(\d)\. (.+?)(?= \d\. |$)", text[text.index(check.prompt[-10:]) :])
    numbers: dict[str, str] = {str(choice): str(number) for number, choice in shown}
    if right:
        return numbers[check.answer]
    return next(n for choice, n in numbers.items() if choice != check.answer)


def test_two_missed_checks_are_not_confirmed_and_say_so(tiny_kb: Path, _home: Path) -> None:
    child = spawn(_home, "--kb", str(tiny_kb), "--role", "senior", "--seed", "11")
    child.expect(LEVEL)
    child.sendline("2")  # python
    child.expect("2/4")
    child.expect(LEVEL)
    child.sendline("3")  # sql: a check follows
    for _ in range(2):
        child.expect("Quick check")
        child.expect("Your answer")
        child.sendline(_pick(child.before, tiny_kb, right=False))
        child.expect("Not quite. The answer is")
    child.expect("3/4")
    child.expect(LEVEL)
    child.sendline("2")
    child.expect("4/4")
    child.expect(LEVEL)
    child.sendline("3")
    child.expect("Readiness 70.6%")  # styles put escape codes between the parts
    child.expect("64.7% checked")
    child.expect(r"SQL\S*: rated 3, not confirmed, counted as 2")
    child.expect(pexpect.EOF)
    [saved] = (_home / "history").glob("*.json")
    assert json.loads(saved.read_text())["checks"]["sql"]["verdict"] == "not_confirmed"
