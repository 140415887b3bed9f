"""The roadmap: `mlcareer roadmap`, and marking steps done with `roadmap done` / `roadmap undo`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from mlcareer.cli import complete
from mlcareer.cli.common import (
    Format,
    FormatOption,
    KbOption,
    friendly,
    load_kb,
    plural,
    print_json,
    say,
    show,
)
from mlcareer.errors import UsageError

if TYPE_CHECKING:
    from mlcareer.analysis import GapReport
    from mlcareer.models import KnowledgeBase

roadmap_app = typer.Typer(
    name="roadmap",
    help="Show the roadmap and each step's status; mark steps you have done.",
    no_args_is_help=False,
    rich_markup_mode=None,
)

StepIds = Annotated[
    list[str],
    typer.Argument(
        metavar="STEP",
        help="Step ids (see `mlcareer roadmap`).",
        show_default=False,
        autocompletion=complete.steps,
    ),
]


def _latest(knowledge: KnowledgeBase) -> GapReport | None:
    """The report of the latest finished assessment, with the steps marked done; None if none."""
    from mlcareer import history, store
    from mlcareer.analysis import analyse

    finished = history.scan(knowledge).finished()
    if not finished:
        return None
    assessment = finished[-1].assessment
    role = knowledge.role.get(assessment.role or "")
    if role is None:
        return None
    return analyse(knowledge, assessment, role, marked=store.read_marks(knowledge))


@roadmap_app.callback(invoke_without_command=True)
@friendly
def roadmap(ctx: typer.Context, fmt: FormatOption = Format.text, kb: KbOption = None) -> None:
    """Show the roadmap steps in prerequisite order, with each one's status for your latest
    assessment: done, next, available or locked."""
    if ctx.invoked_subcommand is not None:
        return
    from mlcareer import store
    from mlcareer.planner import ordered_steps, statuses

    knowledge = load_kb(kb)
    steps = ordered_steps(knowledge)
    latest = _latest(knowledge)
    status = statuses(knowledge, latest.roadmap if latest else None, store.read_marks(knowledge))
    if fmt is Format.json:
        from mlcareer.render.json import step

        print_json([{**step(s), "status": status[s.id]} for s in steps])
        return
    from mlcareer.render.terminal import roadmap_table

    show(roadmap_table(knowledge, steps, status))
    if latest is not None:
        from mlcareer.render.text import one_line

        say(f"\nStatus for your latest assessment ({one_line(latest.role.name)}).")
        for s in latest.roadmap.rerate:
            say(f"Marked done, but your levels are below it: {s.id}. Re-rate with assess.")
    else:
        say("\nNo finished assessment yet: `mlcareer assess` adds next steps to this view.")


def _check_ids(knowledge: KnowledgeBase, ids: list[str]) -> None:
    unknown = [i for i in ids if i not in knowledge.step]
    if unknown:
        names = ", ".join(repr(i) for i in unknown)
        raise UsageError(
            f"unknown roadmap step {names}; the steps are: {', '.join(knowledge.step)}"
        )


@roadmap_app.command("done")
@friendly
def done(steps: StepIds, kb: KbOption = None) -> None:
    """Mark roadmap steps as done: a degree, an internship, a course you finished."""
    from mlcareer import store

    knowledge = load_kb(kb)
    _check_ids(knowledge, steps)
    marked = store.read_marks(knowledge)
    store.write_marks(knowledge, tuple(s.id for s in knowledge.steps if s.id in {*marked, *steps}))
    new = [s for s in dict.fromkeys(steps) if s not in marked]
    already = [s for s in dict.fromkeys(steps) if s in marked]
    if new:
        say(f"Marked done: {', '.join(new)}.")
    if already:
        say(f"Already marked done: {', '.join(already)}.")
    say("Your reports count them from now on; `mlcareer roadmap` shows the status.")


@roadmap_app.command("undo")
@friendly
def undo(steps: StepIds, kb: KbOption = None) -> None:
    """Take back steps marked done by mistake."""
    from mlcareer import store
    from mlcareer.planner import done_by_levels

    knowledge = load_kb(kb)
    _check_ids(knowledge, steps)
    marked = store.read_marks(knowledge)
    store.write_marks(knowledge, tuple(s for s in marked if s not in steps))
    removed = [s for s in dict.fromkeys(steps) if s in marked]
    if removed:
        say(f"No longer marked done: {', '.join(removed)}.")
    latest = _latest(knowledge)
    levels = {r.skill.id: r.checked_level for r in latest.skills} if latest else {}
    for step_id in dict.fromkeys(steps):
        if step_id in removed:
            continue
        if latest is not None and done_by_levels(knowledge.step[step_id], levels):
            say(
                f"{step_id} was not marked: it is done by the levels of your latest assessment. "
                "Re-rate those skills with `mlcareer assess` to change that."
            )
        else:
            say(f"{step_id} was not marked done.")
    say(f"{plural(len(marked) - len(removed), 'step')} marked done.")
