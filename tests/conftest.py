"""Shared fixtures: the seed-case pages and a real SQLite index built from them."""

from __future__ import annotations

from pathlib import Path

import pytest

from detector.index import Index
from detector.sources import expand, load

FIXTURES = Path(__file__).parent / "fixtures"
SEED = FIXTURES / "seed-case"
REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"

pytest_plugins = ["tests.conftest_http"]


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep built artifacts (the demo index) out of the user's real cache."""
    monkeypatch.setenv("CFD_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "cache"))


@pytest.fixture
def seed_dir() -> Path:
    return SEED


@pytest.fixture
def seed_index(tmp_path: Path) -> Path:
    """A real SQLite index holding the four seed-case pages."""
    path = tmp_path / "seed.sqlite"
    with Index(path) as index:
        index.add([load(t).article for t in expand([str(SEED)])])
    return path
