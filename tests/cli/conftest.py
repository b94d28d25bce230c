"""Fixtures of the command-line tests: every test runs in its own folder with its own user data folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from repair.core.engine import Engine
from repair.edge.setup import load_wordlists
from repair.edge.userdata import UserData

from .helpers import DOC, WORDLIST


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("REPAIR_HOME", str(tmp_path / "home"))  # the user's own lists must not leak in


@pytest.fixture
def home(tmp_path: Path) -> UserData:
    return UserData(tmp_path / "home")


@pytest.fixture
def wl(tmp_path: Path) -> Path:
    path = tmp_path / "list.txt"
    path.write_text(WORDLIST, encoding="utf-8")
    return path


@pytest.fixture
def engine(wl: Path) -> Engine:
    return Engine(load_wordlists([str(wl)]))


@pytest.fixture
def doc(tmp_path: Path) -> Path:
    path = tmp_path / "doc.txt"
    path.write_text(DOC, encoding="utf-8")
    return path
