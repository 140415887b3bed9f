"""A full data folder, on a real tmpfs: exit 1, a message saying what was and was not saved,
nothing lost, nothing half-written. Root only (it mounts); skipped elsewhere with the reason.
faults/fulldisk.py runs many more cases (inodes, finishing, roadmap, report -o)."""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

TINY = Path(__file__).parent / "fixtures" / "tiny"
ROLE = ["--kb", str(TINY), "--role", "junior"]


def _mount(folder: Path) -> None:
    if sys.platform != "linux" or os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a tmpfs needs root on Linux")
    folder.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k,mode=700", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
    )
    if done.returncode:
        pytest.skip(f"mount -t tmpfs failed: {done.stderr.strip()}")


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[Path]:
    """A 64 KiB tmpfs, unmounted afterwards whatever happened."""
    folder = tmp_path / "disk"
    _mount(folder)
    try:
        yield folder
    finally:
        if subprocess.run(["umount", str(folder)], capture_output=True).returncode:
            subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def fill(disk: Path) -> None:
    """Write until the tmpfs has no page left: the next file with any content gets ENOSPC,
    while empty files (a history number reserved) can still be created."""
    with open(disk / "filler", "ab", buffering=0) as filler:
        try:
            while True:
                filler.write(b"\0" * 4096)
        except OSError as error:
            assert error.errno == errno.ENOSPC


def env(home: Path) -> dict[str, str]:
    return {**os.environ, "MLCAREER_HOME": str(home), "NO_COLOR": "1"}


def mlcareer(*args: str, home: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mlcareer", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env(home),
        timeout=60,
    )


def test_answers_on_a_full_disk_save_nothing(disk: Path) -> None:
    home = disk / "home"
    answers = disk / "answers.json"
    answers.write_text(json.dumps({"role": "junior", "answers": {"python": 2}}))
    original = answers.read_bytes()
    fill(disk)
    result = mlcareer("assess", "--answers", str(answers), *ROLE, home=home)
    assert result.returncode == 1, result.stderr
    assert "cannot save the assessment in" in result.stderr
    assert "nothing was saved" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    history = home / "history"
    assert not history.exists() or list(history.iterdir()) == []  # not even a reserved name
    assert answers.read_bytes() == original


def _wait(path: Path, position: int, proc: subprocess.Popen[str]) -> None:
    """Until the saved quiz is past answer `position`: the next question comes after it."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if json.loads(path.read_text()).get("position", 0) >= position:
                return
        except (OSError, ValueError):
            pass
        time.sleep(0.005)
    pytest.fail(f"answer {position} was not saved: exit {proc.poll()}")


def test_a_quiz_whose_save_fails_keeps_the_earlier_answers(disk: Path, tmp_path: Path) -> None:
    home = disk / "home"
    saved = home / "in-progress.json"
    with open(tmp_path / "out", "w") as out, open(tmp_path / "err", "w") as err:
        quiz = subprocess.Popen(
            [sys.executable, "-m", "mlcareer", "assess", *ROLE, "--no-checks"],
            stdin=subprocess.PIPE,
            stdout=out,
            stderr=err,
            env=env(home),
            text=True,
        )
        try:
            assert quiz.stdin is not None
            quiz.stdin.write("3\n")
            quiz.stdin.flush()
            _wait(saved, 1, quiz)
            before = saved.read_bytes()
            fill(disk)
            quiz.stdin.write("1\n")
            quiz.stdin.close()
            code = quiz.wait(timeout=20)
        finally:
            quiz.kill()
            quiz.wait()
    stderr = (tmp_path / "err").read_text()
    assert code == 1, stderr
    assert "the answer just given is not saved" in stderr
    assert "the answers saved before it are kept there" in stderr
    assert "Traceback" not in stderr
    assert saved.read_bytes() == before
    progress = json.loads(before)
    assert len(progress["answers"]) == 1 and list(progress["answers"].values()) == [3]
    assert not [p.name for p in home.iterdir() if p.name.endswith(".tmp")]
