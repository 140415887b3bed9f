"""`report`, `history` and `progress`: the JSON contract, safe Markdown, files made by assess."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt
from typer.testing import CliRunner

from mlcareer.cli import app

runner = CliRunner()
HOSTILE = [
    "a | b",
    "line\nbreak",
    "`code`",
    "<script>alert(1)</script>",
    "![x](https://e.example/i.png)",
    "[x](javascript:alert(1))",
    "<https://auto.example>",
    "&lt;b&gt; *bold* _em_ ~~s~~ $x$ \\\\",
]


def run(*args: str, input: str = "") -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), input=input)
    assert "Traceback" not in result.output
    return result.exit_code, result.stdout, result.stderr


def answers_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "answers.yaml"
    path.write_text(text)
    return path


SENIOR = "role: senior\nanswers: {python: 3, sql: 4, statistics: 2, communication: 2}\n"


def test_json_contract(tiny_kb: Path, tmp_path: Path) -> None:
    path = answers_file(
        tmp_path,
        SENIOR + "checks:\n  sql: {prompt: Which clause filters groups?, "
        "chosen: WHERE, correct: false}\n",
    )
    code, out, err = run("report", str(path), "--kb", str(tiny_kb), "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert set(data) == {
        "schema_version", "role", "date", "quick", "readiness", "checked_readiness",
        "hard_readiness", "soft_readiness", "coverage", "categories", "skills", "gaps",
        "strengths", "next_steps", "routes", "habits", "not_covered", "calibration",
        "time_to_target_hours", "steps_without_estimate", "hours_per_week", "weeks_to_target",
        "plan", "scale",
    }  # fmt: skip
    assert data["schema_version"] == 2
    assert data["role"] == "senior" and data["quick"] is False
    assert data["readiness"] == 76.5
    # sql: rated 4, its one check missed (a format-1 file): counted as 3, still at target 3.
    assert data["checked_readiness"] == 76.5
    assert data["hard_readiness"] == 78.6
    assert data["soft_readiness"] == 66.7
    assert data["coverage"] == {"assessed": 4, "targeted": 4, "weight_share": 1.0}
    assert data["categories"] == [
        {"id": "code", "readiness": 81.8, "skills": 2},
        {"id": "maths", "readiness": 66.7, "skills": 1},
        {"id": "people", "readiness": 66.7, "skills": 1},
    ]
    assert data["skills"][:2] == [
        {"id": "python", "kind": "hard", "category": "code", "assessed": True, "level": 3,
         "evidence": None, "checked_level": 3, "target": 4, "gap": 1, "weight": 2.0},
        {"id": "sql", "kind": "hard", "category": "code", "assessed": True, "level": 4,
         "evidence": "not_confirmed", "checked_level": 3, "target": 3, "gap": 0, "weight": 1.0},
    ]  # fmt: skip
    assert data["gaps"] == ["python", "communication", "statistics"]
    assert data["strengths"] == []  # a claim the checks did not confirm is never a strength
    # python 3 -> 4 is a quarter of learn-python's 40 h (the fixture lists skills without levels,
    # read as developing each to the highest target of any role: python 4).
    assert data["next_steps"][0] == {
        "id": "learn-python", "title": "Learn Python", "closes": 2.0, "skills": ["python"],
        "develops": {"python": 4}, "unlocks": [], "effort_hours": 40.0, "hours": 10.0,
    }  # fmt: skip
    # communication is developed only by `present`, a route (`optional: true`): 2 -> 3 of 0 -> 3.
    assert data["routes"] == [
        {"id": "present", "title": "Present a project", "hours": 3.0, "covers": ["communication"]}
    ]
    assert data["habits"] == []
    assert data["not_covered"] == ["communication"]
    assert data["calibration"] == {
        "passed": 0,
        "missed": 1,
        "skipped": 0,
        "misses": [
            {
                "skill": "sql",
                "level": 4,
                "prompt": "Which clause filters groups?",
                "chosen": "WHERE",
                "answer": None,  # format-1 files did not keep the right answer
                "explanation": "HAVING filters after GROUP BY.",
            }
        ],
    }
    assert data["time_to_target_hours"] == 30
    assert data["hours_per_week"] is None and data["weeks_to_target"] is None
    assert data["plan"] == []


def test_soft_readiness_is_null_when_no_soft_skill_is_targeted(
    tiny_kb: Path, tmp_path: Path
) -> None:
    roadmap = tiny_kb / "roadmap.yaml"
    roadmap.write_text(roadmap.read_text().replace(", communication: 3}", "}"))
    path = answers_file(tmp_path, "role: senior\nanswers: {python: 1}\n")
    _, out, _ = run("report", str(path), "--kb", str(tiny_kb), "-f", "json")
    assert json.loads(out)["soft_readiness"] is None


def test_steps_and_hours_options(tiny_kb: Path, tmp_path: Path) -> None:
    path = answers_file(tmp_path, SENIOR)
    args = ["--kb", str(tiny_kb), "-f", "json", "--steps", "1", "--hours-per-week", "10"]
    _, out, _ = run("report", str(path), *args)
    data = json.loads(out)
    assert [s["id"] for s in data["next_steps"]] == ["learn-python"]
    assert data["weeks_to_target"] == 3  # 10 h + 20 h at 10 h a week
    assert [(p["id"], p["hours"]) for p in data["plan"]] == [
        ("learn-python", 10),
        ("learn-stats", 20),
    ]
    code, _, err = run("report", str(path), "--kb", str(tiny_kb), "--steps", "-1")
    assert code == 2 and "Invalid value" in err


def test_text_report_fits_80_columns_and_is_plain_when_piped(tiny_kb: Path, tmp_path: Path) -> None:
    path = answers_file(tmp_path, SENIOR)
    code, out, _ = (
        runner.invoke(
            app, ["report", str(path), "--kb", str(tiny_kb)], env={"COLUMNS": "80"}
        ).exit_code,
        runner.invoke(
            app, ["report", str(path), "--kb", str(tiny_kb)], env={"COLUMNS": "80"}
        ).stdout,
        "",
    )
    assert code == 0
    assert "\x1b" not in out
    assert max(len(line) for line in out.splitlines()) <= 80
    for expected in (
        "Senior engineer · gap report",
        "Readiness 76.5% self-rated (no knowledge check taken)",
        "Self-rated: hard skills 78.6% · soft skills 66.7%",
        "Readiness by category",
        "Gaps, largest first (3)",
        "Strengths (1)",
        "Other routes",
        "Next steps",
        "Time to target",
        "Readiness = 100 × Σ weight × min(level, target)",
    ):
        assert expected in out


def test_output_file(tiny_kb: Path, tmp_path: Path) -> None:
    path = answers_file(tmp_path, SENIOR)
    target = tmp_path / "out" / "report.md"
    target.parent.mkdir()  # a missing folder is an error, not created (test_outputs.py)
    code, out, err = run(
        "report", str(path), "--kb", str(tiny_kb), "-f", "markdown", "-o", str(target)
    )
    assert code == 0 and out == ""
    assert err == f"Report written to {target}\n"
    assert target.read_text().startswith("# Gap report: Senior engineer")
    # The radar beside it, and no temporary file left.
    assert sorted(p.name for p in target.parent.iterdir()) == ["report.md", "report.svg"]


def test_unknown_role_for_report(tiny_kb: Path, tmp_path: Path) -> None:
    path = answers_file(tmp_path, SENIOR)
    code, _, err = run("report", str(path), "--kb", str(tiny_kb), "--role", "ceo")
    assert code == 1
    assert err == "error: unknown role 'ceo'; choose one of: junior, senior\n"


def test_report_without_history(tiny_kb: Path) -> None:
    code, _, err = run("report", "--kb", str(tiny_kb))
    assert code == 1
    assert err == "error: no finished assessment yet: run `mlcareer assess` first\n"


# Markdown safety ----------------------------------------------------------------------------------


def hostile_kb(kb: Path) -> None:
    skills = kb / "skills.yaml"
    text = skills.read_text()
    for n, name in enumerate(["Python", "SQL", "Statistics", "Communication"]):
        text = text.replace(f"    name: {name}\n", f"    name: {json.dumps(HOSTILE[n] + name)}\n")
    text = text.replace(
        "explanation: HAVING filters after GROUP BY.",
        f"explanation: {json.dumps(HOSTILE[4] + HOSTILE[5])}",
    )
    text = text.replace("name: Programming}", f"name: {json.dumps(HOSTILE[7])}}}")
    skills.write_text(text)
    roadmap = kb / "roadmap.yaml"
    text = roadmap.read_text().replace("title: Learn Python", f"title: {json.dumps(HOSTILE[6])}")
    text = text.replace("name: Senior engineer", f"name: {json.dumps(HOSTILE[3])}")
    roadmap.write_text(text.replace("outcome: An analysis notebook.", 'outcome: "| x | y |"'))


def tables(tokens: list[Any]) -> list[list[list[str]]]:
    """Every table as rows of cell texts (header row included)."""
    found: list[list[list[str]]] = []
    row: list[str] = []
    for i, token in enumerate(tokens):
        if token.type == "table_open":
            found.append([])
        elif token.type == "tr_open":
            row = []
        elif token.type in ("th_open", "td_open"):
            row.append("".join(child.content for child in tokens[i + 1].children or []))
        elif token.type == "tr_close":
            found[-1].append(row)
    return found


def walk(tokens: list[Any]) -> list[Any]:
    flat = []
    for token in tokens:
        flat.append(token)
        flat.extend(walk(token.children or []))
    return flat


def test_hostile_markdown_adds_no_cells_rows_html_images_or_links(
    tiny_kb: Path, tmp_path: Path
) -> None:
    hostile_kb(tiny_kb)
    path = answers_file(
        tmp_path,
        "role: senior\nanswers: {python: 3, sql: 4, statistics: 2}\n"
        "checks:\n  sql: {prompt: Which clause filters groups?, chosen: WHERE, correct: false}\n",
    )
    code, out, err = run("report", str(path), "--kb", str(tiny_kb), "-f", "markdown",
                         "--steps", "5", "--hours-per-week", "5")  # fmt: skip
    assert code == 0, err
    md = MarkdownIt("commonmark", {"html": True}).enable("table")
    tokens = md.parse(out)
    every = walk(tokens)
    kinds = {t.type for t in every}
    assert not kinds & {"html_block", "html_inline", "image", "link_open", "code_inline"}
    found = tables(tokens)
    heads = [t[0] for t in found]
    assert heads == [
        ["Category", "Readiness", "Skills"],
        ["Skill", "Claimed", "Check", "Counted", "Target", "Gap", "Weight"],
        ["Skill", "Claimed", "Check", "Counted"],
        ["Skill", "Question", "You chose", "Right answer", "Why"],
        ["From", "To", "Step", "Hours"],
    ]
    assert all(len(row) == len(t[0]) for t in found for row in t)  # no extra cells
    categories, gaps, doubtful, calibration, plan = found
    assert [row[0] for row in categories[1:]] == [HOSTILE[7], "Mathematics & statistics",
                                                 "Working with people"]  # fmt: skip
    assert [row[0] for row in gaps[1:]] == [
        HOSTILE[3] + "Communication",  # unrated: gap 3
        HOSTILE[0] + "Python",  # weight 2 x gap 1
        HOSTILE[2] + "Statistics",
    ]
    # a newline cannot end the row
    assert doubtful[1:] == [["line breakSQL", "4", "not confirmed", "3"]]
    assert calibration[1][4] == HOSTILE[4] + HOSTILE[5]
    assert plan[1][2] == HOSTILE[6]
    text = "".join(t.content for t in every if t.type == "text")
    assert HOSTILE[3] in text  # the role name in the heading, literally
    assert "| x | y |" in out.replace("\\|", "|")
    checklist = [line for line in out.splitlines() if line.startswith("- [ ] ")]
    assert len(checklist) == 2


# History and progress over files made by assess ------------------------------------------------


def take(kb: Path, role: str, levels: list[int], *extra: str) -> None:
    keys = "\n".join(str(n) for n in levels) + "\n"
    code, _, err = run("assess", "--kb", str(kb), "--role", role, "--no-checks", *extra, input=keys)
    assert code == 0, err


def test_history_and_progress(tiny_kb: Path, _home: Path) -> None:
    take(tiny_kb, "senior", [2, 1, 1, 2])
    # An unfinished quiz shows in history too, and does not count for progress.
    run("assess", "--kb", str(tiny_kb), "--role", "junior", input="1\nq\n")
    run("assess", "--kb", str(tiny_kb), "--restart", "--role", "senior", "--no-checks",
        input="3\n1\n3\n2\n")  # fmt: skip
    code, out, _ = run("history", "--kb", str(tiny_kb), "-f", "json")
    assert code == 0
    rows = json.loads(out)
    assert [(r["role"], r["finished"], r["rated"], r["total"]) for r in rows] == [
        ("senior", True, 4, 4),
        ("junior", False, 1, 4),
        ("senior", True, 4, 4),
    ]
    # senior: python w2 t4, sql t3, statistics t3, communication t3 -> of 17
    assert rows[0]["readiness"] == round(100 * (4 + 1 + 1 + 2) / 17, 1)
    assert rows[2]["readiness"] == round(100 * (6 + 1 + 3 + 2) / 17, 1)
    code, out, _ = run("history", "--kb", str(tiny_kb))
    assert code == 0 and "(unfinished)" in out and "47.1%" in out

    code, out, _ = run("progress", "--kb", str(tiny_kb), "-f", "json")
    assert code == 0
    data = json.loads(out)
    assert data["readiness_before"] == 47.1 and data["readiness_now"] == 70.6
    assert data["change"] == 23.5
    assert data["moved"] == [
        {"id": "python", "before": 2, "now": 3},
        {"id": "statistics", "before": 1, "now": 3},
    ]
    assert data["steps_completed"] == ["learn-stats"]
    code, out, _ = run("progress", "--kb", str(tiny_kb))
    assert "Readiness 47.1% → 70.6% (+23.5)" in out
    code, out, _ = run("progress", "--kb", str(tiny_kb), "-f", "markdown")
    assert out.startswith("# Progress: Senior engineer\n")
    assert "| Python | 2 | 3 | +1 |" in out


def test_progress_needs_two(tiny_kb: Path) -> None:
    take(tiny_kb, "senior", [2, 1, 1, 2])
    code, _, err = run("progress", "--kb", str(tiny_kb))
    assert code == 1
    assert err == ("error: progress needs two finished assessments; run `mlcareer assess` again\n")


def test_history_empty(tiny_kb: Path) -> None:
    assert run("history", "--kb", str(tiny_kb)) == (
        0, "No assessments yet: run `mlcareer assess`.\n", ""
    )  # fmt: skip


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_report_defaults_to_the_latest_finished(tiny_kb: Path, fmt: str) -> None:
    take(tiny_kb, "senior", [4, 3, 3, 3])
    code, out, _ = run("report", "--kb", str(tiny_kb), "-f", fmt)
    assert code == 0
    assert ("100.0" in out) or ("100" in out)
