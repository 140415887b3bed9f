"""The real program in a pseudo-terminal, read the way a person sees it: the visible screen.

`Term` runs `python -m mlcareer` in a pty of a given size and feeds its output to pyte, a
terminal emulator, so that assertions are about what is on the 80x24 (or 40x20) screen now, not
about bytes that scrolled by. Keys are sent one at a time, without Enter, as a person presses them.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pexpect
import pyte
import pytest

from mlcareer import kb, quiz
from mlcareer.cli.common import command

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")

FRENCH_KB = Path(__file__).parent / "fixtures" / "francais"


class Term:
    def __init__(
        self, home: Path, *args: str, cols: int = 80, rows: int = 24, then: str = "", **env: str
    ) -> None:
        """`then`: a shell command run in the same terminal after mlcareer exits."""
        full_env = {**os.environ, "MLCAREER_HOME": str(home), "TERM": "xterm-256color", **env}
        full_env["PYTHONFAULTHANDLER"] = "1"  # SIGABRT prints where it was (see `stuck`)
        for name in ("NO_COLOR", "COLUMNS", "LINES"):  # the pty size is what counts
            full_env.pop(name, None)
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.raw = b""  # everything printed, for what scrolled off
        program, argv = sys.executable, ["-m", "mlcareer", *args]
        if then:
            # The shell handles Ctrl-C (a handler, unlike "ignore", is not inherited) and goes on.
            script = f'trap true INT; "$0" -m mlcareer "$@"; echo "exit status $?"; {then}'
            program, argv = "/bin/sh", ["-c", script, sys.executable, *args]
        self.child = pexpect.spawn(program, argv, env=full_env, dimensions=(rows, cols))

    def pump(self, wait: float = 0.05) -> None:
        while True:
            try:
                data = self.child.read_nonblocking(65536, timeout=wait)
            except (pexpect.TIMEOUT, pexpect.EOF):
                return
            self.raw += data
            self.stream.feed(data)

    def text(self) -> str:
        return "\n".join(line.rstrip() for line in self.screen.display)

    def flat(self) -> str:
        """The screen as one line of words: wrapped text reads as it was written."""
        return " ".join(self.text().split())

    def unwrapped(self) -> str:
        """`flat()`, but a line that fills the width runs on into the next without a space, as
        when the terminal soft-wraps a long word (a URL, a path)."""
        width = self.screen.columns
        lines = [line.rstrip() for line in self.screen.display]
        return " ".join("".join(ln if len(ln) == width else ln + "\n" for ln in lines).split())

    def wait_for(self, needle: str, timeout: float = 15) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.pump()
            if needle in self.flat() or needle in self.unwrapped():
                return self.text()
            if not self.child.isalive():
                self.pump()
                break
        raise AssertionError(f"{needle!r} not on screen:\n{self.text()}{self.stuck()}")

    def stuck(self) -> str:
        """When the program is still running: where each of its threads is, which faulthandler
        prints on SIGABRT, so that a rare hang says where it happened."""
        if not self.child.isalive():
            return ""
        before = len(self.raw)
        for pid in _children(self.child.pid) or [self.child.pid]:  # mlcareer, not the shell
            os.kill(pid, signal.SIGABRT)
        deadline = time.monotonic() + 5
        while self.child.isalive() and time.monotonic() < deadline:
            self.pump()
        self.pump()
        return "\n--- still running; its stack on SIGABRT:\n" + self.raw[before:].decode(
            "utf-8", "replace"
        )

    def key(self, key: str) -> None:
        self.child.send(key)

    def end(self) -> int:
        deadline = time.monotonic() + 15
        while self.child.isalive() and time.monotonic() < deadline:
            self.pump()
        self.pump()
        try:
            self.child.expect(pexpect.EOF, timeout=5)
        except pexpect.TIMEOUT:
            raise AssertionError(f"the program did not end:\n{self.text()}{self.stuck()}") from None
        self.child.close()
        return self.child.exitstatus if self.child.exitstatus is not None else -1


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def flat(text: str) -> str:
    return " ".join(text.split())


def start(term: Term) -> None:
    term.wait_for("Press a key to start")
    term.key(" ")


def test_whole_shipped_quiz_shows_each_skill_on_one_80x24_screen(_home: Path) -> None:
    """At every prompt: the counter, the skill's name, all five levels and the prompt."""
    knowledge = kb.load()
    role = knowledge.role["senior-ml-engineer"]
    skills = quiz.items(knowledge, role)
    term = Term(_home, "assess", "--role", role.id, "--no-checks")
    start(term)
    for n, skill in enumerate(skills, start=1):
        prompt = f"{skill.name} ({n}/{len(skills)}), your level:"
        screen = term.wait_for(prompt)
        shown = flat(screen)
        assert f"{n}/{len(skills)} · {knowledge.category[skill.category].name}" in shown
        for level in knowledge.scale:
            described = skill.levels[level.level] if level.level else level.description  # type: ignore[index]
            assert f"{level.level} {level.name} {flat(described)}" in shown, (skill.id, screen)
        term.key("2")  # one key, no Enter
    term.wait_for("Enter: read the full report")
    term.key("q")
    assert term.end() == 0


def test_single_keys_hints_replace_each_other_and_piped_input_is_by_line(
    tiny_kb: Path, _home: Path
) -> None:
    term = Term(_home, "assess", "--kb", str(tiny_kb), "--role", "senior", "--no-checks")
    start(term)
    term.wait_for("Python (1/4), your level:")
    for wrong in "xyz":
        term.key(wrong)
        term.pump(0.2)
    assert term.text().count("Type 0-4 to rate") == 1  # one hint, not three
    term.key("3")
    term.wait_for("SQL (2/4), your level:")  # no Enter was needed
    assert "Type 0-4 to rate" not in term.text()
    term.key("q")
    term.end()
    saved = json.loads((_home / "in-progress.json").read_text())
    assert saved["answers"] == {"python": 3}


def test_check_feedback_waits_for_a_key(tiny_kb: Path, _home: Path) -> None:
    term = Term(_home, "assess", "--kb", str(tiny_kb), "--role", "senior", "--seed", "1")
    start(term)
    term.wait_for("your level:")
    term.key("2")  # python
    term.wait_for("SQL (2/4)")
    term.key("3")  # sql: a check follows
    term.wait_for("Your answer (1-")
    term.key("1")
    term.wait_for("Press a key to go on")
    time.sleep(0.5)
    term.pump()
    text = term.flat()
    assert "Right." in text or "Not quite." in text
    assert "Quick check: SQL" in text  # the question stays above its feedback
    term.key(" ")
    term.pump(0.3)
    assert "Press a key to go on" not in term.flat()
    term.key("q")
    term.end()


def test_summary_then_the_full_report_through_the_pager(tiny_kb: Path, _home: Path) -> None:
    term = Term(
        _home, "assess", "--kb", str(tiny_kb), "--role", "junior", "--no-checks", PAGER="cat"
    )
    start(term)
    for key in "2121":
        term.wait_for("your level")
        term.key(key)
    summary = term.wait_for("Enter: read the full report")
    assert "your result" in summary and "Readiness" in summary and "Saved to:" in summary
    assert "Readiness by category" not in summary  # the full report waits for a key
    term.key("\r")
    assert term.end() == 0
    report = term.raw.split(b"Enter: read the full report")[-1]
    assert b"Readiness by category" in report and b"Readiness =" in report  # all of it, by cat


def test_ctrl_c_then_resume_keeps_the_answers(tiny_kb: Path, _home: Path) -> None:
    args = ("assess", "--kb", str(tiny_kb), "--role", "senior", "--no-checks")
    term = Term(_home, *args, then="stty -a")
    start(term)
    term.wait_for("(1/4), your level")
    term.key("3")
    term.wait_for("(2/4), your level")
    term.key("2")
    term.wait_for("(3/4), your level")
    term.child.sendintr()
    term.wait_for(f"Interrupted. Your answers are saved: run `{command()} assess` to resume.")
    term.end()
    after = term.raw.decode("utf-8", "replace").split("exit status ")[-1]
    assert after.startswith("130")
    settings = after.split()
    assert "icanon" in settings and "echo" in settings  # the terminal is back in line mode

    term = Term(_home, "assess", "--no-checks")  # no --kb: the quiz remembers its KB
    term.wait_for("You have an unfinished assessment (Senior engineer, 2 answers). Resume it?")
    term.key("y")
    term.wait_for("Carrying on from skill 3")
    term.key(" ")
    term.wait_for("(3/4), your level")
    term.key("1")
    term.wait_for("(4/4), your level")
    term.key("4")
    term.wait_for("Enter: read the full report")
    term.key("q")
    assert term.end() == 0
    [saved] = list((_home / "history").glob("*.json"))
    data = json.loads(saved.read_text())
    assert data["answers"] == {"python": 3, "sql": 2, "statistics": 1, "communication": 4}
    assert data["kb"]["name"] == tiny_kb.name and len(data["kb"]["hash"]) == 64
    assert "kb_folder" not in data or data["kb_folder"] is None  # a path stays private


def test_q_at_the_role_prompt_quits(tiny_kb: Path, _home: Path) -> None:
    term = Term(_home, "assess", "--kb", str(tiny_kb), "--no-checks")
    term.wait_for("q to quit):")
    term.key("q")
    term.wait_for("No role chosen: nothing was saved.")
    assert term.end() == 0
    assert list(_home.glob("*.json")) == [] and list(_home.glob("history/*")) == []


def test_ctrl_d_saves_and_stops(tiny_kb: Path, _home: Path) -> None:
    term = Term(_home, "assess", "--kb", str(tiny_kb), "--role", "junior", "--no-checks")
    start(term)
    term.wait_for("(1/4), your level")
    term.key("2")
    term.wait_for("(2/4), your level")
    term.child.sendeof()
    term.wait_for("Saved: 1 answer so far")
    assert term.end() == 0
    assert json.loads((_home / "in-progress.json").read_text())["answers"] == {"python": 2}


def test_a_resize_redraws_the_screen(tiny_kb: Path, _home: Path) -> None:
    term = Term(_home, "assess", "--kb", str(tiny_kb), "--role", "junior", "--no-checks")
    start(term)
    term.wait_for("(1/4), your level")
    term.screen.resize(30, 60)
    term.child.setwinsize(30, 60)
    term.screen.reset()
    term.wait_for("(1/4), your level")  # drawn again at the new size
    term.key("q")
    assert term.end() == 0


def test_sigkill_right_after_an_answer_loses_nothing(tiny_kb: Path, _home: Path) -> None:
    term = Term(_home, "assess", "--kb", str(tiny_kb), "--role", "senior", "--no-checks")
    start(term)
    term.wait_for("(1/4), your level")
    term.key("3")
    term.wait_for("(2/4)")  # the next screen is drawn only after the answer was written
    term.child.kill(signal.SIGKILL)
    term.child.close()
    saved = json.loads((_home / "in-progress.json").read_text())
    assert saved["answers"] == {"python": 3}
    assert saved["position"] == 1
    assert not list(_home.glob(".*.tmp"))  # no half-written temporary file left behind


def test_colour_in_a_terminal(tiny_kb: Path, _home: Path) -> None:
    term = Term(_home, "assess", "--kb", str(tiny_kb), "--role", "senior")
    start(term)
    term.wait_for("your level")
    assert b"\x1b[1m" in term.raw or b"\x1b[1;" in term.raw  # styled in a terminal
    term.key("q")
    term.end()


def _pick(screen: str, knowledge_dir: Path, right: bool) -> str:
    """The number of the right (or of a wrong) choice of the check on `screen`, read as shown."""
    skill = kb.load(knowledge_dir).skill["sql"]
    text = flat(screen)
    [check] = [c for c in skill.checks if flat(c.prompt) in text]
    shown = re.findall(r"(\d)\. (.+?)(?= \d\. |$)", text[text.index(flat(check.prompt)[-10:]) :])
    numbers = {str(choice).split(" Your answer")[0]: str(n) for n, choice in shown}
    if right:
        return numbers[check.answer]
    return next(n for choice, n in numbers.items() if choice != check.answer)


def test_two_missed_checks_are_not_confirmed_and_say_so(tiny_kb: Path, _home: Path) -> None:
    term = Term(_home, "assess", "--kb", str(tiny_kb), "--role", "senior", "--seed", "11")
    start(term)
    term.wait_for("(1/4), your level")
    term.key("2")  # python
    term.wait_for("(2/4), your level")
    term.key("3")  # sql: a check follows
    for _ in range(2):
        screen = term.wait_for("Your answer")
        term.key(_pick(screen, tiny_kb, right=False))
        term.wait_for("Not quite. The answer is")
        term.key(" ")
    term.wait_for("(3/4), your level")
    term.key("2")
    term.wait_for("(4/4), your level")
    term.key("3")
    summary = term.wait_for("Enter: read the full report")
    assert "Readiness 71% self-rated · 65% after the knowledge checks" in flat(summary)
    term.key("q")
    term.end()
    [saved] = (_home / "history").glob("*.json")
    assert json.loads(saved.read_text())["checks"]["sql"]["verdict"] == "not_confirmed"


def test_a_foreign_kb_in_french_end_to_end(_home: Path) -> None:
    """Its own scale names, a category and a skill sharing an id, steps with no effort estimate,
    long URLs: validate, assess, resume without --kb, report in three formats, history."""
    term = Term(_home, "assess", "--kb", str(FRENCH_KB), "--role", "data_engineer_senior")
    start(term)
    screen = term.wait_for("Modélisation des données (1/3), your level")
    assert "2 Pratique" in screen and "4 Référence" in screen and "0 Aucune" in screen
    term.key("2")
    term.wait_for("(2/3), your level")
    term.key("q")
    term.end()
    term = Term(_home, "assess", "--no-checks")
    term.wait_for("Resume it?")
    term.key("y")
    start(term)
    term.wait_for("(2/3), your level")
    term.key("?")
    tips = term.wait_for("Press a key to go back")
    assert "https://docs.python.org/fr/3/tutorial/index.html" in tips.replace("\n", "")
    term.key(" ")
    term.wait_for("(2/3), your level")
    term.key("1")
    term.wait_for("(3/3), your level")
    term.key("2")
    term.wait_for("Enter: read the full report")
    term.key("q")
    assert term.end() == 0
    assert "Traceback" not in term.raw.decode("utf-8", "replace")


def _words(text: str) -> set[str]:
    return set(re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", text).split())


@pytest.mark.parametrize("person", ["beginner", "backend-engineer"])
def test_the_final_report_at_40x20_cuts_no_word(person: str, _home: Path) -> None:
    """Every word of the report at 40 columns is a word of the same report at 400 columns: a
    folded word ("Adapta", "bility") or an ellipsis would not be."""
    answers = str(Path(__file__).parents[1] / "examples" / f"{person}.yaml")
    args = ("assess", "--answers", answers, "--role", "ml-engineer", "--hours-per-week", "8")
    narrow = Term(_home, *args, cols=40, rows=20)
    assert narrow.end() == 0
    wide = Term(_home, *args, cols=400, rows=20)
    assert wide.end() == 0
    narrow_words = _words(narrow.raw.decode("utf-8"))
    cut = narrow_words - _words(wide.raw.decode("utf-8")) - {"saved", "to"}
    cut = {w for w in cut if not w.startswith(str(_home))}  # the saved file's path differs
    cut = {w for w in cut if set(w) - set("█░")}  # bars are shorter when narrow, by design
    assert not cut, sorted(cut)
    assert "Readiness by category" in " ".join(narrow.raw.decode("utf-8").split())


def test_messages_and_the_team_matrix_at_40_columns_cut_no_word(
    _home: Path, tmp_path: Path
) -> None:
    """A terminal breaks a line that is too long wherever it ends, "communicatio" / "n": the
    warnings, errors and the team matrix are wrapped at spaces to its width instead."""
    broken = tmp_path / "broken-kb"
    shutil.copytree(Path(__file__).parent / "fixtures" / "tiny", broken)
    with (broken / "skills.yaml").open("a") as skills:
        skills.write("oops: [\n")
    examples = str(Path(__file__).parents[1] / "examples")
    runs = [
        ("validate", "--kb", str(Path(__file__).parent / "fixtures" / "levels")),
        ("validate", "--kb", str(broken)),
        ("team", examples, "--role", "ml-engineer"),
    ]
    for args in runs:
        narrow, wide = Term(_home, *args, cols=40, rows=20), Term(_home, *args, cols=400, rows=20)
        narrow.end(), wide.end()
        narrow_text = narrow.raw.decode("utf-8")
        assert _words(narrow_text) == _words(wide.raw.decode("utf-8")), args
        too_long = [ln for ln in narrow_text.splitlines() if len(ln) > 40]
        assert all(" " not in ln.strip() for ln in too_long), (args, too_long)  # one long path
    assert "communication" in _words(narrow_text) or "problem" in _words(narrow_text)


def test_report_pages_in_a_terminal_and_never_when_piped(_home: Path) -> None:
    answers = str(Path(__file__).parents[1] / "examples" / "beginner.yaml")
    args = ("report", answers, "--role", "ml-engineer")
    marker = "sh -c 'cat >/dev/null; echo THROUGH-THE-PAGER'"
    paged = Term(_home, *args, PAGER=marker)
    assert paged.end() == 0
    assert b"THROUGH-THE-PAGER" in paged.raw and b"Readiness by category" not in paged.raw
    direct = Term(_home, *args, "--no-pager", PAGER=marker)
    assert direct.end() == 0
    assert b"THROUGH-THE-PAGER" not in direct.raw and b"Readiness by category" in direct.raw
    env = {**os.environ, "PAGER": marker}
    piped = subprocess.run(
        [sys.executable, "-m", "mlcareer", *args], env=env, capture_output=True, text=True
    )
    assert piped.returncode == 0
    assert "THROUGH-THE-PAGER" not in piped.stdout and "Readiness by category" in piped.stdout
