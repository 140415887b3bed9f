"""The cache of validated knowledge bases: data only, never stale, never in the way.

It holds JSON in `MLCAREER_CACHE_DIR` (tests set it; see conftest.py). A file that fails to parse,
has the wrong shape, or whose recorded hashes differ is ignored and rewritten; a pickle anywhere
is never loaded, so a crafted one runs nothing; a folder that cannot take the file costs nothing.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import pickle
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import platformdirs
import pytest
from pydantic import BaseModel

import mlcareer
from invoke import run
from mlcareer import cache, kb
from mlcareer.errors import DataError
from mlcareer.models import KnowledgeBase

FIXTURES = Path(__file__).parent / "fixtures"
KBS = {
    "shipped": None,
    "tiny": FIXTURES / "tiny",
    "levels": FIXTURES / "levels",
    "francais": FIXTURES / "francais",
}


def cache_dir() -> Path:
    return Path(os.environ["MLCAREER_CACHE_DIR"])


def cache_files() -> list[Path]:
    return sorted(cache_dir().glob("kb-*.json"))


def only_cache_file() -> Path:
    [path] = cache_files()
    return path


def texts(folder: Path | None) -> tuple[str, str]:
    folder = kb.default_dir() if folder is None else folder
    skills, roadmap = (folder / name for name in (kb.SKILLS_FILE, kb.ROADMAP_FILE))
    return skills.read_text("utf-8-sig"), roadmap.read_text("utf-8-sig")


def cached(folder: Path | None) -> KnowledgeBase | None:
    """What the cache holds for this KB, straight from `cache.get` (None: a miss)."""
    skills, roadmap = texts(folder)
    raw = [text.encode() for text in (skills, roadmap)]
    return cache.get(kb.content_hash(*raw), len(raw[0]) + len(raw[1]))


def mlcareer_run(
    *args: str, env: dict[str, str] | None = None, preexec_fn: Callable[[], object] | None = None
) -> subprocess.CompletedProcess[str]:
    """A real process, as a person runs it: the environment (data and cache folders) inherited."""
    return subprocess.run(
        [sys.executable, "-m", "mlcareer", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "COLUMNS": "100", "NO_COLOR": "1", **(env or {})},
        preexec_fn=preexec_fn,
    )


def uncached(*args: str) -> tuple[str, str]:
    """What a run with the cache turned off prints: a run with any cache trouble prints the same."""
    result = mlcareer_run(*args, env={"MLCAREER_CACHE": "0"})
    assert result.returncode == 0, result.stderr
    return result.stdout, result.stderr


def assert_clean(result: subprocess.CompletedProcess[str], shows: str = "ok: ") -> None:
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert shows in result.stdout


# --- Round trip: the cached KB is the validated one --------------------------------------------


@pytest.mark.parametrize("name", KBS)
def test_the_cached_knowledge_base_equals_the_validated_one(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = KBS[name]
    monkeypatch.setenv("MLCAREER_CACHE", "0")
    validated = kb.load(folder)
    monkeypatch.setenv("MLCAREER_CACHE", "1")
    kb.load(folder)  # writes the cache
    served = cached(folder)
    assert served is not None  # a hit, not a silent rebuild
    assert served == validated
    for part in ("skills_file", "roadmap_file"):
        mine, theirs = getattr(served, part), getattr(validated, part)
        assert mine.model_dump_json() == theirs.model_dump_json()  # types too: 2.0 stays a float
        assert _shape(mine) == _shape(theirs)  # tuples stay tuples, levels keep int keys
    again = kb.load(folder)
    assert (again.origin, again.digest) == (validated.origin, validated.digest)
    assert again.skill.keys() == validated.skill.keys()


def _shape(value: object) -> object:
    """Every value's type, all the way down, so that a list where a tuple was is seen."""
    if isinstance(value, BaseModel):
        fields = type(value).model_fields
        return (type(value), {n: _shape(getattr(value, n)) for n in fields})
    if isinstance(value, tuple | list):
        return (type(value), [_shape(v) for v in value])
    if isinstance(value, dict):
        return (type(value), {(type(k), k): _shape(v) for k, v in value.items()})
    return type(value)


def test_the_file_is_json_with_a_header_naming_the_kb(tiny_kb: Path) -> None:
    loaded = kb.load(tiny_kb)
    head, payload = only_cache_file().read_bytes().split(b"\n", 1)
    header = json.loads(head)
    assert header["kb_hash"] == loaded.digest
    assert header["payload_sha256"] == hashlib.sha256(payload).hexdigest()
    body = json.loads(payload)
    assert body["skills_file"]["skills"][0]["name"] == "Python"


# --- Never stale ---------------------------------------------------------------------------------


def test_a_changed_file_is_validated_again(tiny_kb: Path) -> None:
    first = kb.load(tiny_kb)
    assert first.skill["python"].name == "Python"
    assert len(cache_files()) == 1
    assert kb.load(tiny_kb).skill["python"].name == "Python"  # from the cache
    skills = tiny_kb / "skills.yaml"
    skills.write_text(skills.read_text().replace("    name: Python\n", "    name: Python 3\n"))
    assert kb.load(tiny_kb).skill["python"].name == "Python 3"
    assert len(cache_files()) == 2


def test_a_broken_knowledge_base_is_never_served_from_the_cache(tiny_kb: Path) -> None:
    kb.load(tiny_kb)
    skills = tiny_kb / "skills.yaml"
    skills.write_text(skills.read_text().replace("    weight: 2\n", "    weight: heavy\n"))
    with pytest.raises(DataError):
        kb.load(tiny_kb)


def test_a_knowledge_base_with_problems_is_never_cached(tiny_kb: Path) -> None:
    skills = tiny_kb / "skills.yaml"
    skills.write_text(skills.read_text().replace("    weight: 2\n", "    weight: heavy\n"))
    for _ in range(2):  # the second run reports the same problem: nothing was cached
        with pytest.raises(DataError, match="weight"):
            kb.load(tiny_kb)
    assert cache_files() == []


@pytest.mark.parametrize("name", KBS)
def test_validate_says_the_same_with_a_warm_cache(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only a KB without problems is cached, and what `validate` says of it (counts and warnings:
    the tiny and levels KBs have some) is kept with it."""
    kb_args = [] if KBS[name] is None else ["--kb", str(KBS[name])]
    monkeypatch.setenv("MLCAREER_CACHE", "0")
    cold = run("validate", *kb_args)
    monkeypatch.setenv("MLCAREER_CACHE", "1")
    assert run("validate", *kb_args) == cold  # fills the cache
    assert cached(KBS[name]) is not None
    assert run("validate", *kb_args) == cold  # served from it
    assert cold[0] == 0 and cold[1].startswith("ok: ")


_IMPORTS = (
    "import sys\n"
    "from mlcareer.cli import main\n"
    "try:\n"
    "    main()\n"
    "finally:\n"
    "    heavy = {'yaml', 'mlcareer.models', 'mlcareer.validation', 'mlcareer.planner'}\n"
    "    print(sorted(heavy & set(sys.modules)), file=sys.stderr)\n"
)


def test_validate_on_a_known_kb_reads_one_line_and_imports_no_parser(tiny_kb: Path) -> None:
    """The header says what `validate` needs: neither YAML nor the models are loaded, and the
    payload is not even read (it is broken here, and `validate` does not notice)."""
    argv = [sys.executable, "-c", _IMPORTS, "validate", "--kb", str(tiny_kb)]

    def validate() -> tuple[str, str]:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        *warnings, imported = done.stderr.splitlines()
        return done.stdout + "".join(warnings), imported

    cold, imported = validate()
    assert "yaml" in imported and "mlcareer.models" in imported  # a miss validates the KB
    path = only_cache_file()
    head, payload = path.read_bytes().split(b"\n", 1)
    path.write_bytes(head + b"\n" + payload[: len(payload) // 2])
    assert validate() == (cold, "[]")
    assert cached(tiny_kb) is None  # the KB itself is not served from the broken file
    assert kb.load(tiny_kb).skill["python"].name == "Python"


Edit = Callable[[dict[str, Any]], object]


def _first_shortfall(**changes: object) -> Edit:
    return lambda o: {**o, "shortfalls": [{**o["shortfalls"][0], **changes}]}


OVERVIEW_FORGERIES: dict[str, Edit] = {
    "null": lambda o: None,
    "a list": lambda o: [],
    "a count not a number": lambda o: {**o, "hard_skills": "3"},
    "a negative count": lambda o: {**o, "checks": -1},
    "a count that is a bool": lambda o: {**o, "checks": True},
    "a key added": lambda o: {**o, "extra": 1},
    "a key missing": lambda o: {k: v for k, v in o.items() if k != "roles"},
    "a shortfall not a mapping": lambda o: {**o, "shortfalls": ["junior"]},
    "a shortfall's level a string": _first_shortfall(target="2"),
    "a shortfall's role a number": _first_shortfall(role=1),
}


@pytest.mark.parametrize("how", OVERVIEW_FORGERIES)
def test_an_overview_that_is_not_what_was_written_is_a_miss(tiny_kb: Path, how: str) -> None:
    expected = uncached("validate", "--kb", str(tiny_kb))
    assert_clean(mlcareer_run("validate", "--kb", str(tiny_kb)))
    path = only_cache_file()
    good = path.read_bytes()
    head, payload = good.split(b"\n", 1)
    header = json.loads(head)
    header["overview"] = OVERVIEW_FORGERIES[how](header["overview"])
    path.write_bytes(json.dumps(header).encode() + b"\n" + payload)
    result = mlcareer_run("validate", "--kb", str(tiny_kb))
    assert_clean(result)
    assert (result.stdout, result.stderr) == expected
    assert path.read_bytes() == good  # written again


def test_the_kb_hash_is_that_of_the_text_whatever_the_byte_order_mark(tiny_kb: Path) -> None:
    """Saved assessments record it: reading bytes instead of text must not change it."""
    plain = kb.load(tiny_kb).digest
    skills, roadmap = texts(tiny_kb)
    assert plain == kb.content_hash(skills.encode(), roadmap.encode())
    path = tiny_kb / kb.SKILLS_FILE
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert kb.load(tiny_kb).digest == plain


def test_origin_is_the_folder_asked_for(tiny_kb: Path, tmp_path: Path) -> None:
    other = tmp_path / "copy"
    shutil.copytree(tiny_kb, other)
    kb.load(tiny_kb)
    assert kb.load(other).origin == str(other)  # same content, served from the cache


# --- A bad cache file is ignored and rewritten -------------------------------------------------


def _with_payload(payload: bytes) -> Callable[[bytes], bytes]:
    """A payload of our choosing under a header whose hashes match it: what a careful forger
    writes. The shape must still be right."""

    def forge(original: bytes) -> bytes:
        header = json.loads(original.split(b"\n", 1)[0])
        header["payload_sha256"] = hashlib.sha256(payload).hexdigest()
        return json.dumps(header).encode() + b"\n" + payload

    return forge


def _edit_body(edit: Callable[[dict[str, object]], object]) -> Callable[[bytes], bytes]:
    def forge(original: bytes) -> bytes:
        body = json.loads(original.split(b"\n", 1)[1])
        edit(body)
        return _with_payload(json.dumps(body).encode())(original)

    return forge


def _first_skill(body: dict[str, object]) -> dict[str, object]:
    return body["skills_file"]["skills"][0]  # type: ignore[index, no-any-return]


CORRUPTIONS: dict[str, Callable[[bytes], bytes]] = {
    "empty": lambda raw: b"",
    "truncated": lambda raw: raw[: len(raw) // 2],
    "header only": lambda raw: raw.split(b"\n", 1)[0] + b"\n",
    "not json": lambda raw: b"not json at all\n{}",
    "pickle bytes": lambda raw: pickle.dumps({"skills_file": None}),
    "json of the wrong shape": lambda raw: b'{"a": 1}\n[1, 2, 3]',
    "another kb's hash": lambda raw: raw.replace(
        json.loads(raw.split(b"\n", 1)[0])["kb_hash"].encode(), b"0" * 64, 1
    ),
    "another version's key": lambda raw: raw.replace(b'"key":"', b'"key":"0', 1),
    "a skill renamed, header kept": lambda raw: raw.replace(b'"name":"Python"', b'"name":"Evil"'),
    "bytes flipped in the payload": lambda raw: raw[:-40] + bytes(b ^ 1 for b in raw[-40:]),
    "forged: not models": _with_payload(b'{"skills_file": 1, "roadmap_file": 2}'),
    "forged: a list": _with_payload(b"[]"),
    "forged: a field missing": _edit_body(lambda body: _first_skill(body).pop("name")),
    "forged: a field added": _edit_body(lambda body: _first_skill(body).update(evil=1)),
    "forged: a level key not a number": _edit_body(
        lambda body: _first_skill(body)["levels"].update(x="?")  # type: ignore[attr-defined]
    ),
    "forged: a string for a tuple": _edit_body(lambda body: _first_skill(body).update(sources="x")),
    "forged: deep nesting": _with_payload(b"[" * 100_000 + b"]" * 100_000),
}


@pytest.mark.parametrize("corruption", CORRUPTIONS)
def test_a_bad_cache_file_is_ignored_and_rewritten(tiny_kb: Path, corruption: str) -> None:
    kb.load(tiny_kb)
    path = only_cache_file()
    good = path.read_bytes()
    bad = CORRUPTIONS[corruption](good)
    assert bad != good
    path.write_bytes(bad)
    assert cached(tiny_kb) is None  # the bad file is not served...
    loaded = kb.load(tiny_kb)  # ...the KB is validated again...
    assert loaded.skill["python"].name == "Python"
    assert [p.name for p in cache_files()] == [path.name]
    assert path.read_bytes() == good  # ...and the file rewritten with what it should hold
    assert cached(tiny_kb) is not None


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this platform")
def test_a_fifo_or_a_symlink_where_the_file_goes_neither_hangs_nor_is_followed(
    tiny_kb: Path, tmp_path: Path
) -> None:
    kb.load(tiny_kb)
    path = only_cache_file()
    good = path.read_bytes()
    path.unlink()
    os.mkfifo(path)
    assert mlcareer_run("validate", "--kb", str(tiny_kb)).returncode == 0  # no writer: no hang
    assert path.read_bytes() == good
    target = tmp_path / "elsewhere.json"
    target.write_bytes(good)
    path.unlink()
    path.symlink_to(target)
    assert cached(tiny_kb) is None  # a symlink there is not ours: not followed
    kb.load(tiny_kb)
    assert not path.is_symlink() and path.read_bytes() == good
    assert target.read_bytes() == good  # replaced the link, never wrote through it


def test_a_file_much_bigger_than_the_kb_is_not_read(tiny_kb: Path) -> None:
    kb.load(tiny_kb)
    path = only_cache_file()
    good = path.read_bytes()
    path.write_bytes(good + b" " * (4 * 1024 * 1024))
    assert cached(tiny_kb) is None
    kb.load(tiny_kb)
    assert path.read_bytes() == good


# --- No code from data ---------------------------------------------------------------------------


class _Payload:
    """Unpickling this writes the marker file: proof that a pickle was loaded."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, ...]:
        return (exec, (f"open({str(self.marker)!r}, 'w').write('pwned')",))


def _old_pickle_path(home: Path, folder: Path | None) -> Path:
    """Where mlcareer 0.1.0 looked for a pickle of this KB (its `cache._path`, kept here)."""
    import pydantic

    from mlcareer import models

    code = "".join(Path(m.__file__ or "").read_text("utf-8") for m in (models, kb))
    digest = hashlib.sha256()
    parts = (mlcareer.__version__, pydantic.VERSION, sys.version, code, *texts(folder))
    for part in parts:
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return home / "cache" / f"kb-{digest.hexdigest()[:32]}.pickle"


def test_the_crafted_pickle_is_proven_to_run_code_when_loaded(tmp_path: Path) -> None:
    """The payload the next test plants does run code, so its silence there means something."""
    marker = tmp_path / "marker"
    pickle.loads(pickle.dumps(_Payload(marker)))
    assert marker.read_text() == "pwned"


@pytest.mark.parametrize("kb_name", ["shipped", "tiny"])
def test_a_crafted_pickle_runs_no_code(kb_name: str, _home: Path, tmp_path: Path) -> None:
    folder = KBS[kb_name]
    marker = tmp_path / "marker"
    crafted = pickle.dumps(_Payload(marker))
    kb_texts = texts(folder)
    old = _old_pickle_path(_home, folder)  # where the pickle cache was read from before
    old.parent.mkdir(parents=True)
    old.write_bytes(crafted)
    kb_args = [] if folder is None else ["--kb", str(folder)]
    assert_clean(mlcareer_run("validate", *kb_args))
    assert not marker.exists()
    new = only_cache_file()
    new.write_bytes(crafted)  # and pickle bytes where the JSON cache now lives
    (cache_dir() / "kb-0123456789abcdef0123456789abcdef.pickle").write_bytes(crafted)
    for command, shows in (("validate", "ok: "), ("skills", "Python")):
        assert_clean(mlcareer_run(command, *kb_args), shows)
        assert not marker.exists()
    assert old.read_bytes() == crafted  # the old folder is left alone, never read
    assert texts(folder) == kb_texts
    assert new.read_bytes().startswith(b'{"mlcareer_cache":')  # rewritten as JSON


# --- Where it lives, and when it cannot be written ----------------------------------------------


def test_the_cache_lives_in_mlcareer_cache_dir(
    tiny_kb: Path, _home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kb.load(tiny_kb)
    assert len(cache_files()) == 1
    assert not (_home / "cache").exists()  # not in the data folder, which people keep in git
    monkeypatch.setenv("MLCAREER_CACHE_DIR", str(tmp_path / "other"))
    kb.load(tiny_kb)
    assert len(list((tmp_path / "other").glob("kb-*.json"))) == 1


def test_the_default_is_the_platform_cache_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MLCAREER_CACHE_DIR")
    assert cache.folder() == platformdirs.user_cache_path("mlcareer", appauthor=False)


def test_cache_can_be_turned_off(tiny_kb: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MLCAREER_CACHE", "0")
    kb.load(tiny_kb)
    assert not cache_dir().exists() or cache_files() == []


def _no_temporary_files(folder: Path) -> None:
    assert [p.name for p in folder.iterdir() if p.name.endswith(".tmp")] == []


@pytest.mark.parametrize("where", ["a file", "under a file", "a device"])
def test_a_cache_folder_that_cannot_be_made_costs_nothing(
    tiny_kb: Path, tmp_path: Path, where: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("mine\n")
    folder = {"a file": blocker, "under a file": blocker / "cache", "a device": Path(os.devnull)}
    monkeypatch.setenv("MLCAREER_CACHE_DIR", str(folder[where]))
    result = mlcareer_run("validate", "--kb", str(tiny_kb))
    assert_clean(result)
    assert (result.stdout, result.stderr) == uncached("validate", "--kb", str(tiny_kb))
    assert blocker.read_text() == "mine\n"


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_a_read_only_cache_folder_costs_nothing(tiny_kb: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root writes into read-only folders")
    cache_dir().mkdir(parents=True, exist_ok=True)
    cache_dir().chmod(0o500)
    expected = uncached("validate", "--kb", str(tiny_kb))
    try:
        result = mlcareer_run("validate", "--kb", str(tiny_kb))
        assert_clean(result)
        assert (result.stdout, result.stderr) == expected
        assert list(cache_dir().iterdir()) == []
    finally:
        cache_dir().chmod(0o700)


@pytest.mark.skipif(sys.platform == "win32", reason="resource limits are POSIX")
def test_a_full_disk_costs_nothing_and_leaves_no_temporary_file() -> None:
    """RLIMIT_FSIZE makes every write past 64 KiB fail with EFBIG, as a full disk fails with
    ENOSPC; the shipped KB's cache file is bigger than that."""
    import resource
    import signal

    def small_files() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # an error from write(), not a signal
        resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))

    expected = uncached("validate")
    for _ in range(2):
        result = mlcareer_run("validate", preexec_fn=small_files)
        assert_clean(result)
        assert (result.stdout, result.stderr) == expected
    assert cache_files() == []
    _no_temporary_files(cache_dir())


def test_a_failed_write_leaves_no_temporary_file(
    tiny_kb: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(*args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    assert kb.load(tiny_kb).skill["python"].name == "Python"
    assert cache_files() == []
    _no_temporary_files(cache_dir())


def test_only_its_own_files_are_tidied(tiny_kb: Path) -> None:
    """Temporary files a killed process left are removed after an hour; old cache files beyond
    the newest few go; nothing else in the folder is touched."""
    folder = cache_dir()
    folder.mkdir(parents=True, exist_ok=True)
    hour_ago = time.time() - 2 * 3600
    stale_tmp = folder / f".kb-{'a' * 32}.json.x1y2.tmp"
    fresh_tmp = folder / f".kb-{'b' * 32}.json.x1y2.tmp"
    olds = [folder / f"kb-{n:032x}.json" for n in range(cache.KEEP)]
    others = [folder / "kb-notes.json", folder / "notes.txt", folder / f"kb-{'c' * 32}.pickle"]
    for n, path in enumerate((stale_tmp, fresh_tmp, *olds, *others)):
        path.write_text("x")
        os.utime(path, (hour_ago + n, hour_ago + n))  # olds[0] is the oldest cache file
    os.utime(fresh_tmp)
    kb.load(tiny_kb)
    assert not stale_tmp.exists() and fresh_tmp.exists()
    assert all(p.read_text() == "x" for p in others)
    kept = [p for p in cache_files() if p not in others]
    assert len(kept) == cache.KEEP  # the new one and the KEEP - 1 newest of the old
    assert not olds[0].exists()
