"""A validated knowledge base as JSON, and back into models without validating again.

The cache (`cache.py`) stores what `encode` writes and gives `decode` only a payload whose hash
it recorded. Nothing here can run code: `json` builds only strings, numbers, lists and dicts, and
the models are filled from them field by field.
"""

from __future__ import annotations

import json
import types
import typing
from collections.abc import Callable
from functools import cache
from typing import Any, Literal, cast, get_args, get_origin

from pydantic import BaseModel

from mlcareer.models import KnowledgeBase, RoadmapFile, SkillsFile

Convert = Callable[[Any], Any]


def encode(knowledge: KnowledgeBase) -> bytes:
    body = {
        "skills_file": knowledge.skills_file.model_dump(mode="json"),
        "roadmap_file": knowledge.roadmap_file.model_dump(mode="json"),
    }
    text = json.dumps(body, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return text.encode("utf-8")


def decode(payload: bytes) -> KnowledgeBase:
    body = json.loads(payload)
    if type(body) is not dict or body.keys() != {"skills_file", "roadmap_file"}:
        raise ValueError("not a cached knowledge base")
    skills = cast(SkillsFile, _builder(SkillsFile)(body["skills_file"]))
    roadmap = cast(RoadmapFile, _builder(RoadmapFile)(body["roadmap_file"]))
    return KnowledgeBase(skills, roadmap)


# Rebuilding models from JSON. The payload is what `model_dump` wrote for models that had passed
# validation, and its hash matched: validating it again would cost more than the cache saves. Each
# model gets exactly its fields (a missing or extra key is a miss), lists become the tuples the
# models hold, and dict keys that are numbers (`levels`) become numbers again.


@cache
def _builder(model: type[BaseModel]) -> Convert:
    names = model.__pydantic_fields__.keys()
    converts = [
        (name, convert)
        for name, info in model.__pydantic_fields__.items()
        if (convert := _converter(info.annotation)) is not None
    ]
    all_set = set(names)  # shared: frozen models never change it, `model_copy` copies it first
    new, set_attribute = object.__new__, object.__setattr__

    def build(data: Any) -> BaseModel:
        if type(data) is not dict or data.keys() != names:
            raise ValueError(f"not a {model.__name__}")
        for name, convert in converts:
            data[name] = convert(data[name])
        obj = new(model)
        set_attribute(obj, "__dict__", data)
        set_attribute(obj, "__pydantic_fields_set__", all_set)
        set_attribute(obj, "__pydantic_extra__", None)
        set_attribute(obj, "__pydantic_private__", None)
        return obj

    return build


def _converter(annotation: Any, *, key: bool = False) -> Convert | None:
    """What turns the JSON form of a value of this type back into it; None when it is the same."""
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is typing.Annotated:
        return _converter(args[0], key=key)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return _builder(annotation)
    if origin is tuple:
        return _tuple_of(_converter(args[0]))
    if origin is dict:
        return _dict_of(_converter(args[0], key=True), _converter(args[1]))
    if origin is Literal:
        return int if key and all(type(a) is int for a in args) else None
    if origin in (typing.Union, types.UnionType):
        inner = [_converter(a) for a in args if a is not type(None)]
        if all(c is None for c in inner):
            return None
        if len(inner) == 1 and type(None) in args:
            return _optional(inner[0])
    if annotation in (str, int, float, bool, type(None)) or origin is Literal:
        return None
    # A kind of field this code does not know: every load is then a miss, which the round-trip
    # tests in test_cache.py catch.
    raise TypeError(f"the cache cannot rebuild {annotation!r}")


def _tuple_of(item: Convert | None) -> Convert:
    def convert(value: Any) -> tuple[Any, ...]:
        if type(value) is not list:
            raise ValueError("expected a list")
        return tuple(value) if item is None else tuple(map(item, value))

    return convert


def _dict_of(key: Convert | None, value: Convert | None) -> Convert:
    def convert(data: Any) -> dict[Any, Any]:
        if type(data) is not dict:
            raise ValueError("expected a mapping")
        if key is None and value is None:
            return data
        keys = data.keys() if key is None else map(key, data.keys())
        values = data.values() if value is None else map(value, data.values())
        return dict(zip(keys, values, strict=True))

    return convert


def _optional(inner: Convert | None) -> Convert:
    def convert(value: Any) -> Any:
        return None if value is None or inner is None else inner(value)

    return convert
