"""The read-only commands: output, JSON contracts, literal display of KB text."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from mlcareer import __version__
from mlcareer.cli import COMMANDS, app

runner = CliRunner()
HOSTILE_NAME = "[bold red]Py[/]thon [link=https://evil.example]click[/link] \\e[31mred\\e[0m"


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_version() -> None:
    assert run("--version") == (0, f"mlcareer {__version__}\n", "")


def test_every_command_has_help() -> None:
    command = typer.main.get_command(app)
    assert isinstance(command, typer.core.TyperGroup)
    for name, sub in command.commands.items():
        assert sub.help, f"command {name} has no help text"
        code, out, _ = run(name, "--help")
        assert code == 0
        assert sub.help.splitlines()[0][:40] in " ".join(out.split())


_REGISTERED = (
    "import sys\n"
    "from mlcareer.cli import COMMANDS, main\n"
    "try:\n"
    "    main()\n"
    "finally:\n"
    "    loaded = {m for _, (m, _) in COMMANDS.items() if f'mlcareer.cli.{m}' in sys.modules}\n"
    "    print('modules:', ' '.join(sorted(loaded)), file=sys.stderr)\n"
)


def _console_run(*args: str) -> tuple[int, str, str]:
    """`main` as the console script runs it, and which command modules it imported."""
    done = subprocess.run(
        [sys.executable, "-c", _REGISTERED, *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "COLUMNS": "100"},
    )
    return done.returncode, done.stdout, done.stderr


@pytest.mark.parametrize(
    ("args", "modules"),
    [
        (["validate"], "knowledge"),
        (["-V", "roles"], "knowledge"),  # root options take no value
        (["roadmap", "--help"], "roadmap"),
        (["history"], "reports"),
        (["--help"], "knowledge quiz reports roadmap team"),
        ([], "knowledge quiz reports roadmap team"),
        (["valdate"], "knowledge quiz reports roadmap team"),
    ],
)
def test_a_run_imports_only_the_module_of_its_command(args: list[str], modules: str) -> None:
    code, out, err = _console_run(*args)
    assert err.splitlines()[-1] == f"modules: {modules}"
    assert "Traceback" not in err
    if args[:1] == ["valdate"]:
        assert code == 2 and "Did you mean 'validate'?" in err
    elif args in ([], ["--help"]):
        shown = out + err  # with no arguments, the help goes to stderr
        listed = [line.split()[0] for line in shown.splitlines() if line.startswith("  ")]
        assert [c for c in listed if c in COMMANDS] == [*COMMANDS][:8] + ["schema", "roadmap"]


def test_validate_summary(tiny_kb: Path) -> None:
    assert run("validate", "--kb", str(tiny_kb)) == (
        0,
        "ok: 3 hard skills, 1 soft skill, 3 categories, 7 knowledge checks, 2 roles, "
        "4 roadmap steps\n",
        # communication is developed only by `present`, which the older `optional: true` makes a
        # route: the targets are valid, and the warning says reports will call them not covered.
        "warning: role 'junior' targets communication at 2, but no step develops it (routes and "
        "habits aside): reports will call it not covered\n"
        "warning: role 'senior' targets communication at 3, but no step develops it (routes and "
        "habits aside): reports will call it not covered\n",
    )


def test_skills_json_contract(tiny_kb: Path) -> None:
    code, out, _ = run("skills", "--kb", str(tiny_kb), "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert [s["id"] for s in data] == ["python", "sql", "statistics", "communication"]
    assert data[0] == {
        "id": "python",
        "name": "Python",
        "kind": "hard",
        "category": "code",
        "weight": 2.0,
        "description": "Writing Python programs.",
    }


def test_skills_filters(tiny_kb: Path) -> None:
    _, out, _ = run("skills", "--kb", str(tiny_kb), "-f", "json", "--kind", "soft")
    assert [s["id"] for s in json.loads(out)] == ["communication"]
    _, out, _ = run("skills", "--kb", str(tiny_kb), "-f", "json", "--category", "maths")
    assert [s["id"] for s in json.loads(out)] == ["statistics"]
    code, out, err = run("skills", "--kb", str(tiny_kb), "--category", "nope")
    assert code == 1
    assert err == "error: unknown category 'nope'; choose one of: code, maths, people\n"


def test_roles_json_contract(tiny_kb: Path) -> None:
    (tiny_kb / "roadmap.yaml").write_text(
        (tiny_kb / "roadmap.yaml").read_text().replace("{python: 4,", "{python: 0,")
    )
    code, out, _ = run("roles", "--kb", str(tiny_kb), "--format", "json")
    assert code == 0
    roles = json.loads(out)
    assert [r["id"] for r in roles] == ["junior", "senior"]
    assert roles[0]["name"] == "Junior engineer"
    assert roles[0]["targets"] == {"python": 2, "sql": 1, "statistics": 1, "communication": 2}
    assert roles[1]["targets"] == {"sql": 3, "statistics": 3, "communication": 3}


def test_roadmap_json_is_in_prerequisite_order(tiny_kb: Path) -> None:
    text = (tiny_kb / "roadmap.yaml").read_text()
    # Put the step that requires everything first in the file: the output must still come after.
    steps_at = text.index("  - id: present")
    head, tail = text[: text.index("steps:\n") + 7], text[text.index("steps:\n") + 7 : steps_at]
    (tiny_kb / "roadmap.yaml").write_text(head + text[steps_at:] + tail)
    code, out, _ = run("roadmap", "--kb", str(tiny_kb), "--format", "json")
    assert code == 0
    steps = json.loads(out)
    assert [s["id"] for s in steps] == ["learn-python", "learn-stats", "databases", "present"]
    assert steps[2] == {
        "id": "databases",
        "title": "Work with databases",
        "kind": "step",
        "optional": False,
        "requires": ["learn-python"],
        "skills": ["sql", "python"],
        "develops": {"sql": 3, "python": 4},  # `skills:` read as the highest target of any role
        "effort_hours": 30.0,
        "hours_per_week": None,
        "outcome": "Ten queries answering real questions.",
        "status": "locked",  # no assessment yet: learn-python is not done
    }
    assert steps[3]["kind"] == "route" and steps[3]["optional"] is True


def test_roadmap_text(tiny_kb: Path) -> None:
    code, out, _ = run("roadmap", "--kb", str(tiny_kb))
    assert code == 0
    rows = [" ".join(line.split()) for line in out.splitlines() if line.strip()]
    assert "3 Work with databases databases 1 30 locked" in rows
    assert "develops: SQL 3, Python 4" in rows
    assert "4 Present a project present (route) 2, 3 10 locked" in rows
    assert "No finished assessment yet: `mlcareer assess` adds next steps to this view." in rows


@pytest.mark.parametrize("which", ["skills", "roadmap"])
def test_schema(which: str) -> None:
    code, out, _ = run("schema", which)
    assert code == 0
    document = json.loads(out)
    assert document["$schema"].startswith("https://json-schema.org/")
    assert document["additionalProperties"] is False
    expected = {
        "skills": {"name", "scale", "sources", "categories", "skills"},
        "roadmap": {"roles", "steps"},
    }
    assert set(document["properties"]) == expected[which]


def test_schema_rejects_unknown_file() -> None:
    code, _, err = run("schema", "nope")
    assert code == 2
    assert "nope" in err


@pytest.fixture
def hostile_kb(tiny_kb: Path) -> Path:
    skills = tiny_kb / "skills.yaml"
    text = skills.read_text().replace("    name: Python\n", f'    name: "{HOSTILE_NAME}"\n')
    text = text.replace("name: Programming}", 'name: "[/]Code \\e]8;;https://x\\e\\\\"}')
    skills.write_text(text)
    roadmap = tiny_kb / "roadmap.yaml"
    roadmap.write_text(roadmap.read_text().replace("name: Junior engineer", 'name: "[u]J[/u]"'))
    return tiny_kb


@pytest.mark.parametrize("command", ["skills", "roles", "roadmap"])
def test_kb_text_is_shown_literally(
    hostile_kb: Path, command: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "400")  # no wrapping, so that a cell reads in one piece
    code, out, _ = run(command, "--kb", str(hostile_kb))
    assert code == 0
    assert "\x1b" not in out
    flat = "".join(out.split())
    if command == "skills":
        assert "".join(HOSTILE_NAME.replace("\\e", "\\x1b").split()) in flat
        assert "[/]Code\\x1b]8;;https://x\\x1b\\" in flat
    if command == "roles":
        assert "[u]J[/u]" in flat
    if command == "roadmap":
        assert "[boldred]Py[/]thon" in flat


def test_kb_text_is_literal_in_a_colour_terminal(
    hostile_kb: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Even where colour is on, data cannot add styles, links or escape sequences of its own."""
    from mlcareer import kb as kb_module
    from mlcareer.render.terminal import skills_table

    knowledge = kb_module.load(hostile_kb)
    from rich.console import Console

    console = Console(force_terminal=True, color_system="truecolor", width=200, record=True)
    with console.capture() as capture:
        console.print(skills_table(knowledge, knowledge.skills))
    raw = capture.get()
    assert "\x1b]8;" not in raw  # no hyperlink escape
    plain = re.sub(r"\x1b\[[0-9;]*m", "", raw)  # only SGR styles of our own remain
    assert "\x1b" not in plain
    assert "[link=https://evil.example]click[/link]" in plain


def test_missing_kb_folder() -> None:
    code, _, err = run("validate", "--kb", "/nonexistent/kb")
    assert code == 1
    assert err == "error: knowledge base folder not found: /nonexistent/kb\n"


def test_debug_shows_the_traceback(tiny_kb: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tiny_kb / "skills.yaml").write_text("[")
    monkeypatch.setenv("MLCAREER_DEBUG", "1")
    result = runner.invoke(app, ["validate", "--kb", str(tiny_kb)])
    assert result.exit_code == 1
    assert type(result.exception).__name__ == "DataError"


def test_the_resume_hint_names_a_command_that_works_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mlcareer.cli.common import command

    program = tmp_path / "bin" / "mlcareer"
    program.parent.mkdir()
    program.write_text("#!/bin/sh\n")
    program.chmod(0o755)
    monkeypatch.setattr(sys, "argv", [str(program)])
    monkeypatch.setenv("PATH", "/usr/bin:/bin")  # not on PATH, as after `make assess`
    assert command() == str(program)
    monkeypatch.setenv("PATH", f"{program.parent}:/usr/bin:/bin")
    assert command() == "mlcareer"
    monkeypatch.setattr(sys, "argv", ["/x/mlcareer/__main__.py"])  # python -m mlcareer
    assert command().endswith(" -m mlcareer")


def test_json_keeps_non_ascii_text_as_text(tiny_kb: Path) -> None:
    skills = tiny_kb / "skills.yaml"
    skills.write_text(skills.read_text().replace("name: Python\n", "name: Pythön Compétences\n"))
    code, out, _ = run("skills", "--kb", str(tiny_kb), "--format", "json")
    assert code == 0
    assert "Pythön Compétences" in out and "\\u00" not in out


def _complete(words: str, tmp_path: Path) -> list[str]:
    """What bash would offer on Tab, through the completion protocol's environment variables."""
    env = {
        **os.environ,
        "_MLCAREER_COMPLETE": "complete_bash",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split(" ")) - 1),
    }
    script = "import sys; from mlcareer.cli import main; sys.argv[0] = 'mlcareer'; main()"
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, cwd=tmp_path
    )
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    return done.stdout.split()


def test_completion_offers_the_ids_of_the_kb_in_use(tiny_kb: Path, tmp_path: Path) -> None:
    assert _complete("mlcareer report --role ", tmp_path) == [
        "entry-ml-engineer",
        "ml-engineer",
        "senior-ml-engineer",
        "applied-ml-specialist",
    ]
    assert _complete(f"mlcareer assess --kb {tiny_kb} --role s", tmp_path) == ["senior"]
    assert "learn-python" in _complete(f"mlcareer roadmap done --kb {tiny_kb} l", tmp_path)
    assert _complete(f"mlcareer skills --kb {tiny_kb} --category m", tmp_path) == ["maths"]
    assert _complete("mlcareer assess --kb /nowhere --role ", tmp_path) == []


def test_completion_can_be_shown_for_each_shell() -> None:
    for shell in ("bash", "zsh", "fish"):
        code, out, _ = run("--show-completion", shell)
        assert code == 0 and "_MLCAREER_COMPLETE" in out, shell


def test_a_foreign_kb_validates_reports_in_three_formats_and_lists_history(
    _home: Path, tmp_path: Path
) -> None:
    """The French fixture: its own scale, a category and a skill sharing an id, steps with no
    effort estimate, long URLs."""
    french = str(Path(__file__).parent / "fixtures" / "francais")
    code, out, err = run("validate", "--kb", french)
    assert code == 0 and out.startswith("ok: 2 hard skills"), err
    answers = tmp_path / "réponses.yaml"
    answers.write_text(
        "role: data_engineer_senior\n"
        "answers: {modelisation_donnees: 1, python_donnees: 2, communication: 2}\n",
        encoding="utf-8",
    )
    code, text, err = run("report", str(answers), "--kb", french, "--hours-per-week", "5")
    assert code == 0, err
    assert "Levels: 0 Aucune · 1 Notions · 2 Pratique · 3 Maîtrise · 4 Référence" in text
    assert "Apprendre la modélisation  (effort unknown)" in text
    assert "2 needed steps have no effort estimate" in " ".join(text.split())
    code, md, err = run("report", str(answers), "--kb", french, "--format", "markdown")
    assert code == 0 and "Modélisation des données" in md, err
    code, raw, err = run("report", str(answers), "--kb", french, "--format", "json")
    data = json.loads(raw)
    assert code == 0 and data["steps_without_estimate"] == ["modelisation_donnees", "entrepot"], err
    assert [s["name"] for s in data["scale"]][4] == "Référence"
    assert "Compétences" not in raw or "\\u00e9" not in raw  # accents stay text
    code, _, err = run("assess", "--answers", str(answers), "--kb", french)
    assert code == 0, err
    code, listing, err = run("history", "--kb", french)
    assert code == 0 and "data_engineer_senior" in listing, err
    saved = json.loads(next((_home / "history").glob("*.json")).read_text(encoding="utf-8"))
    assert saved["kb"]["name"] == "Matrice données (exemple)" and saved.get("kb_folder") is None


def test_completion_offers_history_numbers(_home: Path, tmp_path: Path) -> None:
    answers = tmp_path / "a.yaml"
    answers.write_text("role: ml-engineer\nanswers: {python: 2}\n")
    for _ in range(2):
        assert run("assess", "--answers", str(answers))[0] == 0
    assert _complete("mlcareer report ", tmp_path) == ["1", "2"]
    assert _complete("mlcareer progress 1 ", tmp_path) == ["1", "2"]
