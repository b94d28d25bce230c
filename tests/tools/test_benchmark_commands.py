"""The benchmark scripts time what their tables say they time."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def test_the_throughput_benchmarks_one_process_row_runs_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    # Without `-j`, `repair check` scans 1 MB or more on every core (`batch.default_jobs`): the row would be `-j 2`.
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    sys.modules.pop("throughput", None)
    import throughput

    monkeypatch.setattr(throughput.shutil, "which", lambda name, path=None: f"/bin/{name}")
    commands = throughput.tools([("new", "/venv/bin/repair")])
    repair = [c for c in commands if c.argv[0] == "/venv/bin/repair"]
    assert [c.argv[-2:] for c in repair] == [["-j", "1"], ["-j", "2"]]
    assert [c.label for c in repair] == ["`new check -j 1`", "`new check -j 2`"]


def test_the_floor_benchmark_formats_the_lines_check_prints(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The output floor is the cost of `check`'s own lines: as many as `check` prints, in its format.
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    sys.modules.pop("floor", None)
    import floor

    from repair.cli import main

    from ..conftest import CLEAN_SEED, SPUN_SEED

    for seed in (SPUN_SEED, CLEAN_SEED):
        (tmp_path / seed.name).write_bytes(seed.read_bytes())
    lines, seconds = floor.output_floor(tmp_path)
    main(["check", "--no-config", "-j", "1", str(tmp_path)])
    printed = [line for line in capsys.readouterr().out.splitlines() if line.startswith(str(tmp_path))]
    assert lines == len(printed) > 100
    assert seconds > 0
