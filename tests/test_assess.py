"""`mlcareer assess` through stdin with CliRunner: keys, checks, autosave, resume, answers files."""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

import pytest
from typer.testing import CliRunner

from invoke import run
from mlcareer import kb as kb_module
from mlcareer import quiz
from mlcareer.cli import app
from mlcareer.cli.common import command
from mlcareer.models import Check
from mlcareer.quiz import RATING_HINT

runner = CliRunner()


def assess(*args: str, input: str = "") -> tuple[int, str, str]:
    result = runner.invoke(app, ["assess", *args], input=input)
    assert "Traceback" not in result.output
    return result.exit_code, result.stdout, result.stderr


def in_progress(home: Path) -> dict[str, object]:
    data: dict[str, object] = json.loads((home / "in-progress.json").read_text())
    return data


def history_files(home: Path) -> list[Path]:
    return sorted((home / "history").glob("*.json")) if (home / "history").exists() else []


def check_keys(
    kb_dir: Path, seed: int, plan: list[tuple[str, int, list[bool]]]
) -> list[tuple[list[str], list[Check]]]:
    """The keys that answer the checks the quiz will ask, right (True) or wrong (False), and the
    items asked: the quiz draws its items, then each item's shuffled choices, from one seeded RNG.

    `plan`: (skill id, rating, the outcome of each item asked) for every checked rating, in order.
    """
    knowledge = kb_module.load(kb_dir)
    rng = random.Random(seed)
    found = []
    for skill_id, rating, outcomes in plan:
        items = quiz.pool(knowledge.skill[skill_id], rating)
        drawn = rng.sample(items, k=min(2, len(items)))
        keys = []
        for check, right in zip(drawn, outcomes, strict=False):
            order = rng.sample(check.choices, k=len(check.choices))
            n = order.index(check.answer) + 1
            keys.append(str(n if right else next(i for i in range(1, 4) if i != n)))
        found.append((keys, drawn[: len(outcomes)]))
    return found


def test_whole_quiz_with_every_key_then_quit_and_resume(tiny_kb: Path, _home: Path) -> None:
    ([py_right], _), ([sql_wrong, sql_right], [sql_first, _]) = check_keys(
        tiny_kb, 7, [("python", 3, [True]), ("sql", 4, [False, True])]
    )
    keys = [
        "x",  # invalid: a letter
        "9",  # invalid: off the scale
        "-1",  # invalid: negative
        "",  # invalid: empty, with no answer to keep
        " 3 ",  # python 3, spaces are fine
        py_right,  # its knowledge check, answered right
        "s",  # sql skipped
        "?",  # statistics: show tips
        "b",  # back to sql
        "4",  # sql 4
        sql_wrong,  # its knowledge check, answered wrong...
        sql_right,  # ...so a second item is asked, answered right: mixed
        "q",  # quit at statistics
    ]
    common = ["--kb", str(tiny_kb), "--role", "senior", "--seed", "7"]
    code, out, err = assess(*common, input="\n".join(keys) + "\n")
    assert code == 0
    assert out.count(RATING_HINT) == 4
    assert "Right." in out and f"Not quite. The answer is: {sql_first.answer}" in out
    assert "One more question on this skill." in out
    assert "Enter keeps skipped" in out  # back at sql, the answer given before is shown
    assert "How to climb" in out and "Analyse real data." in out  # the tips of statistics
    assert err.strip() == f"Saved: 2 answers so far. Run `{command()} assess` to carry on."
    saved = in_progress(_home)
    assert saved["answers"] == {"python": 3, "sql": 4}
    assert saved["position"] == 2
    checks = saved["checks"]
    assert isinstance(checks, dict)
    assert checks["python"]["verdict"] == "confirmed"
    assert checks["sql"]["verdict"] == "mixed" and checks["sql"]["rating"] == 4
    assert [i["correct"] for i in checks["sql"]["items"]] == [False, True]
    assert checks["sql"]["items"][0]["answer"] == sql_first.answer

    # Resume: the first two answers are kept and the quiz carries on at skill 3.
    code, out, err = assess("--kb", str(tiny_kb), "--seed", "7", input="y\n2\n3\n")
    assert code == 0, err
    assert "Resume it?" in out
    assert "3/4 · Mathematics & statistics" in out and "1/4 ·" not in out
    assert "Senior engineer · gap report" in out
    assert not (_home / "in-progress.json").exists()
    [finished] = history_files(_home)
    data = json.loads(finished.read_text())
    assert data["mlcareer"] == 2
    assert data["answers"] == {"python": 3, "sql": 4, "statistics": 2, "communication": 3}
    assert data["finished"] is not None
    assert f"Assessment saved to {finished}" in err


def test_tips_show_for_the_current_skill(tiny_kb: Path) -> None:
    _, out, _ = assess("--kb", str(tiny_kb), "--role", "senior", input="?\nq\n")
    assert "Write a script a week." in out  # python's 1-2 tip
    assert "https://docs.python.org/3/" in out


def test_back_on_the_first_skill_is_explained(tiny_kb: Path) -> None:
    _, out, _ = assess("--kb", str(tiny_kb), "--role", "senior", input="b\nq\n")
    assert "This is the first skill: there is nothing to go back to." in out


@pytest.mark.parametrize("typed", ["q", "quit"])
def test_q_at_the_role_prompt_quits_and_saves_nothing(
    typed: str, tiny_kb: Path, _home: Path
) -> None:
    code, out, err = assess("--kb", str(tiny_kb), input=f"{typed}\n")
    assert code == 0
    assert "q to quit" in out
    assert "No role chosen: nothing was saved." in err
    assert "Type a number" not in out
    assert not (_home / "in-progress.json").exists() and history_files(_home) == []


def test_end_of_input_saves_like_quit(tiny_kb: Path, _home: Path) -> None:
    code, _, err = assess("--kb", str(tiny_kb), "--role", "senior", "--no-checks", input="3\n2\n")
    assert code == 0
    assert in_progress(_home)["answers"] == {"python": 3, "sql": 2}
    assert "Saved: 2 answers so far." in err


def test_no_checks_and_going_back_below_3_drops_the_check(tiny_kb: Path, _home: Path) -> None:
    [([right], [item])] = check_keys(tiny_kb, 1, [("python", 4, [True])])
    assert item.level == 4  # a rating of 4 draws a level-4 item
    assess("--kb", str(tiny_kb), "--role", "senior", "--seed", "1", input=f"4\n{right}\nb\n2\nq\n")
    saved = in_progress(_home)
    assert saved["answers"] == {"python": 2}
    assert saved["checks"] == {}
    _, out, _ = assess("--kb", str(tiny_kb), "--no-checks", input="y\nb\n4\nq\n")
    assert "Quick check" not in out


def test_role_is_asked_when_not_given(tiny_kb: Path, _home: Path) -> None:
    code, out, _ = assess("--kb", str(tiny_kb), input="7\nsenior\nq\n")
    assert code == 0
    assert "1. Junior engineer" in " ".join(out.split())
    assert "Ships small changes with help." in out
    assert "Type a number from 1 to 2, or a role id." in out
    assert in_progress(_home)["role"] == "senior"


def test_unknown_role(tiny_kb: Path) -> None:
    code, _, err = assess("--kb", str(tiny_kb), "--role", "boss")
    assert code == 1
    assert err == "error: unknown role 'boss'; choose one of: junior, senior\n"


def test_quick_asks_the_skills_holding_two_thirds_of_the_role(tiny_kb: Path) -> None:
    # senior: python 2 x 4 = 8, then sql, statistics, communication 3 each: 17 in all. Python and
    # sql hold 11 < 2/3 x 17, so statistics is asked too (14); communication is not.
    _, out, _ = assess("--kb", str(tiny_kb), "--role", "senior", "--quick", input="q\n")
    assert "3 skills, about" in out
    assert "1/3 · Programming" in out


def test_restart_keeps_the_old_quiz_in_history(tiny_kb: Path, _home: Path) -> None:
    assess("--kb", str(tiny_kb), "--role", "senior", input="3\nq\n")
    old = (_home / "in-progress.json").read_text()
    code, _, err = assess("--kb", str(tiny_kb), "--role", "junior", "--restart", input="q\n")
    assert code == 0
    [kept] = history_files(_home)
    assert kept.read_text() == old
    assert f"The unfinished quiz is kept in {kept}" in err
    assert in_progress(_home)["role"] == "junior"


def test_declining_to_resume_also_keeps_the_old_quiz(tiny_kb: Path, _home: Path) -> None:
    assess("--kb", str(tiny_kb), "--role", "senior", input="3\nq\n")
    code, _, _ = assess("--kb", str(tiny_kb), "--role", "junior", input="n\nq\n")
    assert code == 0
    [kept] = history_files(_home)
    assert json.loads(kept.read_text())["answers"] == {"python": 3}


def test_the_rating_screen_never_shows_the_target(tiny_kb: Path, _home: Path) -> None:
    """The same skill reads the same whatever the role's target for it (junior 2, senior 4)."""
    screens = []
    for role in ("junior", "senior"):
        _, out, _ = assess("--kb", str(tiny_kb), "--role", role, "--restart", input="q\n")
        screens.append(out[out.index("1/4") :])
    assert screens[0] == screens[1]
    assert "target" not in screens[0].lower()


def test_skill_text_is_shown_literally_while_rating(tiny_kb: Path) -> None:
    skills = tiny_kb / "skills.yaml"
    hostile = "[bold]Py[/bold] [link=https://x]y[/link] \\e[2J\\e]8;;https://x\\e\\\\"
    text = skills.read_text().replace("    name: Python\n", f'    name: "{hostile}"\n')
    text = text.replace("Can run a script.", '"[red]runs[/red] \\e[31m"')
    skills.write_text(text)
    _, out, _ = assess("--kb", str(tiny_kb), "--role", "senior", input="?\nq\n")
    assert "\x1b" not in out
    assert "[bold]Py[/bold] [link=https://x]y[/link] \\x1b[2J\\x1b]8;;https://x\\x1b\\" in out
    assert "[red]runs[/red] \\x1b[31m" in out


# Answers files ------------------------------------------------------------------------------------


def write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


def test_answers_file_gives_the_report(tiny_kb: Path, tmp_path: Path, _home: Path) -> None:
    answers = write(
        tmp_path / "answers.yaml",
        "role: junior\nanswers:\n  python: 3\n  sql: 2\n  statistics: null\ncompleted_steps: []\n",
    )
    code, out, err = assess("--kb", str(tiny_kb), "--answers", str(answers), "--role", "senior")
    assert code == 0, err
    assert "Senior engineer · gap report" in out  # --role wins over the file's role
    assert "2 skills unrated: counted as 0." in out
    [saved] = history_files(_home)
    assert json.loads(saved.read_text())["role"] == "senior"


def test_answers_file_in_json(tiny_kb: Path, tmp_path: Path) -> None:
    answers = write(tmp_path / "a.json", '{"role": "junior", "answers": {"python": 2}}')
    code, out, _ = assess("--kb", str(tiny_kb), "--answers", str(answers))
    assert code == 0
    assert "Junior engineer · gap report" in out


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("answers:\n  pyhton: 3\n", "2:3", "answers: unknown skill 'pyhton'"),
        (
            "answers:\n  python: 7\n",
            "2:11",
            "answers.python: Input should be less than or equal to 4",
        ),
        ("answers:\n  python: three\n", "2:11", "answers.python: Input should be a valid integer"),
        ("answers: [python]\n", "1:10", "answers: Input should be a valid dictionary"),
        (
            "answers: {}\ncompleted_steps: [learn-python, flying]\n",
            "2:33",
            "completed_steps[1]: unknown roadmap step 'flying'",
        ),
        ("answers:\n  python: 3\n  sql: [2\n", "4:1", "YAML syntax error"),
        ("role: junior\nanswers: {python: 3", "3:1", "YAML syntax error"),
        ("- just\n- a list\n", "1:1", "expected a mapping with the key 'answers'"),
        ("answers: {}\nrating: 3\n", "2:1", "rating: Extra inputs are not permitted"),
        ("role: boss\nanswers: {}\n", "1:7", "role: unknown role 'boss'"),
    ],
)
def test_bad_answers_files_are_located_and_untouched(
    tiny_kb: Path, tmp_path: Path, text: str, where: str, message: str
) -> None:
    path = write(tmp_path / "answers.yaml", text)
    before = (path.read_bytes(), os.stat(path).st_mtime_ns)
    code, out, err = assess("--kb", str(tiny_kb), "--answers", str(path), "--role", "junior")
    assert code == 1
    assert out == ""
    assert err.startswith(f"{path}:{where}"), err
    assert message in err
    assert (path.read_bytes(), os.stat(path).st_mtime_ns) == before


def test_answers_file_not_utf8(tiny_kb: Path, tmp_path: Path) -> None:
    path = tmp_path / "answers.yaml"
    path.write_bytes(b"answers:\n  python: 3 # caf\xe9\n")
    code, _, err = assess("--kb", str(tiny_kb), "--answers", str(path), "--role", "junior")
    assert code == 1
    assert err.startswith(f"{path}:2:18: not valid UTF-8")


def test_missing_answers_file(tiny_kb: Path, tmp_path: Path) -> None:
    path = tmp_path / "nope.yaml"
    code, _, err = assess("--kb", str(tiny_kb), "--answers", str(path), "--role", "junior")
    assert code == 1
    assert err.startswith(f"{path}:1:1: no such file")


def test_answers_file_without_role(tiny_kb: Path, tmp_path: Path) -> None:
    path = write(tmp_path / "a.yaml", "answers: {python: 1}\n")
    code, _, err = assess("--kb", str(tiny_kb), "--answers", str(path))
    assert code == 1
    assert err == "error: no role given: pass --role, one of: junior, senior\n"


def test_export_writes_markdown(tiny_kb: Path, tmp_path: Path) -> None:
    answers = write(tmp_path / "a.yaml", "role: senior\nanswers: {python: 3, sql: 4}\n")
    target = tmp_path / "report.md"
    code, _, err = assess("--kb", str(tiny_kb), "--answers", str(answers), "--export", str(target))
    assert code == 0, err
    assert target.read_text().startswith("# Gap report: Senior engineer\n")
    assert f"Markdown report written to {target}" in err


def test_a_saved_assessment_is_an_answers_file(tiny_kb: Path, _home: Path) -> None:
    assess("--kb", str(tiny_kb), "--role", "junior", "--no-checks", input="2\n1\n1\n2\n")
    [saved] = history_files(_home)
    code, out, _ = assess("--kb", str(tiny_kb), "--answers", str(saved))
    assert code == 0
    assert "Junior engineer · gap report" in out


def test_history_numbers_are_short_ids_and_parallel_finishes_keep_every_file(
    tiny_kb: Path, _home: Path
) -> None:
    """Six `assess --answers` at once: six files, numbers 1-6; `report 3` and `progress 1 6`
    find them by number, and history lists the numbers, not the file names."""
    import os
    import subprocess
    import sys

    answers = write(_home / "a.yaml", "role: senior\nanswers: {python: 3, sql: 2}\n")
    command = [sys.executable, "-m", "mlcareer", "assess", "--kb", str(tiny_kb)]
    env = {**os.environ, "MLCAREER_HOME": str(_home)}
    running = [
        subprocess.Popen([*command, "--answers", str(answers)], env=env, stdout=subprocess.DEVNULL)
        for _ in range(6)
    ]
    assert [p.wait(timeout=60) for p in running] == [0] * 6
    names = sorted(p.name for p in history_files(_home))
    assert [name[:5] for name in names] == [f"{n:04d}-" for n in range(1, 7)]
    code, out, err = run("report", "3", "--kb", str(tiny_kb))
    assert code == 0 and "gap report" in out, err
    code, out, err = run("progress", "1", "6", "--kb", str(tiny_kb))
    assert code == 0 and "progress" in out, err
    code, out, err = run("report", "9", "--kb", str(tiny_kb))
    assert code == 1 and "no assessment number 9" in err
    code, out, _ = run("history", "--kb", str(tiny_kb))
    assert [line.split()[0] for line in out.splitlines()[2:]] == [str(n) for n in range(1, 7)]
    assert "0001-" not in out  # short ids, not file names
