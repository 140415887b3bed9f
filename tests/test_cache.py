"""The cache of validated knowledge bases is never stale and never in the way."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlcareer import kb
from mlcareer.errors import DataError


def cache_files(home: Path) -> list[Path]:
    return sorted((home / "cache").glob("kb-*.pickle"))


def test_a_changed_file_is_validated_again(tiny_kb: Path, _home: Path) -> None:
    first = kb.load(tiny_kb)
    assert first.skill["python"].name == "Python"
    assert len(cache_files(_home)) == 1
    assert kb.load(tiny_kb).skill["python"].name == "Python"  # from the cache
    skills = tiny_kb / "skills.yaml"
    skills.write_text(skills.read_text().replace("    name: Python\n", "    name: Python 3\n"))
    assert kb.load(tiny_kb).skill["python"].name == "Python 3"
    assert len(cache_files(_home)) == 2


def test_a_broken_knowledge_base_is_never_served_from_the_cache(tiny_kb: Path, _home: Path) -> None:
    kb.load(tiny_kb)
    skills = tiny_kb / "skills.yaml"
    skills.write_text(skills.read_text().replace("    weight: 2\n", "    weight: heavy\n"))
    with pytest.raises(DataError):
        kb.load(tiny_kb)


def test_a_corrupt_cache_is_a_miss(tiny_kb: Path, _home: Path) -> None:
    kb.load(tiny_kb)
    [cached] = cache_files(_home)
    cached.write_bytes(b"not a pickle")
    assert kb.load(tiny_kb).skill["sql"].name == "SQL"


def test_cache_can_be_turned_off(
    tiny_kb: Path, _home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MLCAREER_CACHE", "0")
    kb.load(tiny_kb)
    assert cache_files(_home) == []


def test_origin_is_the_folder_asked_for(tiny_kb: Path, tmp_path: Path) -> None:
    import shutil

    other = tmp_path / "copy"
    shutil.copytree(tiny_kb, other)
    kb.load(tiny_kb)
    assert kb.load(other).origin == str(other)  # same content, served from the cache
