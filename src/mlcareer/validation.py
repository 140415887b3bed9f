"""Validate a knowledge base's two YAML files: syntax, schema, references and the roadmap's graph.

Every problem is reported as `FILE:LINE:COL: message`, and all of them at once, so that an author
can fix a file in one pass. `kb.load` calls this only when the cache does not already hold the KB.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from pydantic import BaseModel, ValidationError

from mlcareer import safeyaml
from mlcareer.errors import DataError, Problem
from mlcareer.models import KnowledgeBase, RoadmapFile, SkillsFile

_SINGULAR = {
    "skills": "skill",
    "roles": "role",
    "steps": "step",
    "categories": "category",
    "sources": "source",
}

M = TypeVar("M", bound=BaseModel)
File = tuple[str, bytes]  # the name shown in messages, and what the file holds


class _HasId(Protocol):
    @property
    def id(self) -> str: ...


def validate(skills_file: File, roadmap_file: File) -> KnowledgeBase:
    """The cross-checked KB that the two files hold; `DataError` listing every problem."""
    problems: list[Problem] = []
    skills_doc, roadmap_doc = (_parse(file, problems) for file in (skills_file, roadmap_file))
    skills = _validate(SkillsFile, skills_doc, problems) if skills_doc else None
    roadmap = _validate(RoadmapFile, roadmap_doc, problems) if roadmap_doc else None
    if skills is None or roadmap is None or skills_doc is None or roadmap_doc is None:
        raise DataError(problems)
    checker = _Checker(skills, roadmap, skills_doc, roadmap_doc, problems)
    checker.run()
    if problems:
        raise DataError(problems)
    roadmap = checker.roadmap = _with_levels(roadmap)  # levels are checked once all resolve
    checker.check_levels()
    if problems:
        raise DataError(problems)
    return KnowledgeBase(skills, roadmap)


def _with_levels(roadmap: RoadmapFile) -> RoadmapFile:
    """Read the older `skills: [ids]` as developing each skill to the highest target of any role."""
    if all(step.develops for step in roadmap.steps):
        return roadmap
    highest: dict[str, int] = {}
    for role in roadmap.roles:
        for skill_id, target in role.targets.items():
            highest[skill_id] = max(highest.get(skill_id, 0), target)
    steps = tuple(
        step
        if step.develops
        else step.model_copy(
            update={"develops": {s: max(1, highest.get(s, 0)) for s in step.skills}, "skills": ()}
        )
        for step in roadmap.steps
    )
    return roadmap.model_copy(update={"steps": steps})


def _parse(file: File, problems: list[Problem]) -> safeyaml.Document | None:
    name, raw = file
    try:
        return safeyaml.parse(safeyaml.decode(raw, name), name)
    except DataError as error:
        problems.extend(error.problems)
        return None


def _validate(model: type[M], doc: safeyaml.Document, problems: list[Problem]) -> M | None:
    if not isinstance(doc.data, dict):
        fields = ", ".join(model.model_fields)
        found = "a list" if isinstance(doc.data, list) else "a single value"
        problems.append(
            doc.problem((), f"expected a mapping with the keys {fields}; found {found}")
        )
        return None
    try:
        return model.model_validate(doc.data)
    except ValidationError as error:
        problems.extend(pydantic_problems(error, doc))
        return None


def pydantic_problems(error: ValidationError, doc: safeyaml.Document) -> list[Problem]:
    """Turn pydantic's errors into located problems, one per field."""
    problems = []
    for detail in error.errors():
        loc = tuple(detail["loc"])
        on_key = detail["type"] == "extra_forbidden"
        if loc and loc[-1] == "[key]":
            loc, on_key = loc[:-1], True
        message = detail["msg"]
        if detail["type"] == "value_error":
            message = message.removeprefix("Value error, ")
        problems.append(doc.problem(loc, f"{describe(loc, doc.data)}: {message}", key=on_key))
    return problems


def describe(loc: Sequence[Any], data: Any) -> str:
    """`skills[3].levels` reads better as `skill 'python': levels`."""
    head, full, start = "", tuple(loc), 0
    if len(loc) >= 2 and loc[0] in _SINGULAR and isinstance(loc[1], int):
        item = _get(data, loc[:2])
        name = item.get("id") if isinstance(item, dict) else None
        head = f"{_SINGULAR[str(loc[0])]} {name!r}" if isinstance(name, str) else ""
        if head:
            loc, start = loc[2:], 2
    rest = ""
    for n, part in enumerate(loc):
        in_list = isinstance(part, int) and isinstance(_get(data, full[: start + n]), list)
        rest += f"[{part}]" if in_list else f".{part}" if rest else str(part)
    if head and rest:
        return f"{head}: {rest}"
    return head or rest or "file"


def _get(data: Any, path: Iterable[Any]) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


@dataclass
class _Checker:
    """The checks that need more than one field: ids, references and the roadmap's graph."""

    skills: SkillsFile
    roadmap: RoadmapFile
    skills_doc: safeyaml.Document
    roadmap_doc: safeyaml.Document
    problems: list[Problem]

    def run(self) -> None:
        self._unique_ids()
        categories = {c.id for c in self.skills.categories}
        sources = {s.id for s in self.skills.sources}
        skill_ids = {s.id for s in self.skills.skills}
        step_ids = {s.id for s in self.roadmap.steps}
        for i, skill in enumerate(self.skills.skills):
            where = ("skills", i)
            self._ref(self.skills_doc, (*where, "category"), skill.category, categories, "category")
            for j, source in enumerate(skill.sources):
                self._ref(self.skills_doc, (*where, "sources", j), source, sources, "source")
        for i, role in enumerate(self.roadmap.roles):
            for skill_id in role.targets:
                target = ("roles", i, "targets", skill_id)
                self._ref(self.roadmap_doc, target, skill_id, skill_ids, "skill", key=True)
        for i, step in enumerate(self.roadmap.steps):
            for j, required in enumerate(step.requires):
                path = ("steps", i, "requires", j)
                self._ref(self.roadmap_doc, path, required, step_ids, "step")
            for j, skill_id in enumerate(step.skills):
                self._ref(self.roadmap_doc, ("steps", i, "skills", j), skill_id, skill_ids, "skill")
            for skill_id in step.develops:
                developed = ("steps", i, "develops", skill_id)
                self._ref(self.roadmap_doc, developed, skill_id, skill_ids, "skill", key=True)
            for j, source in enumerate(step.sources):
                self._ref(self.roadmap_doc, ("steps", i, "sources", j), source, sources, "source")
        self._acyclic()

    def check_levels(self) -> None:
        """No step requires a route or a habit, and along `requires` no skill's level falls."""
        steps = self.roadmap.steps
        by_id = {s.id: s for s in steps}
        for i, step in enumerate(steps):
            for j, required in enumerate(step.requires):
                kind = by_id[required].kind
                if kind != "step":
                    message = (
                        f"step {step.id!r}: requires {required!r}, which is a {kind}; "
                        "only steps can be required (a route or habit is never on the way)"
                    )
                    self.problems.append(
                        self.roadmap_doc.problem(("steps", i, "requires", j), message)
                    )
        from mlcareer.planner import prerequisite_levels

        reached = prerequisite_levels(steps)
        for i, step in enumerate(steps):
            for skill_id, level in step.develops.items():
                before, via = reached[step.id].get(skill_id, (0, ""))
                if level < before:
                    message = (
                        f"step {step.id!r}: develops {skill_id} to {level}, below the {before} "
                        f"that its prerequisite {via!r} already reaches"
                    )
                    where = ("steps", i, "develops", skill_id)
                    self.problems.append(self.roadmap_doc.problem(where, message))

    def _unique_ids(self) -> None:
        """Ids are unique within their kind: a category and a skill may share one."""
        collections: list[tuple[safeyaml.Document, str, Sequence[_HasId]]] = [
            (self.skills_doc, "sources", self.skills.sources),
            (self.skills_doc, "categories", self.skills.categories),
            (self.skills_doc, "skills", self.skills.skills),
            (self.roadmap_doc, "roles", self.roadmap.roles),
            (self.roadmap_doc, "steps", self.roadmap.steps),
        ]
        for doc, name, items in collections:
            seen: dict[str, tuple[safeyaml.Document, str, int]] = {}
            for i, item in enumerate(items):
                if item.id not in seen:
                    seen[item.id] = (doc, name, i)
                    continue
                first_doc, first_name, first_i = seen[item.id]
                line, _ = first_doc.locate((first_name, first_i, "id"))
                first = f"the {_SINGULAR[first_name]} on line {line} of {first_doc.file}"
                message = f"duplicate id {item.id!r}: already used by {first}"
                self.problems.append(doc.problem((name, i, "id"), message))

    def _ref(
        self,
        doc: safeyaml.Document,
        path: tuple[Any, ...],
        value: str,
        known: set[str],
        kind: str,
        *,
        key: bool = False,
    ) -> None:
        if value not in known:
            message = f"{describe(path, doc.data)}: unknown {kind} {value!r}"
            self.problems.append(doc.problem(path, message, key=key))

    def _acyclic(self) -> None:
        """Find cycles in `requires` with an iterative depth-first search (KBs can be deep)."""
        requires = {s.id: s.requires for s in self.roadmap.steps}
        index = {s.id: i for i, s in enumerate(self.roadmap.steps)}
        done: set[str] = set()
        for start in requires:
            if start in done:
                continue
            path: list[str] = [start]
            on_path = {start}
            pending = [iter(requires[start])]
            while pending:
                nxt = next(pending[-1], None)
                if nxt is None:
                    finished = path.pop()
                    on_path.discard(finished)
                    done.add(finished)
                    pending.pop()
                elif nxt in on_path:
                    cycle = [*path[path.index(nxt) :], nxt]
                    where = ("steps", index[nxt], "requires")
                    message = f"the roadmap has a cycle: {' -> '.join(cycle)}"
                    self.problems.append(self.roadmap_doc.problem(where, message))
                elif nxt in requires and nxt not in done:
                    path.append(nxt)
                    on_path.add(nxt)
                    pending.append(iter(requires[nxt]))
