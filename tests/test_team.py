"""`mlcareer team`: three people and one unreadable file; the matrix, who could help whom, the
JSON contract (documented in the README), levels only, and names that try to break out."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from hostile import NAMES, Page, outside_references, tiny
from invoke import run
from mlcareer.models import Assessment
from mlcareer.render import team as render
from mlcareer.render.lines import width
from mlcareer.team import grouped, team, unique_names

README = Path(__file__).resolve().parents[1] / "README.md"

ANA = "name: Ana\nrole: senior\nanswers: {python: 4, sql: 3, statistics: 1, communication: 2}\n"
BO = {"name": "Bo", "answers": {"python": 2, "sql": 1, "statistics": 3, "communication": 3}}
# No name: shown by the file name. A check whose prompt and answers must never be shown.
CHEN = (
    "mlcareer: 2\nanswers: {python: 3, sql: 1, statistics: 1, communication: 1}\n"
    "checks:\n  python:\n    verdict: not_confirmed\n    rating: 3\n    items:\n"
    "      - {prompt: SECRET PROMPT, chosen: SECRET CHOICE, answer: SECRET ANSWER}\n"
)


@pytest.fixture
def group(tmp_path: Path) -> Path:
    folder = tmp_path / "group"
    folder.mkdir()
    (folder / "ana.yaml").write_text(ANA)
    (folder / "bo.json").write_text(json.dumps(BO))
    (folder / "chen.yaml").write_text(CHEN)
    (folder / "broken.yaml").write_text("answers: {python: 7}\n")
    (folder / "notes.txt").write_text("not an assessment")
    return folder


def test_ids_the_kb_no_longer_has_are_left_out_with_a_warning(tiny_kb: Path, group: Path) -> None:
    """As for history: an older assessment still counts after the KB drops a skill or a step."""
    (group / "broken.yaml").unlink()
    expected = run("team", str(group), "--role", "senior", "--kb", str(tiny_kb))
    ana = group / "ana.yaml"
    ana.write_text(
        ANA.replace("python: 4,", "python: 4, quantum: 2,") + "completed_steps: [old-course]\n"
    )
    code, out, err = run("team", str(group), "--role", "senior", "--kb", str(tiny_kb))
    assert (code, out) == expected[:2]
    assert err.splitlines() == [
        f"warning: {ana}:3:22: answers: unknown skill 'quantum': not in this knowledge base, "
        "left out",
        f"warning: {ana}:4:19: completed_steps[0]: unknown roadmap step 'old-course': not in "
        "this knowledge base, left out",
    ]


def test_three_people_and_one_unreadable_file(tiny_kb: Path, group: Path) -> None:
    missing = group.parent / "missing.yaml"
    code, out, err = run("team", str(group), str(missing), "--role", "senior", "--kb", str(tiny_kb))
    assert code == 0, err
    assert err.splitlines() == [
        f"skipped: {group / 'broken.yaml'}:1:19: answers.python: Input should be less than or "
        "equal to 4",
        f"skipped: {missing}:1:1: no such file",
    ]
    assert out.splitlines()[:8] == [
        f"Senior engineer · team readiness · {date.today().isoformat()}",
        "3 people; readiness in %, self-rated (–: not assessed)",
        "",
        "                           Ana    Bo  chen",
        "Overall                     82    65    53",
        "Programming                100    45    64",
        "Mathematics & statistics    33   100    33",
        "Working with people         67   100    33",
    ]
    assert "SECRET" not in out
    text = out.split("Where most of the group falls short")[1]
    # python (4): Bo 2, chen 3 not confirmed, so 2; sql (3): Bo and chen at 1.
    assert "Below target: Bo, chen\nAt or above, could help: Ana\n  Python (4), SQL (3)\n" in text
    # statistics (3): Ana and chen at 1; communication (3): Ana 2, chen 1.
    assert (
        "Below target: Ana, chen\nAt or above, could help: Bo\n  Statistics (3), Communication"
        in text
    )


def test_json_contract(tiny_kb: Path, group: Path) -> None:
    code, out, _ = run("team", str(group), "-r", "senior", "--kb", str(tiny_kb), "-f", "json")
    assert code == 0
    data = json.loads(out)
    assert set(data) == {
        "schema_version", "role", "date", "categories", "people", "shortfalls", "skipped"
    }  # fmt: skip
    assert data["schema_version"] == 2 and data["role"] == "senior"
    assert [c["id"] for c in data["categories"]] == ["code", "maths", "people"]
    chen = data["people"][2]
    assert chen == {
        "name": "chen",
        "file": str(group / "chen.yaml"),
        "quick": False,
        "readiness": 52.9,
        "checked_readiness": 41.2,
        "categories": {"code": 63.6, "maths": 33.3, "people": 33.3},
        "levels": {"python": 3, "sql": 1, "statistics": 1, "communication": 1},
        "checked_levels": {"python": 2, "sql": 1, "statistics": 1, "communication": 1},
    }
    # python (target 4): Bo 2 and chen 2 (3, not confirmed) are below; Ana at 4 could help.
    assert data["shortfalls"] == [
        {"skill": "python", "target": 4, "below": ["Bo", "chen"], "at_or_above": ["Ana"]},
        {"skill": "sql", "target": 3, "below": ["Bo", "chen"], "at_or_above": ["Ana"]},
        {"skill": "statistics", "target": 3, "below": ["Ana", "chen"], "at_or_above": ["Bo"]},
        {"skill": "communication", "target": 3, "below": ["Ana", "chen"], "at_or_above": ["Bo"]},
    ]
    assert [s["file"] for s in data["skipped"]] == [str(group / "broken.yaml")]
    assert "SECRET" not in out


def test_the_readme_documents_the_team_json() -> None:
    readme = README.read_text()
    section = readme.split("`team --format json`")[1].split("\n- ")[0]
    people = render._member(
        team(tiny(), tiny().role["senior"], [("A", "a", Assessment())]).members[0]
    )
    for key in ["schema_version", "role", "date", "categories", "people", "shortfalls", "skipped"]:
        assert f'"{key}"' in section, key
    for key in [*people, "skill", "target", "below", "at_or_above", "problem"]:
        assert f'"{key}"' in section, key


def test_markdown_and_html(tiny_kb: Path, group: Path) -> None:
    _, md, _ = run("team", str(group), "-r", "senior", "--kb", str(tiny_kb), "-f", "markdown")
    assert "| Ana | 82 | 100 | 33 | 67 |" in md
    _, page_text, _ = run("team", str(group), "-r", "senior", "--kb", str(tiny_kb), "-f", "html")
    page = Page(page_text)
    assert outside_references(page) == []
    cells = [a.get("class") for t, a in page.tags if t == "td" and "cell" in (a.get("class") or "")]
    assert cells[:4] == ["cell heat-3", "cell heat-4", "cell heat-1", "cell heat-2"]  # Ana
    assert "SECRET" not in md + page_text


def test_names_from_assess_name(tiny_kb: Path, tmp_path: Path, _home: Path) -> None:
    answers = tmp_path / "a.yaml"
    answers.write_text("role: senior\nanswers: {python: 2}\n")
    code, _, err = run(
        "assess", "--answers", str(answers), "--kb", str(tiny_kb), "--name", "  Dana Q.  "
    )
    assert code == 0, err
    saved = next((_home / "history").glob("*.json"))
    assert json.loads(saved.read_text())["name"] == "Dana Q."
    _, out, _ = run("team", str(_home / "history"), "-r", "senior", "--kb", str(tiny_kb))
    assert "Dana Q." in out
    code, _, err = run("assess", "--answers", str(answers), "--kb", str(tiny_kb), "--name", " ")
    assert code == 2 and "a name of 1 to 200 characters" in err


def test_nothing_readable_is_an_error(tiny_kb: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    code, out, err = run("team", str(empty), "-r", "senior", "--kb", str(tiny_kb))
    assert code == 1 and out == ""
    assert err.splitlines() == [
        f"skipped: {empty}:1:1: no .json, .yaml or .yml file in this folder",
        "error: no assessment could be read: nothing to show",
    ]
    code, _, err = run("team", str(empty), "-r", "nobody", "--kb", str(tiny_kb))
    assert code == 1 and "unknown role 'nobody'" in err


def test_majority_rule_helpers_and_quick_assessments() -> None:
    kb = tiny()
    role = kb.role["junior"]  # python 2, sql 1, statistics 1, communication 2
    people = [
        ("A", "a", Assessment(answers={"python": 2, "sql": 0})),
        ("B", "b", Assessment(answers={"python": 1, "sql": 0})),
        ("C", "c", Assessment(answers={"python": 1, "sql": 1})),
        ("Q", "q", Assessment(answers={"python": 3}, quick=True)),  # not asked about sql
    ]
    t = team(kb, role, people)
    by_skill = {s.skill.id: s for s in t.shortfalls}
    # python: B, C below; A, Q at or above -> 2 of 4 is not most of the group.
    assert "python" not in by_skill
    assert (by_skill["sql"].short, by_skill["sql"].helpers) == (("A", "B"), ("C",))
    quick = t.members[3]
    assert quick.checked["sql"] is None and quick.categories["people"] is None
    # Most people short first, then weight x target: communication (2) before statistics (1).
    first = grouped(t.shortfalls)[0]
    assert [s.skill.id for s in first.skills] == ["communication", "statistics"]
    assert (first.short, first.helpers) == (("A", "B", "C"), ())


def test_duplicate_names_stay_apart() -> None:
    assert unique_names(["Ana", "Bo", "Ana", "Ana"]) == ["Ana", "Bo", "Ana (2)", "Ana (3)"]


@pytest.mark.parametrize("hostile", NAMES)
def test_hostile_person_names(hostile: str) -> None:
    kb = tiny()
    people = [(hostile, "x.yaml", Assessment(answers={"python": 1})), ("B", "b", Assessment())]
    t = team(kb, kb.role["senior"], people)
    from mlcareer.render import html

    page = Page(html.team(t))
    assert outside_references(page) == []
    assert hostile in page.all_text()
    md = render.markdown(t)
    assert "<" not in re.sub(r"\\<", "", md)  # every angle bracket escaped
    assert "\x1b" not in render.text(
        team(kb, kb.role["senior"], [("\x1b[31mred", "r", Assessment())])
    )


@pytest.mark.parametrize("line_width", [40, 52, 80, 120])
@pytest.mark.parametrize("count", [1, 4, 9])
def test_the_matrix_fits_the_width_and_shows_everyone(line_width: int, count: int) -> None:
    """People who do not fit go on in another table below; no line is wider than the terminal,
    no category name is cut, and every person's column is there once with all its numbers."""
    kb = tiny()
    names = [f"Person number {n} with a long name" for n in range(count)]
    people = [
        (name, f"{n}.yaml", Assessment(answers={"python": n % 5, "statistics": 4 - n % 5}))
        for n, name in enumerate(names)
    ]
    shown = render.text(team(kb, kb.role["senior"], people), line_width)
    lines = shown.splitlines()
    assert max(width(line) for line in lines) <= line_width
    headers = [lines[n - 1].split() for n, line in enumerate(lines) if line.startswith("Overall")]
    assert sum(len(h) for h in headers) == count * 2  # "Person", "numbe…" each, cut at 12
    assert len(headers) == -(-count // max(1, len(headers[0]) // 2))  # as few tables as fit
    for category in kb.categories:
        assert category.name in " ".join(shown.split())
    overall = [line for line in lines if line.startswith("Overall")]
    assert sum(len(line.split()) - 1 for line in overall) == count
    assert not [line for line in lines if re.match(r"\s*\(\d\)", line)]  # "(3)" by its skill
    assert "\u00a0" not in shown


def test_a_category_name_wraps_at_spaces_when_nothing_else_fits() -> None:
    kb = tiny()
    people = [("Ana", "a.yaml", Assessment(answers={"python": 4}))]
    shown = render.text(team(kb, kb.role["senior"], people), 20).splitlines()
    assert "Mathematics &      0" in shown and "  statistics" in shown
    assert max(width(line) for line in shown) <= 20


def test_team_fits_the_terminal_it_prints_to(
    tiny_kb: Path, group: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "40")  # what a terminal of 40 columns reports, as rich reads it
    code, out, err = run("team", str(group), "-r", "senior", "--kb", str(tiny_kb))
    assert code == 0, err
    assert max(width(line) for line in out.splitlines()) <= 40
    assert "Ana" in out and "chen" in out
