from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

TINY = Path(__file__).parent / "fixtures" / "tiny"


@pytest.fixture(autouse=True)
def _home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """Tests never touch the real user data folder, and never see a colour setting of the host."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("MLCAREER_HOME", str(home))
    monkeypatch.setenv("MLCAREER_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))  # nor cache
    monkeypatch.delenv("MLCAREER_DEBUG", raising=False)
    monkeypatch.setenv("COLUMNS", "100")
    yield home


@pytest.fixture
def tiny_kb(tmp_path: Path) -> Path:
    """A writable copy of the tiny knowledge base."""
    folder = tmp_path / "kb"
    shutil.copytree(TINY, folder)
    return folder
