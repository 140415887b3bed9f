"""Outputs (-o, --export, --ics): never an input of the same command however spelled, through
symlinks, straight into devices and pipes, modes and owners kept, `-` for stdout, and what was
saved said before an export error. Each refusal leaves every input byte-for-byte as it was."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from invoke import run
from mlcareer import files
from mlcareer.cli import app
from mlcareer.errors import UsageError

FIXTURES = Path(__file__).parent / "fixtures"
SENIOR = "role: senior\nanswers: {python: 3, sql: 4, statistics: 2, communication: 2}\n"
LATER = "role: senior\nanswers: {python: 4, sql: 4, statistics: 3, communication: 2}\n"
MLE = "role: mle\nanswers: {python: 1, sql: 0, statistics: 0, ml: 0, communication: 2}\n"
ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
needs_root = pytest.mark.skipif(not ROOT, reason="only root can chown or replace /dev/null")
needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")

Snapshot = dict[Path, tuple[bytes, int]]


def snapshot(*paths: Path) -> Snapshot:
    return {p: (p.read_bytes(), os.stat(p).st_mode) for p in paths}


def unchanged(before: Snapshot) -> None:
    assert snapshot(*before) == before


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tiny_kb: Path) -> Path:
    """The current folder holds A.yaml (an answers file) and kb/ (the tiny KB)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "A.yaml").write_text(SENIOR)
    return tmp_path


def report(*args: str) -> tuple[int, str, str]:
    return run("report", "A.yaml", "--kb", "kb", *args)


def refused(code: int, err: str, message: str) -> None:
    assert code == 1
    assert err == f"error: {message}\n"


def cli(*args: str, stdout: int | None = subprocess.PIPE) -> subprocess.CompletedProcess[str]:
    """A real process, where descriptors matter; a hang fails the test instead of the run."""
    command = [sys.executable, "-m", "mlcareer", *args]
    result = subprocess.run(command, stdout=stdout, stderr=subprocess.PIPE, text=True, timeout=20)
    assert "Traceback" not in result.stderr
    return result


# 1. Never an input of the same command, however spelled.


@pytest.mark.parametrize("spelled", ["A.yaml", "./A.yaml", "sub/../A.yaml", "ABSOLUTE"])
def test_report_refuses_to_overwrite_its_assessment(here: Path, spelled: str) -> None:
    (here / "sub").mkdir()
    spelled = str(here / "A.yaml") if spelled == "ABSOLUTE" else spelled
    before = snapshot(here / "A.yaml")
    code, out, err = report("-f", "markdown", "-o", spelled)
    said = "" if spelled == "A.yaml" else " it is A.yaml;"
    refused(code, err, f"-o {spelled} is an input of this command:{said} choose another file")
    assert out == ""
    unchanged(before)
    assert sorted(p.name for p in here.iterdir()) == ["A.yaml", "kb", "sub"]


@pytest.mark.parametrize("link", ["symlink", "hardlink"])
def test_a_link_to_the_input_is_the_input(here: Path, link: str) -> None:
    (os.symlink if link == "symlink" else os.link)("A.yaml", "L.yaml")
    before = snapshot(here / "A.yaml", here / "L.yaml")
    code, _, err = report("-o", "L.yaml")
    refused(code, err, "-o L.yaml is an input of this command: it is A.yaml; choose another file")
    unchanged(before)
    assert (here / "L.yaml").is_symlink() == (link == "symlink")


def test_assess_export_refuses_the_answers_file_before_saving(here: Path, _home: Path) -> None:
    (here / "A.json").write_text(json.dumps({"role": "senior", "answers": {"python": 3}}))
    before = snapshot(here / "A.json")
    code, out, err = run("assess", "--kb", "kb", "--answers", "A.json", "--export", "A.json")
    refused(code, err, "--export A.json is an input of this command: choose another file")
    unchanged(before)
    assert not (_home / "history").exists()  # refused before the assessment was saved


def test_the_quiz_refuses_before_asking(here: Path, _home: Path) -> None:
    target = _home / "in-progress.json"
    result = CliRunner().invoke(
        app, ["assess", "--kb", "kb", "--role", "senior", "--export", str(target)], input="2\n"
    )
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: --export {target} is an input of this command: mlcareer's quiz in progress; "
        "choose another file\n"
    )
    assert result.stdout == "" and "Traceback" not in result.output
    assert not target.exists() and not (_home / "history").exists()


def test_the_chart_beside_markdown_is_checked_too(here: Path) -> None:
    (here / "notes.svg").write_text(SENIOR)  # an answers file, whatever its name
    before = snapshot(here / "notes.svg")
    code, _, err = run("report", "notes.svg", "--kb", "kb", "-f", "markdown", "-o", "notes.md")
    refused(code, err, "the chart notes.svg is an input of this command: choose another file")
    unchanged(before)
    assert not (here / "notes.md").exists()


def test_ics_refuses_the_answers_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.yaml").write_text(MLE)
    before = snapshot(tmp_path / "a.yaml")
    levels = str(FIXTURES / "levels")
    args = ("report", "a.yaml", "--kb", levels, "--hours-per-week", "10", "--ics", "./a.yaml")
    code, _, err = run(*args)
    refused(
        code, err, "--ics ./a.yaml is an input of this command: it is a.yaml; choose another file"
    )
    unchanged(before)


def test_progress_refuses_either_assessment(here: Path, _home: Path) -> None:
    (here / "B.yaml").write_text(LATER)
    before = snapshot(here / "A.yaml", here / "B.yaml")
    code, _, err = run("progress", "A.yaml", "B.yaml", "--kb", "kb", "-o", "B.yaml")
    refused(code, err, "-o B.yaml is an input of this command: choose another file")
    # By history number: the file `1` names is refused, as is any new file in history.
    for answers in ("A.yaml", "B.yaml"):
        assert run("assess", "--kb", "kb", "--answers", answers)[0] == 0
    first = sorted((_home / "history").iterdir())[0]
    saved = snapshot(*(_home / "history").iterdir())
    for target in (first, _home / "history" / "new.md"):
        code, _, err = run("progress", "1", "2", "--kb", "kb", "-o", str(target))
        assert code == 1 and err.startswith(f"error: -o {target} is an input of this command")
    unchanged(before)
    unchanged(saved)
    assert len(saved) == 2


def test_team_refuses_a_file_and_a_file_in_a_folder(here: Path) -> None:
    people = here / "people"
    people.mkdir()
    (people / "b.json").write_text(json.dumps({"role": "senior", "answers": {"python": 2}}))
    before = snapshot(here / "A.yaml", people / "b.json")
    for target in ("A.yaml", "people/b.json"):
        code, _, err = run("team", "A.yaml", "people", "-r", "senior", "--kb", "kb", "-o", target)
        refused(code, err, f"-o {target} is an input of this command: choose another file")
    unchanged(before)


def test_the_knowledge_base_and_the_data_folder_are_inputs(here: Path, _home: Path) -> None:
    before = snapshot(here / "kb" / "skills.yaml", here / "kb" / "roadmap.yaml")
    code, _, err = report("-o", "kb/skills.yaml")
    message = "the knowledge base file kb/skills.yaml; choose another file"
    refused(code, err, f"-o kb/skills.yaml is an input of this command: {message}")
    unchanged(before)
    code, _, err = report("-o", str(_home / "in-progress.lock"))
    assert code == 1 and "mlcareer's quiz lock" in err
    assert not (_home / "in-progress.lock").exists()


def test_two_outputs_naming_one_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.yaml").write_text(MLE)
    levels = str(FIXTURES / "levels")
    args = ("report", "a.yaml", "--kb", levels, "--hours-per-week", "10", "-o", "r.txt")
    code, _, err = run(*args, "--ics", "./r.txt")
    refused(
        code, err, "-o r.txt and --ics ./r.txt are the same file: choose another file for --ics"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.yaml"]


# 2. Through symlinks to their target.


def test_a_symlink_is_written_through(here: Path) -> None:
    (here / "real.md").write_text("old\n")
    os.symlink("real.md", "link.md")
    os.symlink("future.md", "dangling.md")
    assert report("-f", "markdown", "-o", "link.md", "--no-chart")[0] == 0
    assert report("-f", "markdown", "-o", "dangling.md", "--no-chart")[0] == 0
    for link, real in (("link.md", "real.md"), ("dangling.md", "future.md")):
        assert (here / link).is_symlink() and os.readlink(here / link) == real
        assert (here / real).read_text().startswith("# Gap report: Senior engineer")
    names = ["A.yaml", "dangling.md", "future.md", "kb", "link.md", "real.md"]
    assert sorted(p.name for p in here.iterdir()) == names  # no temporary file left


def test_a_symlink_loop_is_an_error(here: Path) -> None:
    os.symlink("loop.md", "loop.md")
    code, _, err = report("-o", "loop.md")
    refused(code, err, "cannot write loop.md: Too many levels of symbolic links")
    assert (here / "loop.md").is_symlink()


# 3 and 7. What is not a regular file is written into, never replaced.


def test_dev_null_stays_a_device(here: Path) -> None:
    before = os.stat("/dev/null")
    code, out, err = report("-o", "/dev/null")
    assert code == 0 and out == "" and err == "Report written to /dev/null\n"
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev
    assert stat.S_IMODE(after.st_mode) == stat.S_IMODE(before.st_mode)


def test_a_full_device_is_an_error(here: Path) -> None:
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full here")
    code, _, err = report("-o", "/dev/full")
    refused(code, err, "cannot write /dev/full: No space left on device")
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


@needs_fifo
def test_a_pipe_no_one_reads_is_an_error_not_a_hang(here: Path) -> None:
    os.mkfifo("pipe.md")
    result = cli("report", "A.yaml", "--kb", "kb", "-f", "markdown", "-o", "pipe.md")
    assert result.returncode == 1
    assert result.stderr == "error: cannot write pipe.md: no process is reading this pipe\n"
    assert stat.S_ISFIFO(os.stat("pipe.md").st_mode)
    assert not (here / "pipe.svg").exists()


@needs_fifo
def test_a_pipe_with_a_reader_gets_the_report(here: Path) -> None:
    os.mkfifo("pipe.md")
    reader = os.open("pipe.md", os.O_RDONLY | os.O_NONBLOCK)
    chunks: list[bytes] = []
    try:
        result = cli("report", "A.yaml", "--kb", "kb", "-f", "markdown", "-o", "pipe.md")
        while chunk := os.read(reader, 65536):
            chunks.append(chunk)
    finally:
        os.close(reader)
    assert result.returncode == 0, result.stderr
    assert b"".join(chunks).startswith(b"# Gap report: Senior engineer")
    assert stat.S_ISFIFO(os.stat("pipe.md").st_mode)


def test_dev_stdout_is_stdout_even_appending_to_a_file(here: Path) -> None:
    args = ("report", "A.yaml", "--kb", "kb", "-f", "markdown", "-o", "/dev/stdout")
    result = cli(*args)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("# Gap report: Senior engineer")
    assert result.stderr == ""
    log = here / "log.md"
    log.write_text("before\n")
    with log.open("a") as appending:
        result = cli(*args, stdout=appending.fileno())
    assert result.returncode == 0, result.stderr
    assert log.read_text().startswith("before\n# Gap report: Senior engineer")
    assert sorted(p.name for p in here.iterdir()) == ["A.yaml", "kb", "log.md"]


# 4. Modes and owners.


def test_an_existing_file_keeps_its_mode(here: Path) -> None:
    target = here / "r.md"
    target.write_text("old\n")
    target.chmod(0o640)
    assert report("-o", "r.md")[0] == 0
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o640
    assert target.read_text() != "old\n"


@pytest.mark.parametrize(("mask", "mode"), [(0o022, 0o644), (0o027, 0o640), (0o077, 0o600)])
def test_a_new_file_follows_the_umask(here: Path, mask: int, mode: int) -> None:
    old = os.umask(mask)
    try:
        code, _, err = report("-f", "markdown", "-o", "r.md")
    finally:
        os.umask(old)
    assert code == 0, err
    assert stat.S_IMODE(os.stat(here / "r.md").st_mode) == mode
    assert stat.S_IMODE(os.stat(here / "r.svg").st_mode) == mode


@needs_root
def test_root_keeps_the_owner(here: Path) -> None:
    target = here / "r.md"
    target.write_text("old\n")
    os.chown(target, 1234, 2345)
    target.chmod(0o604)
    assert report("-o", "r.md")[0] == 0
    found = os.stat(target)
    assert (found.st_uid, found.st_gid, stat.S_IMODE(found.st_mode)) == (1234, 2345, 0o604)


def test_data_folder_files_stay_private(here: Path, _home: Path) -> None:
    assert run("assess", "--kb", "kb", "--answers", "A.yaml")[0] == 0
    [saved] = (_home / "history").iterdir()
    assert stat.S_IMODE(os.stat(saved).st_mode) == 0o600


# 5. `-` is stdout; a folder, or a missing one, is an error.


@pytest.mark.parametrize("command", ["report", "progress", "team"])
def test_dash_is_stdout(here: Path, command: str) -> None:
    (here / "B.yaml").write_text(LATER)
    files_ = {"report": ["A.yaml"], "progress": ["A.yaml", "B.yaml"], "team": ["A.yaml"]}
    role = ["-r", "senior"] if command == "team" else []
    code, out, err = run(command, *files_[command], *role, "--kb", "kb", "-f", "json", "-o", "-")
    assert code == 0 and err == ""
    assert isinstance(json.loads(out), dict)
    assert not (here / "-").exists()


def test_ics_dash_is_stdout_when_the_report_goes_to_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.yaml").write_text(MLE)
    args = ["report", "a.yaml", "--kb", str(FIXTURES / "levels"), "--hours-per-week", "10"]
    code, out, err = run(*args, "-o", "r.txt", "--ics", "-")
    assert code == 0 and err == "Report written to r.txt\n"
    assert out.startswith("BEGIN:VCALENDAR")
    code, out, err = run(*args, "--ics", "-")
    assert code == 2 and "the report goes to stdout as well" in err


def test_export_dash_is_refused(here: Path, _home: Path) -> None:
    code, _, err = run("assess", "--kb", "kb", "--answers", "A.yaml", "--export", "-")
    assert code == 2 and "`mlcareer report -f markdown`" in err
    assert not (_home / "history").exists()


@pytest.mark.parametrize("target", ["out/", "existing", "existing/", "."])
def test_a_folder_is_never_written_as_a_file(here: Path, target: str) -> None:
    (here / "existing").mkdir()
    code, _, err = report("-o", target)
    refused(code, err, f"-o {target} is a folder: give a file name")
    assert sorted(p.name for p in here.iterdir()) == ["A.yaml", "existing", "kb"]
    assert list((here / "existing").iterdir()) == []


def test_a_missing_folder_is_not_created(here: Path, _home: Path) -> None:
    code, _, err = report("-o", "nope/r.md")
    refused(code, err, f"-o nope/r.md: the folder {here / 'nope'} does not exist")
    code, _, err = run("assess", "--kb", "kb", "--answers", "A.yaml", "--export", "nope/r.md")
    refused(code, err, f"--export nope/r.md: the folder {here / 'nope'} does not exist")
    assert not (here / "nope").exists() and not (_home / "history").exists()


# 6. What was saved is said before an export error.


@needs_fifo
def test_export_error_after_the_save_says_it_was_saved(here: Path, _home: Path) -> None:
    os.mkfifo("pipe.md")
    result = cli("assess", "--kb", "kb", "--answers", "A.yaml", "--export", "pipe.md")
    assert result.returncode == 1
    [saved] = (_home / "history").iterdir()
    assert result.stderr.endswith(
        f"Assessment saved to {saved}\n"
        "error: cannot write pipe.md: no process is reading this pipe\n"
    )
    assert json.loads(saved.read_text())["answers"]["python"] == 3


@needs_fifo
def test_calendar_error_after_the_report_says_the_report_was_written(here: Path) -> None:
    (here / "a.yaml").write_text(MLE)
    os.mkfifo("plan.ics")
    levels = str(FIXTURES / "levels")
    args = ("report", "a.yaml", "--kb", levels, "--hours-per-week", "10", "-o", "r.txt")
    result = cli(*args, "--ics", "plan.ics")
    assert result.returncode == 1
    assert result.stderr == (
        "Report written to r.txt\nerror: cannot write plan.ics: no process is reading this pipe\n"
    )
    assert (here / "r.txt").read_text().strip() != ""


@pytest.fixture
def failing_svg(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The disk fills up between the Markdown and its chart."""
    write = files.write_file

    def full(out: files.Output | Path, data: bytes) -> None:
        if str(out).endswith(".svg"):
            raise UsageError(f"cannot write {out}: No space left on device")
        write(out, data)

    monkeypatch.setattr(files, "write_file", full)
    yield


def test_chart_error_after_the_markdown_says_it_was_written(here: Path, failing_svg: None) -> None:
    code, _, err = report("-f", "markdown", "-o", "r.md")
    assert code == 1
    assert err == "Report written to r.md\nerror: cannot write r.svg: No space left on device\n"
    assert (here / "r.md").read_text().startswith("# Gap report: Senior engineer")


def test_a_regular_file_is_replaced_whole(here: Path) -> None:
    """Atomic replace: a reader holding the old file still reads it whole, never a mix."""
    (here / "r.md").write_text("old\n")
    with (here / "r.md").open() as holder:
        assert report("-o", "r.md")[0] == 0
        assert holder.read() == "old\n"
    assert (here / "r.md").read_text().startswith("Senior engineer")


def test_a_socket_is_an_error(here: Path) -> None:
    import socket

    if not hasattr(socket, "AF_UNIX"):
        pytest.skip("no Unix sockets here")
    with socket.socket(socket.AF_UNIX) as server:
        server.bind("s.md")
        code, _, err = report("-o", "s.md")
    refused(code, err, "cannot write s.md: a socket is not written as a file")
    assert stat.S_ISSOCK(os.stat(here / "s.md").st_mode)
