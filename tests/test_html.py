"""The HTML report: parsed back with html.parser; self-contained; hostile names and links built
in the test add no element, attribute or link; `assess --export` follows the extension."""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hostile import BAD_URLS, GOOD_URLS, NAMES, Page, blank, outside_references, renamed, tiny
from mlcareer.analysis import GapReport, analyse, compare
from mlcareer.cli import app
from mlcareer.models import Assessment, KnowledgeBase
from mlcareer.radar import progress_radar, radar
from mlcareer.render import html, svg

runner = CliRunner()
SENIOR = "role: senior\nanswers: {python: 3, sql: 4, statistics: 2, communication: 2}\n"
EARLIER = "role: senior\nanswers: {python: 1, sql: 1, statistics: 1, communication: 1}\n"


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    assert "Traceback" not in result.output
    return result.exit_code, result.stdout, result.stderr


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def gap_report(kb: KnowledgeBase, answers: Mapping[str, int | None]) -> GapReport:
    return analyse(kb, Assessment(role="senior", answers=dict(answers)), kb.role["senior"], steps=5)


def vertices(page: Page, css: str) -> list[tuple[float, float]]:
    points = [
        a.get("points") or "" for t, a in page.tags if t == "polygon" and a.get("class") == css
    ]
    assert len(points) <= 1
    pairs = [p.split(",") for p in points[0].split()] if points else []
    return [(float(x), float(y)) for x, y in pairs]


def test_report_html_is_one_self_contained_page(tiny_kb: Path, tmp_path: Path) -> None:
    answers = write(tmp_path, "a.yaml", SENIOR)
    code, out, err = run("report", str(answers), "--kb", str(tiny_kb), "--format", "html")
    assert code == 0, err
    page = Page(out)
    assert outside_references(page) == []
    assert page.links() == ["https://docs.python.org/3/"]  # the resource of the step's skill
    assert [t for t, _ in page.tags].count("svg") == 1
    policy = [a for t, a in page.tags if t == "meta" and a.get("http-equiv")]
    assert policy and "default-src 'none'" in (policy[0]["content"] or "")
    css = "".join(page.styles)
    assert "prefers-color-scheme: dark" in css and "size: A4" in css and "@media print" in css
    text = " ".join(page.all_text().split())
    for expected in (
        "Senior engineer",
        "Readiness, self-rated 76.5 %",
        "no knowledge check taken",
        "Gaps, largest first (3)",
        "Learn Python · 10 h",
        "How the figures are computed",
    ):
        assert expected in text


def test_the_radar_has_one_vertex_per_category_and_the_target(
    tiny_kb: Path, tmp_path: Path
) -> None:
    answers = write(tmp_path, "a.yaml", SENIOR)
    _, out, _ = run("report", str(answers), "--kb", str(tiny_kb), "-f", "html")
    page = Page(out)
    you, target = vertices(page, "mlc-you"), vertices(page, "mlc-target")
    assert len(you) == len(target) == 3
    distance = [math.hypot(x - svg.CX, y - svg.CY) / svg.RADIUS * 4 for x, y in you]
    assert distance == pytest.approx([10 / 3, 2, 2], abs=0.01)
    assert vertices(page, "mlc-previous") == []  # an answers file has no earlier assessment


def test_the_previous_assessment_of_the_role_is_dashed(tiny_kb: Path, tmp_path: Path) -> None:
    first, second = write(tmp_path, "1.yaml", EARLIER), write(tmp_path, "2.yaml", SENIOR)
    assert run("assess", "--answers", str(first), "--kb", str(tiny_kb))[0] == 0
    _, only, _ = run("report", "--kb", str(tiny_kb), "-f", "html")
    assert vertices(Page(only), "mlc-previous") == []  # the first one has none before it
    assert run("assess", "--answers", str(second), "--kb", str(tiny_kb))[0] == 0
    _, out, _ = run("report", "--kb", str(tiny_kb), "-f", "html")
    previous = vertices(Page(out), "mlc-previous")
    assert [math.hypot(x - svg.CX, y - svg.CY) for x, y in previous] == pytest.approx(
        [svg.RADIUS / 4] * 3, abs=0.01
    )
    # Another role's assessment in between is not "the previous one".
    junior = write(tmp_path, "3.yaml", SENIOR.replace("senior", "junior"))
    assert run("assess", "--answers", str(junior), "--kb", str(tiny_kb))[0] == 0
    third = write(tmp_path, "4.yaml", EARLIER.replace(": 1", ": 2"))
    assert run("assess", "--answers", str(third), "--kb", str(tiny_kb))[0] == 0
    _, out, _ = run("report", "--kb", str(tiny_kb), "-f", "html")
    previous = vertices(Page(out), "mlc-previous")
    assert [math.hypot(x - svg.CX, y - svg.CY) / svg.RADIUS * 4 for x, y in previous] == (
        pytest.approx([10 / 3, 2, 2], abs=0.01)
    )
    # An answers file outside history has no earlier assessment.
    run("report", str(third), "--kb", str(tiny_kb), "-f", "markdown", "-o", str(tmp_path / "r.md"))
    assert 'class="mlc-previous"' not in (tmp_path / "r.svg").read_text()


def test_progress_html_overlays_both_radars(tiny_kb: Path, tmp_path: Path) -> None:
    old, new = write(tmp_path, "old.yaml", EARLIER), write(tmp_path, "new.yaml", SENIOR)
    code, out, err = run("progress", str(old), str(new), "--kb", str(tiny_kb), "-f", "html")
    assert code == 0, err
    page = Page(out)
    assert outside_references(page) == []
    assert len(vertices(page, "mlc-you")) == len(vertices(page, "mlc-previous")) == 3
    text = " ".join(page.all_text().split())
    assert "Readiness before 29.4 %" in text and "Readiness now 76.5 %" in text
    assert "Python 1 3 +2" in text  # skills that moved: before, now, change


def skeleton(text: str) -> list[tuple[str, tuple[str, ...]]]:
    return Page(text).skeleton()


@pytest.mark.parametrize("hostile", NAMES)
def test_hostile_names_add_no_element_or_attribute(hostile: str) -> None:
    kb = tiny()

    def page(name: str) -> str:
        built = renamed(kb, lambda old: f"{old} {name}")
        r = gap_report(built, {"python": 3, "sql": 4, "statistics": 2, "communication": 2})
        return html.report(r, radar(r, r))

    text = page(hostile)
    assert skeleton(text) == skeleton(page(blank(hostile)))
    parsed = Page(text)
    assert outside_references(parsed) == []
    assert hostile in parsed.all_text()  # shown literally, as text
    assert "<script" not in text and "<img" not in text


def test_only_https_links_become_links_and_they_come_back_unchanged() -> None:
    kb = renamed(tiny(), lambda old: old, [*BAD_URLS, *GOOD_URLS])
    r = gap_report(kb, {"python": 1})
    page = Page(html.report(r, radar(r)))
    assert set(page.links()) == set(GOOD_URLS)
    assert outside_references(page) == []
    assert [t for t, _ in page.tags].count("script") == 0
    # A refused link is still named, as text.
    assert "link 0" in page.all_text()


def test_progress_and_team_pages_escape_names_too() -> None:
    from mlcareer.team import team

    hostile = " ".join(NAMES)
    kb = renamed(tiny(), lambda old: f"{old} {hostile}")
    old = Assessment(role="senior", answers={"python": 1})
    new = Assessment(role="senior", answers={"python": 3})
    p = compare(kb, old, new, kb.role["senior"])
    group = team(kb, kb.role["senior"], [(hostile, "a.yaml", new), ("B", "b.yaml", old)])
    for text in (html.progress(p, progress_radar(p)), html.team(group)):
        page = Page(text)
        assert outside_references(page) == []
        assert hostile in page.all_text()


def test_jinja2_is_imported_only_for_html(tiny_kb: Path, tmp_path: Path) -> None:
    answers = write(tmp_path, "a.yaml", SENIOR)
    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from mlcareer.cli import app\n"
        f"args = ['report', {str(answers)!r}, '--kb', {str(tiny_kb)!r}, '-f']\n"
        "CliRunner().invoke(app, [*args, 'markdown'])\n"
        "print('jinja2' in sys.modules)\n"
        "CliRunner().invoke(app, [*args, 'html'])\n"
        "print('jinja2' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.split() == ["False", "True"], result.stderr


@pytest.mark.parametrize("suffix", [".md", ".html", ".json"])
def test_assess_export_follows_the_extension(tiny_kb: Path, tmp_path: Path, suffix: str) -> None:
    answers = write(tmp_path, "a.yaml", SENIOR)
    target = tmp_path / f"report{suffix}"
    code, _, err = run(
        "assess", "--answers", str(answers), "--kb", str(tiny_kb), "--export", str(target)
    )
    assert code == 0, err
    label = {".md": "Markdown", ".html": "HTML", ".json": "JSON"}[suffix]
    assert f"{label} report written to {target}" in err
    text = target.read_text()
    if suffix == ".json":
        assert json.loads(text)["readiness"] == 76.5
    elif suffix == ".html":
        assert outside_references(Page(text)) == [] and "<svg" in text
    else:
        assert text.startswith("# Gap report: Senior engineer")
        assert "](report.svg)" in text and (tmp_path / "report.svg").exists()


def test_assess_export_refuses_another_extension_before_asking(
    tiny_kb: Path, tmp_path: Path, _home: Path
) -> None:
    answers = write(tmp_path, "a.yaml", SENIOR)
    code, _, err = run(
        "assess", "--answers", str(answers), "--kb", str(tiny_kb), "--export", "r.txt"
    )
    assert code == 2
    message = " ".join(err.split())
    assert (
        "Invalid value for '--export': r.txt: the format follows the extension, "
        "one of .md, .html or .json" in message
    )
    assert not (_home / "history").exists()  # nothing was asked or saved


def test_report_html_to_a_file(tiny_kb: Path, tmp_path: Path) -> None:
    answers = write(tmp_path, "a.yaml", SENIOR)
    out = tmp_path / "r.html"
    code, _, err = run("report", str(answers), "--kb", str(tiny_kb), "-f", "html", "-o", str(out))
    assert code == 0 and err == f"Report written to {out}\n"
    assert re.match(r"<!DOCTYPE html>\n<html lang=\"en\">", out.read_text())


def test_a_long_gap_list_is_a_short_table_and_chips_for_the_rest() -> None:
    """The backend engineer has 42 gaps for the ML engineer: 12 rows, 30 chips, each named once;
    the role's description shows its first sentence and folds the rest away."""
    from mlcareer import kb

    knowledge = kb.load(None)
    answers = Path(__file__).parents[1] / "examples" / "backend-engineer.yaml"
    code, out, err = run("report", str(answers), "--role", "ml-engineer", "--format", "html")
    assert code == 0, err
    page = Page(out)
    role = knowledge.role["ml-engineer"]
    rows = out.split('id="gaps"')[1].split("</table>")[0].count("<tr>") - 1  # minus the header
    chips = out.split('class="chips gaps"')[1].split("</ul>")[0].count("<li>")
    assert (rows, chips) == (html.TABLE_GAPS, 30)
    text = " ".join(page.all_text().split())
    assert "Gaps, largest first (42)" in text and "30 smaller gaps" in text and "R 0→1" in text
    first, rest = html.lead(role.summary)
    assert first.endswith(".") and rest and first in text
    assert ("details", {"class": "about"}) in page.tags
