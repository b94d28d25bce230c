"""Shared fixtures: paths to the repo's data and the optional ../shared material."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
SPUN_SEED = SEEDS / "000_a86f99f445087a45.txt"
CLEAN_SEED = SEEDS / "004_75b4a1f08bbf6b50.txt"
SHARED = REPO.parent / "shared"


@pytest.fixture
def shared() -> Path:
    """The development material beside the repo; tests using it skip where it is absent."""
    if not SHARED.is_dir():
        pytest.skip("../shared is not present (it is development material, not part of a clone)")
    return SHARED


@pytest.fixture
def small_wordlist(tmp_path: Path) -> Path:
    """A tiny wordlist independent of the shipped one's content."""
    path = tmp_path / "small.txt"
    path.write_text(
        "# a test list\n"
        "fingers -> arms ; evidence ; after=deliveries,sales\n"
        "help to keep -> keep\n"
        "in opposition to -> against\n"
        "our bodies -> bodies ; noinflect\n"
        "spherical -> round ; evidence\n"
        "squaddie -> soldier\n"
        "would possibly -> may\n",
        encoding="utf-8",
    )
    return path


@pytest.fixture(autouse=True, scope="session")
def _own_cache_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Tests (and the commands they run) keep their prebuilt data in a folder of their own, not the user's."""
    saved = os.environ.get("REPAIR_CACHE")
    os.environ["REPAIR_CACHE"] = str(tmp_path_factory.mktemp("cache"))
    yield
    if saved is None:
        del os.environ["REPAIR_CACHE"]
    else:
        os.environ["REPAIR_CACHE"] = saved
