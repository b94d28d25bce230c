"""The wheel carries the wordlists, and the console script is declared."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from .conftest import REPO


@pytest.mark.slow
def test_wheel_contains_the_wordlists(tmp_path: Path) -> None:
    shipped = sorted(p.name for p in (REPO / "wordlists").iterdir() if p.is_file())
    assert "news.txt" in shipped
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(tmp_path), str(REPO)],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for name in shipped:
        assert f"repair/wordlists/{name}" in names
    assert "repair/engine.py" in names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "repair = repair.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()
