"""Ctrl-C with -j N stops at once and leaves nothing half written (issue 12 point 13)."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from repair.cli import ExitCode

from ..conftest import SPUN_SEED

BIG_MB = 24  # several seconds of scanning for one worker: surely in flight when Ctrl-C comes


@pytest.mark.slow
@pytest.mark.parametrize("mode", [["--output-dir", "out"], ["--in-place"]])
def test_ctrl_c_with_jobs_stops_at_once_and_leaves_nothing_half_written(tmp_path: Path, mode: list[str]) -> None:
    seed = SPUN_SEED.read_bytes()
    folder = tmp_path / "in"
    folder.mkdir()
    (tmp_path / "out").mkdir()
    (folder / "a_big.txt").write_bytes(seed * (BIG_MB * 1_000_000 // len(seed)))
    for k in range(40):
        (folder / f"small{k:02}.txt").write_bytes(seed)
    before = {p.name: p.read_bytes() for p in folder.iterdir() if p.name != "a_big.txt"}
    argv = [sys.executable, "-m", "repair", "fix", "in", *mode, "-j", "2", "-q", "--no-config", "--no-user-lists"]
    with subprocess.Popen(argv, cwd=tmp_path, stderr=subprocess.PIPE, text=True) as proc:
        time.sleep(4)  # the workers have built their engines and the big file is being scanned
        assert proc.poll() is None
        proc.send_signal(signal.SIGINT)
        try:
            _, err = proc.communicate(timeout=5)  # not a measurement: "at once" rather than after the big file
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            pytest.fail("repair fix -j 2 did not stop within 5 s of Ctrl-C")
        children = _children(proc.pid)
    assert proc.returncode == ExitCode.INTERRUPTED
    assert err.splitlines()[-1:] == ["repair: error: interrupted"]
    assert children == []  # no worker left running
    leftovers = [p for p in tmp_path.rglob("*") if ".repair-tmp-" in p.name]
    assert leftovers == []
    for path in folder.iterdir():  # every input old or new, every backup the original
        if path.name.endswith(".bak"):
            assert path.read_bytes() == before[path.name.removesuffix(".bak")]
    for path in (tmp_path / "out").iterdir():
        assert path.read_bytes() != b""


@pytest.mark.slow
def test_workers_end_when_their_parent_is_killed(tmp_path: Path) -> None:
    """`kill -9` of `repair check -j 2`: its workers end too, instead of sleeping on with their memory."""
    seed = SPUN_SEED.read_bytes()
    for k in range(60):
        (tmp_path / f"f{k:02}.txt").write_bytes(seed * 3)
    argv = [sys.executable, "-m", "repair", "check", ".", "-j", "2", "-q", "--no-config", "--no-user-lists"]
    with subprocess.Popen(argv, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) as proc:
        deadline = time.monotonic() + 30
        while len(children := _children(proc.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(children) >= 2, "the workers did not start"  # (and any helper process the pool started)
        proc.kill()
        proc.wait()
    deadline = time.monotonic() + 30  # they look every half second; a generous margin on a loaded machine
    while (alive := [p for p in children if Path(f"/proc/{p}").exists() and not _zombie(p)]) and (
        time.monotonic() < deadline
    ):
        time.sleep(0.1)
    assert alive == []


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] == "Z"
    except OSError:
        return False


def _children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (workers left running would still be here)."""
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                children.append(int(entry.name))
    return children
