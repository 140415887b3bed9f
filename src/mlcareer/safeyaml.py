"""Read YAML safely, with every problem located as `FILE:LINE:COL`.

The document is built straight from the parser's events, without PyYAML's constructors: nothing but
plain scalars, lists and dicts can come out, and nesting depth, alias expansion and duplicate keys
are checked while reading, before anything big is built. This is also faster than `yaml.load`.
Positions are not kept on the fast path; `Document.locate` reads the file again to find them, which
only happens when there is a problem to report. Everything is a located problem, never an
exception: a character YAML refuses (NUL, ESC, C1 controls), a value its tag does not fit
(`!!int abc`), an integer beyond 18 digits, aliases that repeat more text than the file holds.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import yaml
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

from mlcareer import reading
from mlcareer.errors import DataError, Problem

MAX_BYTES = reading.MAX_BYTES
# Answers files and saved assessments. One answer takes ~40 bytes and a skill's two knowledge
# checks ~850 as saved: a KB of 10,000 skills (8,000 hard), every one answered and checked, is
# ~7 MB. Reading costs ~0.1 s and ~12 MB of memory per MiB, so this keeps a bad file cheap.
ASSESSMENT_MAX_BYTES = 8 * 1024 * 1024
MAX_DEPTH = 64
MAX_ALIAS_NODES = 100_000  # nodes that aliases may repeat in all: stops "billion laughs"
MIN_ALIAS_CHARS = 1024 * 1024  # aliases may repeat as much text as the file holds, or this
MAX_INT = 10**18 - 1  # no count, level, year or sum here needs more than 18 digits
MAX_NUMBER_CHARS = 64  # longer is a mistake, and slow to convert (int() is quadratic)

Key = str | int | float | bool | None
YamlPath = tuple[Key, ...]

try:  # libyaml's parser when present: fast, and it has no Python-level recursion
    from yaml import CSafeLoader as _Loader

    _BYTE_OFFSETS = True  # libyaml reads UTF-8: its reader errors give byte offsets
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

    _BYTE_OFFSETS = False

_resolver = Resolver()
_constructor = SafeConstructor()
_SCALARS = {
    "tag:yaml.org,2002:str": lambda node: node.value,
    # Dates stay text: a KB has no use for datetime objects.
    "tag:yaml.org,2002:timestamp": lambda node: node.value,
    "tag:yaml.org,2002:null": _constructor.construct_yaml_null,
    "tag:yaml.org,2002:bool": _constructor.construct_yaml_bool,
    "tag:yaml.org,2002:int": _constructor.construct_yaml_int,
    "tag:yaml.org,2002:float": _constructor.construct_yaml_float,
}
_KINDS = {
    "tag:yaml.org,2002:bool": "a true/false value",
    "tag:yaml.org,2002:int": "an integer",
    "tag:yaml.org,2002:float": "a number",
}


class _Fatal(Exception):
    """Reading cannot go on (syntax error, limit reached)."""

    def __init__(self, line: int, column: int, message: str) -> None:
        super().__init__(message)
        self.line, self.column, self.message = line, column, message


class _Pos(NamedTuple):
    value: tuple[int, int]
    key: tuple[int, int] | None = None


@dataclass
class _Frame:
    container: list[Any] | dict[Key, Any]
    path: YamlPath
    anchor: str | None
    key: Any = None
    has_key: bool = False
    key_mark: tuple[int, int] = (0, 0)
    key_lines: dict[Key, int] = field(default_factory=dict)


class _Built(NamedTuple):
    data: Any
    problems: list[tuple[int, int, str]]
    positions: dict[YamlPath, _Pos]


def _mark(event: yaml.Event) -> tuple[int, int]:
    mark = event.start_mark
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def _scalar(event: yaml.ScalarEvent, problems: list[tuple[int, int, str]]) -> Any:
    tag = event.tag
    if tag is None or tag == "!":
        tag = _resolver.resolve(yaml.ScalarNode, event.value, event.implicit)  # type: ignore[no-untyped-call]
    make = _SCALARS.get(tag)
    if make is None:
        problems.append((*_mark(event), f"unsupported YAML tag {tag!r}: use plain values"))
        return event.value
    value = event.value
    kind = _KINDS.get(tag)
    if kind is None:
        return make(yaml.ScalarNode(tag, value))
    if len(value) > MAX_NUMBER_CHARS:
        problems.append((*_mark(event), f"{_short(value)} is too long for {kind}"))
        return value
    try:  # `!!int abc` or `!!bool maybe`: PyYAML's constructors raise all sorts
        result = make(yaml.ScalarNode(tag, value))
    except (ValueError, KeyError, IndexError, TypeError, OverflowError):
        problems.append((*_mark(event), f"{_short(value)} is not {kind}"))
        return value
    if type(result) is int and not -MAX_INT <= result <= MAX_INT:
        problems.append((*_mark(event), f"{_short(value)} is out of range: at most 18 digits"))
        return value
    return result


def _short(value: str) -> str:
    return repr(value if len(value) <= 40 else value[:40] + "...")


def _events(text: str) -> Iterator[yaml.Event]:
    loader = _Loader(text)
    try:
        while loader.check_event():
            event = loader.get_event()
            if event is not None:
                yield event
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        what = error.problem or error.context or "invalid YAML"
        raise _Fatal(line, column, f"YAML syntax error: {what}") from None
    except yaml.reader.ReaderError as error:
        raise _Fatal(*_reader_mark(text, error), _reader_message(error)) from None
    except yaml.YAMLError as error:  # pragma: no cover - libyaml's own, without a position
        raise _Fatal(1, 1, f"YAML error: {error}") from None
    finally:
        loader.dispose()


def _reader_mark(text: str, error: yaml.reader.ReaderError) -> tuple[int, int]:
    offset = error.position
    if _BYTE_OFFSETS:
        offset = len(text.encode("utf-8")[:offset].decode("utf-8", "ignore"))
    return _line_col(text, offset)


def _reader_message(error: yaml.reader.ReaderError) -> str:
    char = error.character
    code = char if isinstance(char, int) else ord(char) if isinstance(char, str) and char else 0
    return f"character U+{code:04X} is not allowed in YAML ({error.reason})"


class _Aliases:
    """What aliases may repeat in all: stops "billion laughs", in nodes or in text."""

    def __init__(self, text: str) -> None:
        self.max_chars = max(len(text), MIN_ALIAS_CHARS)
        self.nodes, self.chars = MAX_ALIAS_NODES, self.max_chars

    def spend(self, value: Any, event: yaml.Event) -> None:
        nodes, chars = _weigh(value, self.nodes, self.chars)
        self.nodes -= nodes
        self.chars -= chars
        if self.nodes < 0:
            message = f"aliases repeat more than {MAX_ALIAS_NODES:,} nodes"
            raise _Fatal(*_mark(event), f"{message}; refusing an alias bomb")
        if self.chars < 0:
            message = f"aliases repeat more than {self.max_chars:,} characters"
            raise _Fatal(*_mark(event), f"{message}; refusing an alias bomb")


def _weigh(value: Any, max_nodes: int, max_chars: int) -> tuple[int, int]:
    """Nodes (keys included) and characters of text in `value`, counted no further than just
    past either limit."""
    nodes = chars = 0
    pending = [value]
    while pending and nodes <= max_nodes and chars <= max_chars:
        item = pending.pop()
        nodes += 1
        kind = type(item)
        if kind is str:
            chars += len(item)
        elif kind is dict:
            pending.extend(item)
            pending.extend(item.values())
        elif kind is list:
            pending.extend(item)
    return nodes, chars


def _build(text: str) -> _Built:
    """The slow path: every node's position, and every problem with its own."""
    problems: list[tuple[int, int, str]] = []
    positions: dict[YamlPath, _Pos] = {}
    anchors: dict[str, Any] = {}
    aliases = _Aliases(text)
    stack: list[_Frame] = []
    root: list[Any] = []
    documents = 0

    def add(value: Any, mark: tuple[int, int]) -> None:
        if not stack:
            root.append(value)
            positions[()] = _Pos(mark)
            return
        top = stack[-1]
        if isinstance(top.container, list):
            positions[top.path + (len(top.container),)] = _Pos(mark)
            top.container.append(value)
        elif not top.has_key:
            if isinstance(value, (list, dict)):
                problems.append((*mark, "a mapping key must be a plain value"))
                value = object()  # unique: never a duplicate, never stored
            elif value in top.key_lines:
                first = top.key_lines[value]
                problems.append((*mark, f"duplicate key {value!r} (first defined on line {first})"))
                value = object()
            else:
                top.key_lines[value] = mark[0]
            top.key, top.has_key, top.key_mark = value, True, mark
        else:
            top.has_key = False
            if not isinstance(top.key, (str, int, float, bool, type(None))):
                return  # a rejected or duplicate key: keep the first value
            positions[top.path + (top.key,)] = _Pos(mark, top.key_mark)
            top.container[top.key] = value

    def child_path() -> YamlPath:
        if not stack:
            return ()
        top = stack[-1]
        if isinstance(top.container, list):
            return (*top.path, len(top.container))
        return (*top.path, top.key) if top.has_key else top.path

    for event in _events(text):
        if isinstance(event, yaml.ScalarEvent):
            value = _scalar(event, problems)
            if event.anchor is not None:
                anchors[event.anchor] = value
            add(value, _mark(event))
        elif isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            if len(stack) >= MAX_DEPTH:
                raise _Fatal(*_mark(event), f"nesting is deeper than {MAX_DEPTH} levels")
            container: list[Any] | dict[Key, Any]
            container = [] if isinstance(event, yaml.SequenceStartEvent) else {}
            start = _mark(event)
            # key_mark: where the collection starts, until a key is read
            frame = _Frame(container, child_path(), event.anchor, key_mark=start)
            stack.append(frame)
            positions.setdefault(frame.path, _Pos(start))
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            frame = stack.pop()
            if frame.anchor is not None:
                anchors[frame.anchor] = frame.container
            start = positions[frame.path].value if frame.path in positions else (0, 0)
            add(frame.container, start)
        elif isinstance(event, yaml.AliasEvent):
            if event.anchor not in anchors:
                raise _Fatal(*_mark(event), f"unknown alias *{event.anchor}")
            value = anchors[event.anchor]
            aliases.spend(value, event)
            add(value, _mark(event))
        elif isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise _Fatal(*_mark(event), "expected one YAML document, found more")
    return _Built(root[0] if root else None, problems, positions)


class _Slow(Exception):
    """The fast path met something to report: read again, slowly, with positions."""


# First characters of plain scalars that might not be strings (null, bools, numbers, dates...).
_MAYBE_NOT_TEXT = frozenset(_resolver.yaml_implicit_resolvers)
_NOT_KEY = object()


def _checked_scalar(event: yaml.ScalarEvent) -> Any:
    problems: list[tuple[int, int, str]] = []
    value = _scalar(event, problems)
    if problems:
        raise _Slow
    return value


def _load_fast(text: str) -> Any:
    """Build plain data from the events with as little work per event as possible.

    Raises `_Slow` on anything that needs a located message (a duplicate key, a strange tag),
    and `_Fatal` when reading cannot go on.
    """
    loader = _Loader(text)
    get_event = loader.get_event
    stack: list[Any] = []  # the open containers
    keys: list[Any] = []  # for each open mapping, its key waiting for a value
    anchored: list[str | None] = []
    anchors: dict[str, Any] = {}
    aliases = _Aliases(text)
    root: Any = None
    documents = 0
    try:
        while True:
            try:
                event: Any = get_event()
            except yaml.YAMLError:  # syntax, or a character YAML refuses
                loader.dispose()
                list(_events(text))  # raises the located error
                raise
            kind = type(event)
            if kind is yaml.ScalarEvent:
                value = event.value
                tag = event.tag
                if tag is None:
                    # Words such as null, true or off are 5 letters at most: longer text that
                    # starts with a letter is always a string, and needs no resolver.
                    if not event.implicit[0]:
                        pass  # quoted: text
                    elif (
                        value.isdigit()
                        and value.isascii()  # not "²", which isdigit() too
                        and len(value) < 19  # within MAX_INT
                        and (len(value) == 1 or value[0] != "0")
                    ):
                        value = int(value)  # the common case of a level or a target
                    elif not value or (
                        value[0] in _MAYBE_NOT_TEXT and not (len(value) > 5 and value[0].isalpha())
                    ):
                        value = _checked_scalar(event)
                elif tag != "!":
                    value = _checked_scalar(event)
                if event.anchor is not None:
                    anchors[event.anchor] = value
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                if len(stack) >= MAX_DEPTH:
                    raise _Fatal(*_mark(event), f"nesting is deeper than {MAX_DEPTH} levels")
                stack.append({} if kind is yaml.MappingStartEvent else [])
                keys.append(_NOT_KEY)
                anchored.append(event.anchor)
                continue
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                value = stack.pop()
                keys.pop()
                name = anchored.pop()
                if name is not None:
                    anchors[name] = value
            elif kind is yaml.AliasEvent:
                if event.anchor not in anchors:
                    raise _Fatal(*_mark(event), f"unknown alias *{event.anchor}")
                value = anchors[event.anchor]
                aliases.spend(value, event)
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise _Fatal(*_mark(event), "expected one YAML document, found more")
                continue
            elif kind is yaml.StreamEndEvent:
                return root
            else:
                continue
            if not stack:
                root = value
                continue
            top = stack[-1]
            if type(top) is list:
                top.append(value)
            elif keys[-1] is _NOT_KEY:
                if type(value) is dict or type(value) is list or value in top:
                    raise _Slow
                keys[-1] = value
            else:
                top[keys[-1]] = value
                keys[-1] = _NOT_KEY
    finally:
        loader.dispose()


def _line_col(text: str, offset: int) -> tuple[int, int]:
    before = text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


@dataclass
class Document:
    """A YAML file read into plain data, able to say where any part of it stands."""

    file: str
    text: str
    data: Any
    _positions: dict[YamlPath, _Pos] | None = field(default=None, repr=False)

    def locate(self, path: YamlPath, *, key: bool = False) -> tuple[int, int]:
        """Line and column (1-based) of the node at `path`, or of its nearest existing parent.

        With `key`, the position of the mapping key rather than of its value.
        """
        if self._positions is None:
            try:
                self._positions = _build(self.text).positions
            except _Fatal:  # pragma: no cover - the fast path would have met it first
                self._positions = {}
        for cut in range(len(path), -1, -1):
            pos = self._positions.get(path[:cut])
            if pos is not None:
                if key and cut == len(path) and pos.key is not None:
                    return pos.key
                return pos.value
        return (1, 1)

    def problem(self, path: YamlPath, message: str, *, key: bool = False) -> Problem:
        line, column = self.locate(path, key=key)
        return Problem(self.file, line, column, message)


def parse(text: str, file: str) -> Document:
    """Parse YAML text; raise `DataError` listing every problem found while reading."""
    try:
        data = _load_fast(text)
    except _Fatal as fatal:
        raise DataError([Problem(file, fatal.line, fatal.column, fatal.message)]) from None
    except _Slow:
        try:
            built = _build(text)
        except _Fatal as fatal:
            raise DataError([Problem(file, fatal.line, fatal.column, fatal.message)]) from None
        problems = [Problem(file, line, col, message) for line, col, message in built.problems]
        if not problems:  # pragma: no cover - the two paths see the same problems
            return Document(file, text, built.data, built.positions)
        raise DataError(problems) from None
    if data is None and not text.strip(" \t\r\n\ufeff"):
        raise DataError([Problem(file, 1, 1, "the file is empty")])
    return Document(file, text, data)


def read_text(path: Path, file: str, limit: int = MAX_BYTES) -> str:
    """The text of a regular file of at most `limit` bytes (see `reading`), refused when not
    UTF-8. `file` is the name in messages."""
    return decode(reading.read_bytes(path, file, limit), file)


def decode(raw: bytes, file: str) -> str:
    """UTF-8 text, a byte order mark dropped; a located problem when it is not UTF-8."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        problem = Problem(file, line, column, "not valid UTF-8 text (save the file as UTF-8)")
        raise DataError([problem]) from None


def read(path: Path, file: str | None = None, *, limit: int = MAX_BYTES) -> Document:
    """Read and parse a YAML (or JSON) file of at most `limit` bytes. `file` is the name shown
    in messages."""
    shown = file if file is not None else str(path)
    return parse(read_text(path, shown, limit), shown)
