"""The knowledge base itself: `mlcareer validate`, `skills`, `roles` and `schema`."""

from __future__ import annotations

from typing import Annotated

import typer

from mlcareer.cli import complete
from mlcareer.cli.common import (
    Format,
    FormatOption,
    KbFile,
    KbOption,
    Kind,
    friendly,
    load_kb,
    plural,
    print_json,
    say,
    show,
)
from mlcareer.errors import UsageError


@friendly
def validate(kb: KbOption = None) -> None:
    """Check a knowledge base; every problem as FILE:LINE:COL."""
    from mlcareer.kb import overview

    found = overview(kb)
    counts = [
        plural(found.hard_skills, "hard skill"),
        plural(found.soft_skills, "soft skill"),
        plural(found.categories, "category", "categories"),
        plural(found.checks, "knowledge check"),
        plural(found.roles, "role"),
        plural(found.steps, "roadmap step"),
    ]
    say(f"ok: {', '.join(counts)}")
    for short in found.shortfalls:
        reach = f"steps reach {short.best} at most" if short.best else "no step develops it"
        say(
            f"warning: role {short.role!r} targets {short.skill} at {short.target}, but {reach} "
            "(routes and habits aside): reports will call it not covered",
            err=True,
        )


@friendly
def skills(
    kind: Annotated[Kind | None, typer.Option(help="Only hard or only soft skills.")] = None,
    category: Annotated[
        str | None,
        typer.Option(
            help="Only the skills of this category id.",
            show_default=False,
            autocompletion=complete.categories,
        ),
    ] = None,
    fmt: FormatOption = Format.text,
    kb: KbOption = None,
) -> None:
    """List the skills of the knowledge base."""
    knowledge = load_kb(kb)
    if category is not None and category not in knowledge.category:
        known = ", ".join(knowledge.category)
        raise UsageError(f"unknown category {category!r}; choose one of: {known}")
    chosen = [
        s
        for s in knowledge.skills
        if (kind is None or s.kind == kind.value) and (category is None or s.category == category)
    ]
    if fmt is Format.json:
        fields = {"id", "name", "kind", "category", "weight", "description"}
        print_json([s.model_dump(include=fields) for s in chosen])
        return
    from mlcareer.render.terminal import skills_table

    show(skills_table(knowledge, chosen))


@friendly
def roles(fmt: FormatOption = Format.text, kb: KbOption = None) -> None:
    """List the target roles, with salary context."""
    knowledge = load_kb(kb)
    if fmt is Format.json:
        print_json(
            [
                {
                    **r.model_dump(include={"id", "name", "summary", "salary"}),
                    "targets": {s: n for s, n in r.targets.items() if n > 0},
                }
                for r in knowledge.roles
            ]
        )
        return
    from mlcareer.render.terminal import roles_view

    show(roles_view(knowledge.roles))


@friendly
def schema(
    file: Annotated[KbFile, typer.Argument(help="Which knowledge-base file.")],
) -> None:
    """Print the JSON Schema of a knowledge-base file.

    Point your editor at it to get completion and checking while you write skills.yaml or
    roadmap.yaml.
    """
    from mlcareer.models import RoadmapFile, SkillsFile

    model = SkillsFile if file is KbFile.skills else RoadmapFile
    document = model.model_json_schema()
    document["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    document["title"] = f"mlcareer {file.value}.yaml"
    print_json(document)
