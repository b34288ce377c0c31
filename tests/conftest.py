"""Shared fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The raw source data next to the repository (../shared/data); skips the test when absent."""
    path = REPO.parent / "shared" / "data"
    if not path.is_dir():
        pytest.skip("../shared/data not present")
    return path


@pytest.fixture(scope="session", autouse=True)
def _cache_dir(tmp_path_factory: pytest.TempPathFactory):
    """Keep screener caches of the test run out of the user's ~/.cache (one per session)."""
    import os

    path = tmp_path_factory.mktemp("ecscreen-cache")
    old = os.environ.get("ECSCREEN_CACHE_DIR")
    os.environ["ECSCREEN_CACHE_DIR"] = str(path)
    yield path
    if old is None:
        os.environ.pop("ECSCREEN_CACHE_DIR", None)
    else:
        os.environ["ECSCREEN_CACHE_DIR"] = old


@pytest.fixture(scope="session")
def bundled_screener(_cache_dir):
    from screen.screening import Screener

    return Screener.open()


@pytest.fixture(scope="session")
def csl_path(shared_data: Path) -> Path:
    return shared_data / "csl-2022-04" / "consolidated.csv.gz"


@pytest.fixture(scope="session")
def csl_screener(csl_path: Path, _cache_dir):
    from screen.screening import Screener

    return Screener.open([csl_path], bundled=False)
