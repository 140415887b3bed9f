"""A full data folder: every command says what was and was not saved, and loses nothing.

Run as root from the repository root: `.venv/bin/python faults/fulldisk.py [-v]`. Each run
mounts a small tmpfs, puts MLCAREER_HOME on it, fills it (a filler file leaving N pages, or empty
files leaving N inodes: both end in ENOSPC) at a chosen moment, runs one command and checks:
exit 0, or 1 with the message that says what was kept; no traceback; every acknowledged answer
on disk; every .json parses; no temporary file left; every file that existed before unchanged
unless the command replaced it atomically and succeeded. Without root or `mount -t tmpfs` it
says why and exits 0. Exit 1 when any run fails.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from common import (
    Fill,
    cannot_mount,
    corrupt,
    environment,
    feed,
    fill,
    finished,
    in_progress,
    run,
    skill_order,
    snapshot,
    start,
    tmpfs,
    value,
    wait_for,
    wait_until,
)

SAVE = ("cannot save to", "the answer just given is not saved")
FINISH = ("cannot save the assessment in", "your answers are kept in")


@dataclass(frozen=True)
class Context:
    skills: list[str]
    cache: Path  # outside the tmpfs, shared by the runs: the cache is not what is tested

    @property
    def given(self) -> list[str]:
        return [("0", "1", "2", "3", "4", "s")[i % 6] for i in range(len(self.skills))]

    def kept(self, answers: dict[str, object], count: int) -> int:
        """How many of the first `count` answers `answers` holds with the value given."""
        pairs = zip(self.skills[:count], self.given, strict=False)
        return sum(s in answers and answers[s] == value(a) for s, a in pairs)


@dataclass
class Run:
    name: str
    rc: int
    err: str
    before: dict[str, bytes]
    after: dict[str, bytes]
    phrases: tuple[tuple[str, ...], ...]  # on exit 1, stderr holds all of one of these
    acked: int = 0
    on_disk: int = 0
    may_change: set[str] = field(default_factory=set)  # replaced (atomically) or removed
    may_create: set[str] = field(default_factory=set)


@dataclass
class Tally:
    runs: int = 0
    codes: Counter[str] = field(default_factory=Counter)
    acked: int = 0
    on_disk: int = 0
    failures: list[str] = field(default_factory=list)


def kind(r: Run) -> str:
    """The message a run ended with: `ok`, the first phrase of the set found, or `?`."""
    if r.rc == 0:
        return "ok"
    return next((p[0] for p in r.phrases if all(x in r.err for x in p)), "?")


def judge(r: Run, tally: Tally) -> list[str]:
    bad = [] if r.rc in (0, 1) else [f"exit {r.rc}"]
    bad += ["Traceback"] if "Traceback" in r.err else []
    bad += [f"no expected message: {r.err.strip()[-300:]!r}"] if kind(r) == "?" else []
    bad += [f"{f} does not parse" for f in corrupt(r.after)]
    bad += [f"{f} left behind" for f in r.after if f.endswith(".tmp")]
    bad += [
        f"{f} changed" for f in r.before if f not in r.may_change and r.after.get(f) != r.before[f]
    ]
    bad += [f"{f} created" for f in sorted(r.after.keys() - r.before.keys() - r.may_create)]
    bad += [f"{r.acked} acknowledged, {r.on_disk} on disk"] if r.on_disk < r.acked else []
    tally.runs += 1
    tally.codes[f"exit {r.rc} {kind(r)!r}"] += 1
    tally.acked, tally.on_disk = tally.acked + r.acked, tally.on_disk + r.on_disk
    tally.failures += [f"{r.name}: {b}" for b in bad]
    return bad


def quiz(ctx: Context, k: int, how: Fill, full_at_start: bool = False) -> Run:
    """Answer k-1 questions, fill the disk (or fill it first), give answer k, end the input."""
    total, given = len(ctx.skills), ctx.given
    with tmpfs() as mount, tempfile.TemporaryDirectory() as tmp:
        home, log = mount / "home", Path(tmp) / "err"
        home.mkdir()
        if full_at_start:
            fill(mount, how)
        before = snapshot(mount)
        with open(log, "w") as err:
            proc = start(environment(home, ctx.cache), err)
            try:
                if not full_at_start:  # fill once the quiz holds its lock (for k = 1)
                    lock = home / "in-progress.lock"
                    wait_until(lambda: lock.exists() and lock.stat().st_size > 0, proc, "lock")
                for i in range(1, k):
                    feed(proc, given[i - 1])
                    wait_for(home, i, total, proc)
                if not full_at_start:
                    fill(mount, how)
                    before = snapshot(mount)
                feed(proc, given[k - 1])
                assert proc.stdin is not None
                proc.stdin.close()
                rc = proc.wait(timeout=120)
            finally:
                proc.kill()
                proc.wait()
        text, after = log.read_text(), snapshot(mount)
        saved = (finished(home) or [in_progress(home) or {}])[-1].get("answers", {})
    name = f"quiz answer {k}/{total}, {how[1]} {how[0]} free{' at start' * full_at_start}"
    kept = "the answers saved before it are kept there" if k > 1 else "no answer is saved"
    run_ = Run(name, rc, text, before, after, ((*SAVE, kept), FINISH, ("error: cannot",)))
    run_.acked = k - 1 if rc and FINISH[0] not in text else k
    run_.on_disk = ctx.kept(saved, run_.acked)
    run_.may_create = {"home/in-progress.lock"}
    if rc == 0 or FINISH[0] in text:  # the answer was saved: in-progress.json replaced
        run_.may_change = {"home/in-progress.json"}
    if rc == 0:
        run_.may_create |= {f for f in after if f.startswith("home/history/")}
    return run_


PHRASES = {
    "assess": (("cannot save the assessment in", "nothing was saved"),
               ("Assessment saved to", "cannot write")),
    "roadmap": (("cannot save", "nothing was changed"),),
    "report": (("cannot write",),),
}  # fmt: skip


def command(
    ctx: Context, args: list[str], how: Fill, setup: list[list[str]], old: bytes | None
) -> Run:
    """`setup` commands on a roomy disk (`{m}` in them is the mount), then fill it and run
    `args`. `old`: the content of `{m}/out.md` before, None for no such file."""
    answers = {
        "role": "ml-engineer",
        "answers": {s: value(a) for s, a in zip(ctx.skills, ctx.given, strict=True)},
    }
    with tmpfs() as mount:
        env = environment(mount / "home", ctx.cache)
        (mount / "answers.json").write_text(json.dumps(answers))
        if old is not None:
            (mount / "out.md").write_bytes(old)
        for step in setup:
            done = run([a.format(m=mount) for a in step], env)
            if done.returncode:
                raise RuntimeError(f"{args}: setup {step} failed: {done.stderr[-300:]}")
        fill(mount, how)
        before = snapshot(mount)
        result = run([a.format(m=mount) for a in args], env)
        after = snapshot(mount)
        history = finished(mount / "home")
    name = " ".join(args[:2] + args[3:4]) + f" ({len(setup)} before{', old out.md' * bool(old)})"
    r = Run(f"{name}, {how[1]} {how[0]} free", result.returncode, result.stderr, before, after,
            PHRASES[args[0]])  # fmt: skip
    new = after.keys() - before.keys()
    said = {f for f in new if re.search(f"(saved|written) to {re.escape(f'{mount}/{f}')}", r.err)}
    r.may_create = new if r.rc == 0 else said  # on failure, only files it says it wrote
    if r.rc == 0:
        r.may_change = {"out.md", *(f for f in after if "completed-steps" in f)}
    if args[0] == "assess" and (r.rc == 0 or "Assessment saved to" in r.err):
        r.acked = len(ctx.skills)  # said saved: every answer must be in history
        r.on_disk = ctx.kept(history[-1]["answers"], r.acked) if history else 0
    return r


PAGES = [("pages", n) for n in (0, 1, 2)]
INODES = [("inodes", n) for n in (0, 1, 2, 3)]


def runs(ctx: Context) -> Iterator[Callable[[], Run]]:
    """The runs, each to be called: one that cannot even be set up fails alone."""
    total = len(ctx.skills)
    for k, how in [(1, ("pages", 0)), (2, ("pages", 0)), (total // 2, ("inodes", 0))]:
        yield partial(quiz, ctx, k, how)
    for how in [*PAGES, *INODES]:
        yield partial(quiz, ctx, total, how)  # the last answer, then finishing
    for how in [("pages", 0), ("inodes", 0), ("inodes", 1)]:
        yield partial(quiz, ctx, 1, how, full_at_start=True)
    answers = ["assess", "--answers", "{m}/answers.json"]
    done = ["roadmap", "done", "programming-foundations"]
    marked = ["roadmap", "done", "math-foundations"]
    report = ["report", "-o", "{m}/out.md"]
    few = [("pages", 0), ("inodes", 0), ("inodes", 1)]
    cases: list[tuple[list[str], Fill, list[list[str]], bytes | None]]
    cases = [(answers, h, e, None) for e in ([], [answers]) for h in [*PAGES, *INODES]]
    cases += [([*answers, "--export", "{m}/out.md"], ("pages", n), [], None) for n in (1, 2, 4, 6)]
    cases += [(done, h, e, None) for e in ([], [marked]) for h in few]
    cases += [(report, h, [answers], o) for o in (None, b"old\n") for h in [*PAGES, ("inodes", 0)]]
    for args, how, setup, old in cases:
        yield partial(command, ctx, args, how, setup, old)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="a line per run")
    args = parser.parse_args()
    reason = cannot_mount()
    if reason:
        print(f"fulldisk: skipped: {reason}")
        return 0
    tally = Tally()
    with tempfile.TemporaryDirectory(prefix="mlcareer-full-") as tmp:
        ctx = Context(skill_order(Path(tmp) / "all"), Path(tmp) / "cache")
        for job in runs(ctx):
            try:
                r = job()
            except (RuntimeError, OSError, subprocess.SubprocessError) as error:
                tally.runs += 1
                tally.failures.append(f"{job}: {error}"[-600:])
                print(tally.failures[-1], flush=True)
                continue
            bad = judge(r, tally)
            if args.verbose or bad:
                print(f"{r.name}: exit {r.rc}; {'; '.join(bad) or 'ok'}", flush=True)
    for failure in tally.failures:
        print("FAIL", failure)
    codes = ", ".join(f"{k} {v}" for k, v in sorted(tally.codes.items()))
    print(f"runs {tally.runs}; {codes}; acknowledged {tally.acked} = on disk {tally.on_disk}; "
          f"failures {len(tally.failures)}")  # fmt: skip
    return 1 if tally.failures else 0


if __name__ == "__main__":
    sys.exit(main())
