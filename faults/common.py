"""What the fault scripts share: running `mlcareer`, feeding a quiz, reading what it saved."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

ROOT = Path(__file__).resolve().parent.parent
MLCAREER = [sys.executable, "-m", "mlcareer"]
ASSESS = [*MLCAREER, "assess", "--role", "ml-engineer", "--no-checks"]
PAGE = 4096
Fill = tuple[str, int]  # ("pages" | "inodes", how many are left free)
WAIT = 30.0  # seconds an answer may take to be saved before the run counts as hung


def environment(home: Path, cache: Path) -> dict[str, str]:
    env = dict(os.environ, NO_COLOR="1", COLUMNS="80")
    env.update(MLCAREER_HOME=str(home), MLCAREER_CACHE_DIR=str(cache))
    env.pop("MLCAREER_DEBUG", None)
    return env


def run(args: list[str], env: dict[str, str], stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*MLCAREER, *args], input=stdin, capture_output=True, text=True, env=env, cwd=ROOT,
        timeout=120,
    )  # fmt: skip


def parse(path: Path) -> Any:
    """The JSON in `path`, or None when it is missing or does not parse."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def in_progress(home: Path) -> dict[str, Any] | None:
    data = parse(home / "in-progress.json")
    return data if isinstance(data, dict) else None


def finished(home: Path) -> list[dict[str, Any]]:
    """The finished assessments in history, in file-name (number) order."""
    found = [parse(p) for p in sorted((home / "history").glob("*.json"))]
    return [d for d in found if isinstance(d, dict) and d.get("finished")]


def acknowledged(home: Path, k: int, total: int) -> bool:
    """Answer k is acknowledged once the saved quiz is past it: that save comes just before the
    next question is printed. The last one, once it is past it or in a finished assessment."""
    progress = in_progress(home)
    if progress is not None and progress.get("position", 0) >= k:
        return True
    return k == total and bool(finished(home))


def wait_for(home: Path, k: int, total: int, proc: subprocess.Popen[str]) -> None:
    wait_until(lambda: acknowledged(home, k, total), proc, f"answer {k} saved")


def wait_until(done: Callable[[], bool], proc: subprocess.Popen[str], what: str) -> None:
    deadline = time.monotonic() + WAIT
    while not done():
        if proc.poll() is not None:
            raise RuntimeError(f"assess exited ({proc.returncode}) before {what}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"not {what} after {WAIT:.0f} s")
        time.sleep(0.001)


def start(env: dict[str, str], log: IO[str]) -> subprocess.Popen[str]:
    """An interactive quiz reading its answers from a pipe, one per line."""
    return subprocess.Popen(
        ASSESS, stdin=subprocess.PIPE, stdout=log, stderr=log, env=env, cwd=ROOT, text=True
    )


def feed(proc: subprocess.Popen[str], answer: str) -> None:
    assert proc.stdin is not None
    proc.stdin.write(answer + "\n")
    proc.stdin.flush()


def value(answer: str) -> int | None:
    """The level an answer line saves: `s` skips (null)."""
    return None if answer == "s" else int(answer)


def skill_order(folder: Path) -> list[str]:
    """The skills of the quiz in the order asked: a run given every answer at once."""
    env = environment(folder / "home", folder / "cache")
    result = subprocess.run(
        ASSESS, input="2\n" * 1000, capture_output=True, text=True, env=env, cwd=ROOT,
        timeout=120,
    )  # fmt: skip
    done = finished(folder / "home")
    if result.returncode != 0 or not done:
        tail = result.stderr[-800:]
        raise RuntimeError(f"the reference quiz failed ({result.returncode}): {tail}")
    return list(done[-1]["answers"])


def snapshot(folder: Path, skip: str = ".filler") -> dict[str, bytes]:
    """Every file under `folder` (but `skip`) by relative path, with its bytes."""
    found: dict[str, bytes] = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if relative.parts[0] != skip and path.is_file():
            found[str(relative)] = path.read_bytes()
    return found


def corrupt(files: dict[str, bytes]) -> list[str]:
    """The .json files that do not parse (half-written, or an empty reserved name)."""
    bad = []
    for name, data in files.items():
        if name.endswith(".json"):
            try:
                json.loads(data.decode("utf-8"))
            except ValueError:
                bad.append(f"{name} ({len(data)} B)")
    return bad


@contextmanager
def tmpfs(size: str = "256k", inodes: int = 400) -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="mlcareer-full-"))
    try:
        options = f"size={size},nr_inodes={inodes},mode=700"
        subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)],
                       check=True, capture_output=True, text=True)  # fmt: skip
        try:
            yield folder
        finally:
            if subprocess.run(["umount", str(folder)], capture_output=True).returncode:
                subprocess.run(["umount", "-l", str(folder)], capture_output=True)
    finally:
        folder.rmdir()


def cannot_mount() -> str | None:
    """Why this machine cannot run the script, or None."""
    if os.geteuid() != 0:
        return "not root"
    try:
        with tmpfs():
            return None
    except (OSError, subprocess.CalledProcessError) as error:
        return f"mount -t tmpfs failed: {getattr(error, 'stderr', '') or error}".strip()


def fill(mount: Path, how: Fill) -> None:
    """Fill the tmpfs, then free `how[1]` pages (a filler file) or inodes (empty files)."""
    filler = mount / ".filler"
    filler.mkdir(exist_ok=True)
    kind, free = how
    names: list[Path] = []
    try:
        if kind == "pages":
            with open(filler / "blob", "ab", buffering=0) as blob:
                while True:
                    blob.write(b"\0" * PAGE)
        while True:
            names.append(filler / f"i{len(names)}")
            names[-1].touch()
    except OSError as error:
        if error.errno != errno.ENOSPC:
            raise
    if kind == "pages":
        blob_path = filler / "blob"
        os.truncate(blob_path, max(0, (blob_path.stat().st_size // PAGE - free) * PAGE))
    else:
        for path in names[-1 - free : -1]:
            path.unlink()
