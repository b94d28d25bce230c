"""`repair fix --in-place` killed at random moments (issue 12): every file old or new, every backup the original."""

from __future__ import annotations

import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from repair.cli import ExitCode

from ..conftest import SPUN_SEED

FILES = 240
_TEMP_PID = re.compile(r"\.repair-tmp-(\d+)-")
KILLS = 20
FIX = [sys.executable, "-m", "repair", "fix", "-q", "--no-config", "--no-user-lists"]


def _run(*argv: str, cwd: Path) -> float:
    started = time.perf_counter()
    subprocess.run([*FIX, *argv], cwd=cwd, check=True, timeout=300)
    return time.perf_counter() - started


@pytest.mark.slow
def test_fix_in_place_killed_20_times_leaves_every_file_old_or_new(tmp_path: Path) -> None:
    seed = SPUN_SEED.read_text(encoding="utf-8")
    docs = tmp_path / "docs"
    docs.mkdir()
    originals = {f"doc{k:03}.txt": f"Document {k}.\n{seed}".encode() for k in range(FILES)}
    for name, data in originals.items():
        (docs / name).write_bytes(data)
    # What the fixed files may be: fixed once, or (the run after a kill fixes fixed files again) twice.
    (tmp_path / "once").mkdir()
    (tmp_path / "twice").mkdir()
    seconds = _run("docs", "--output-dir", "once", cwd=tmp_path)
    _run("once", "--output-dir", "twice", cwd=tmp_path)
    allowed = {
        name: {data, (tmp_path / "once" / name).read_bytes(), (tmp_path / "twice" / name).read_bytes()}
        for name, data in originals.items()
    }
    assert all(len(versions) >= 2 for versions in allowed.values())  # every file has something to fix
    rng = random.Random(12)
    mixed = 0  # kills that landed mid-batch: some files written, some not
    killed: set[int] = set()
    for kill in range(KILLS):
        if kill % 2 == 0:  # every other run starts again from the originals (their backups, equal, are no obstacle)
            for name, data in originals.items():
                (docs / name).write_bytes(data)
        proc = subprocess.Popen([*FIX, "docs", "--in-place", "--force"], cwd=tmp_path, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.1, seconds * 1.1))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        killed.add(proc.pid)
        states = set()
        for name, original in originals.items():
            now = (docs / name).read_bytes()
            assert now in allowed[name], f"kill {kill}: {name} is neither old nor new"
            states.add(now == original)
            bak = docs / f"{name}.bak"
            assert not bak.exists() or bak.read_bytes() == original, f"kill {kill}: {name}.bak is not the original"
        # Half-written files only, each of a killed run, at most one per run (a run writes one file at a time).
        # A run killed before its first write has not yet removed what the run before it left.
        left = [int(_TEMP_PID.search(p.name).group(1)) for p in docs.iterdir() if ".repair-tmp-" in p.name]
        assert set(left) <= killed and len(left) == len(set(left)), f"kill {kill}: temporary files {left}"
        mixed += states == {True, False}
    done = subprocess.run([*FIX, "docs", "--in-place", "--force"], cwd=tmp_path, timeout=300, check=False)
    assert done.returncode == ExitCode.OK
    for name, original in originals.items():
        assert (docs / name).read_bytes() in allowed[name] - {original}
        assert (docs / f"{name}.bak").read_bytes() == original
    assert [p.name for p in docs.iterdir() if ".repair-tmp-" in p.name] == []  # the next run cleaned up
    assert mixed >= 3, f"only {mixed} of {KILLS} kills landed while files were being written"
    print(f"kill test: {KILLS} SIGKILLs, {mixed} mid-batch; every file old or new, every backup the original")
