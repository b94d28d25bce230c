"""The wheel carries the wordlists and the dev-pair split, declares the console script, and works installed."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from .conftest import CLEAN_SEED, REPO, SPUN_SEED


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(REPO)],
        check=True,
        capture_output=True,
    )
    (found,) = out.glob("*.whl")
    return found


@pytest.mark.slow
def test_wheel_contains_the_wordlists_and_the_layers(wheel: Path) -> None:
    shipped = sorted(p.name for p in (REPO / "wordlists").iterdir() if p.is_file())
    assert {"news.txt", "devpairs-split.toml", "inflections.tsv", "thesaurus.tsv.gz"} <= set(shipped)
    names = zipfile.ZipFile(wheel).namelist()
    for name in shipped:
        assert f"repair/wordlists/{name}" in names
    for module in ("core/engine.py", "edge/setup.py", "cli/parser.py", "tui/app.py", "py.typed"):
        assert f"repair/{module}" in names
    assert not any(name.startswith(("tests/", "scripts/", "repair/wordlists/build_")) for name in names)
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "repair = repair.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


@pytest.mark.slow
def test_eval_split_works_from_the_installed_wheel(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site), str(wheel)],
        check=True,
        capture_output=True,
    )
    # Pairs named as the shipped split's tune group, made from the seeds.
    split = tomllib.loads((REPO / "wordlists" / "devpairs-split.toml").read_text(encoding="utf-8"))
    pairs = tmp_path / "pairs"
    pairs.mkdir()
    for name in split["tune"]:
        (pairs / f"{name}.spun.txt").write_text(SPUN_SEED.read_text(encoding="utf-8"), encoding="utf-8")
        (pairs / f"{name}.orig.txt").write_text(CLEAN_SEED.read_text(encoding="utf-8"), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(site)}  # the installed copy, not the source tree
    code = "import repair.tools.evaluate as e; print(e.split_file())"
    where = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, env=env)
    assert where.stdout.strip() == str(site / "repair" / "wordlists" / "devpairs-split.toml")
    done = subprocess.run(
        [sys.executable, "-m", "repair", "eval", "--pairs", str(pairs), "--split", "tune"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    assert f"micro: tune ({len(split['tune'])} pairs)" in done.stdout
