"""kill -9 at random points of an interactive quiz; no acknowledged answer may be lost.

Run from the repository root: `.venv/bin/python faults/kill9.py [--trials 40] [--seed 1]`.
Each trial takes a fresh data and cache folder, pipes answers to `mlcareer assess --role
ml-engineer --no-checks` one line at a time and kills the process (SIGKILL) at a random moment:
right after an answer is written, a few milliseconds later (during its save), while it waits for
the next answer, or while it finishes. An answer is *acknowledged* once in-progress.json records
the quiz past it (its `position`): that save comes just before the next question is printed, so
it is what a person sees. Then every acknowledged answer must be on disk with the value given,
every .json file must parse, and `assess` run again (y, the remaining answers) must finish with
every answer. Stray `.tmp` files are counted (allowed: they are removed after an hour).
Exit 1 on any loss, corruption or failed resume.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from common import (
    ASSESS,
    ROOT,
    WAIT,
    corrupt,
    environment,
    feed,
    finished,
    in_progress,
    skill_order,
    snapshot,
    start,
    value,
    wait_for,
)

CHOICES = ("0", "1", "2", "3", "4", "s")
MODES = ("written", "saving", "idle", "finish")


@dataclass
class Tally:
    trials: int = 0
    acknowledged: int = 0
    on_disk: int = 0
    lost: int = 0
    corrupt: int = 0
    tmp: int = 0
    resumed: int = 0
    states: dict[str, int] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)


def finishing_time(folder: Path, total: int) -> float:
    """How long `assess` takes from the last answer to its exit (answered one by one)."""
    env = environment(folder / "home", folder / "cache")
    with open(folder / "log", "w") as log:
        proc = start(env, log)
        for k in range(1, total + 1):
            feed(proc, "2")
            began = time.monotonic()
            wait_for(folder / "home", k, total, proc)
        proc.wait(timeout=WAIT)
    return time.monotonic() - began


def check_files(folder: Path, tally: Tally, name: str) -> None:
    """Every .json file of the data folder parses (none is half-written); count stray temporary
    files there and in the cache (whose files check themselves: a bad one is rebuilt)."""
    files = snapshot(folder / "home")
    bad = corrupt(files)
    tally.corrupt += len(bad)
    tally.failures += [f"{name}: {b} does not parse" for b in bad]
    tally.tmp += sum(1 for f in [*files, *snapshot(folder / "cache")] if f.endswith(".tmp"))


def kill_at(mode: str, rng: random.Random, window: float) -> float:
    """Seconds to wait before the kill. Finishing saves history first, then shows the report:
    half the finish trials aim at its first 50 ms, where the history file is written."""
    if mode == "finish":
        return rng.uniform(0, window if rng.random() < 0.5 else min(window, 0.05))
    return {"written": 0.0, "saving": rng.uniform(0, 0.01)}.get(mode, rng.uniform(0, 0.05))


def trial(n: int, rng: random.Random, skills: list[str], window: float, tally: Tally) -> None:
    total, mode = len(skills), MODES[n % len(MODES)]
    given = [rng.choice(CHOICES) for _ in skills]
    stop = total if mode == "finish" else rng.randint(1, total)
    name = f"trial {n + 1} ({mode}, answer {stop})"
    with tempfile.TemporaryDirectory(prefix="mlcareer-kill9-") as tmp:
        folder = Path(tmp)
        home = folder / "home"
        with open(folder / "log", "w") as log:
            proc = start(environment(home, folder / "cache"), log)
            acked = 0
            try:
                for k in range(1, stop + 1):
                    feed(proc, given[k - 1])
                    if k < stop or mode == "idle":
                        wait_for(home, k, total, proc)
                        acked = k
                time.sleep(kill_at(mode, rng, window))
            finally:
                proc.kill()  # SIGKILL
                proc.wait()
        tally.trials += 1
        tally.acknowledged += acked
        check_answers(home, skills, given, acked, tally, name)
        check_files(folder, tally, name)
        resume(folder, skills, given, tally, name)


def check_answers(
    home: Path, skills: list[str], given: list[str], acked: int, tally: Tally, name: str
) -> None:
    done, progress = finished(home), in_progress(home)
    state = "+".join(s for s, d in (("history", done), ("in-progress", progress)) if d) or "none"
    tally.states[state] = tally.states.get(state, 0) + 1
    saved: dict[str, Any] = (done[-1] if done else progress or {}).get("answers", {})
    right = [s in saved and saved[s] == value(a) for s, a in zip(skills, given, strict=True)]
    kept = sum(right[:acked])
    wrong = [s for s, ok in zip(skills, right, strict=True) if s in saved and not ok]
    tally.on_disk += kept
    if kept < acked or wrong:
        tally.lost += acked - kept + len(wrong)
        tally.failures.append(f"{name}: {acked} acknowledged, {kept} on disk, wrong {wrong}")


def resume(folder: Path, skills: list[str], given: list[str], tally: Tally, name: str) -> None:
    """Run `assess` again: y to resume, then the answers from the saved position on."""
    home = folder / "home"
    progress = in_progress(home)
    if progress is None and finished(home):
        tally.resumed += 1  # killed after finishing: nothing left to resume
        return
    carry_on = progress is not None and bool(progress.get("answers"))
    position = int(progress.get("position", 0)) if progress and carry_on else 0
    lines = (["y"] if carry_on else []) + given[position:]
    run = subprocess.run(
        ASSESS, input="\n".join(lines) + "\n", capture_output=True, text=True,
        env=environment(home, folder / "cache"), cwd=ROOT, timeout=120,
    )  # fmt: skip
    done = finished(home)
    answers = done[-1].get("answers") if done else None
    expected = {s: value(a) for s, a in zip(skills, given, strict=True)}
    if run.returncode == 0 and answers == expected and "Traceback" not in run.stderr:
        tally.resumed += 1
    else:
        tail = run.stderr.strip().splitlines()[-1:] or ["(no stderr)"]
        tally.failures.append(f"{name}: resume exit {run.returncode}, {tail[0]}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=40)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("-v", "--verbose", action="store_true", help="a line per trial")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="mlcareer-kill9-") as tmp:
        skills = skill_order(Path(tmp) / "all")
        window = finishing_time(Path(tmp), len(skills))
    tally = Tally()
    for n in range(args.trials):
        before = len(tally.failures)
        try:
            trial(n, rng, skills, window, tally)
        except (RuntimeError, subprocess.TimeoutExpired) as error:
            tally.failures.append(f"trial {n + 1}: {error}")
        if args.verbose or len(tally.failures) > before:
            print(f"trial {n + 1}: {'; '.join(tally.failures[before:]) or 'ok'}", flush=True)
    for failure in tally.failures:
        print("FAIL", failure)
    states = ", ".join(f"{k} {v}" for k, v in sorted(tally.states.items()))
    print(f"state after the kill: {states}; finish takes {window:.2f} s")
    print(
        f"trials {tally.trials}, acknowledged answers {tally.acknowledged}, "
        f"on disk {tally.on_disk}, lost {tally.lost}, corrupt files {tally.corrupt}, "
        f"stray tmp {tally.tmp}, resumed {tally.resumed}/{args.trials}"
    )
    return 1 if tally.failures or tally.trials < args.trials else 0


if __name__ == "__main__":
    sys.exit(main())
