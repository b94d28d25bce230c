"""Throughput of `repair check` against codespell and typos on three 20 MB corpora (a benchmark, not a test).

Usage (the venv needs the bench extra: pip install -e '.[bench]'):

    python tests/benchmarks/throughput.py [--rounds 5] [--mb 20] [--corpus clean,spun,mixed] [--keep DIR]
        [--repair LABEL=PATH ...] [--big-mb 50] [--startup-runs 7]

The corpora (clean prose, densely spun text, half and half) are built by throughput_corpus.py, which says how.
On each corpus every command runs once per round, back to back, the order rotating by one each round so that
no command always runs first or after the same one; a 2-core shared machine drifts by ±20 % over minutes,
which moves times taken minutes apart but hardly the runs of one round. Per command it prints the median
seconds, MB/s, its ratio to codespell (codespell's time over its time in the same round: > 1 is faster than
codespell) as median and range, and its peak memory (the largest resident set of the process or any process
it waited for, from wait4). `-j 2` speed-up is one process's time over `-j 2`'s, per round.

Commands: `codespell DIR` (its default dictionary), `typos --threads 1 DIR` and `typos DIR` (all cores),
`repair check --no-config -q DIR` with `-j 1` (one process) and with `-j 2`, output discarded, with an empty user data
folder. `--repair LABEL=PATH` (repeatable) names the `repair` executables to compare, e.g. the previous
code's venv: each gets its one-process and `-j 2` rows; the default is this venv's `repair`.
Start-up: a one-line file, --startup-runs runs of each command alternating, median. `--big-mb N` adds one
spun file of N MB, run once per repair: time and peak memory (the streaming target).
"""

from __future__ import annotations

import argparse
import datetime
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import throughput_corpus as corpora  # a sibling script, not a package

MB = corpora.MB


@dataclass
class Command:
    label: str
    argv: list[str]
    ok: tuple[int, ...]
    seconds: list[float] = field(default_factory=list)
    peak_kb: int = 0


def run(argv: Sequence[str], ok: Sequence[int], env: dict[str, str]) -> tuple[float, int]:
    """Wall-clock seconds and peak resident set (KB) of one run; its output discarded."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in ok:
        sys.exit(f"{' '.join(argv)} failed ({proc.returncode}): {err.decode(errors='replace')[-500:]}")
    return elapsed, usage.ru_maxrss


def rounds(commands: list[Command], target: str, count: int, env: dict[str, str]) -> None:
    """Every command once per round on `target`, the order rotating by one each round."""
    for r in range(count):
        shift = r % len(commands)
        for command in commands[shift:] + commands[:shift]:
            seconds, peak = run([*command.argv, target], command.ok, env)
            command.seconds.append(seconds)
            command.peak_kb = max(command.peak_kb, peak)
        print(f"  round {r + 1}: " + ", ".join(f"{c.label} {c.seconds[-1]:.2f}" for c in commands), file=sys.stderr)


def spread(values: Sequence[float]) -> str:
    ordered = sorted(values)
    return f"{statistics.median(ordered):.2f} ({ordered[0]:.2f}–{ordered[-1]:.2f})"


def table(commands: list[Command], mb: float) -> list[str]:
    spell = commands[0].seconds
    lines = [
        "| command | median s | MB/s | ratio to codespell, median (range) | peak MB |",
        "|---|---|---|---|---|",
    ]
    for c in commands:
        ratios = [s / t for s, t in zip(spell, c.seconds, strict=True)]
        median = statistics.median(c.seconds)
        lines.append(f"| {c.label} | {median:.2f} | {mb / median:.2f} | {spread(ratios)} | {c.peak_kb / 1024:.0f} |")
    return lines


def tools(repairs: list[tuple[str, str]]) -> list[Command]:
    """codespell, typos (1 thread, all threads), then each repair in one process and -j 2."""
    bindir = Path(sys.executable).parent
    codespell = shutil.which("codespell", path=str(bindir)) or shutil.which("codespell")
    typos = shutil.which("typos", path=str(bindir)) or shutil.which("typos")
    if codespell is None or typos is None:
        sys.exit("codespell and typos are needed: pip install -e '.[bench]'")
    commands = [
        Command("codespell", [codespell], (0, 65)),
        Command("typos --threads 1", [typos, "--threads", "1"], (0, 2)),
        Command("typos (all threads)", [typos], (0, 2)),
    ]
    for label, path in repairs:
        check = [path, "check", "--no-config", "-q"]
        # `-j 1` said: without it a corpus of 1 MB or more is scanned on every core (`batch.default_jobs`).
        commands.append(Command(f"`{label} check -j 1`", [*check, "-j", "1"], (0, 1)))
        commands.append(Command(f"`{label} check -j 2`", [*check, "-j", "2"], (0, 1)))
    return commands


def startup(commands: list[Command], scratch: Path, count: int, env: dict[str, str]) -> list[str]:
    tiny = scratch / "one-line.txt"
    tiny.write_text("One short line of text.\n", encoding="utf-8")
    single = [Command(c.label, c.argv, c.ok) for c in commands if "-j 2" not in c.label]
    rounds(single, str(tiny), count, env)
    lines = ["| command | start-up s, median (range) | peak MB |", "|---|---|---|"]
    lines += [f"| {c.label} | {spread(c.seconds)} | {c.peak_kb / 1024:.0f} |" for c in single]
    return lines


@contextmanager
def workspace(keep: str | None, prefix: str) -> Iterator[tuple[Path, dict[str, str]]]:
    """The corpora's folder (`keep`, else a temporary one) and an environment with an empty user data folder.

    Both removed afterwards, except a folder given to keep.
    """
    scratch = Path(keep) if keep else Path(tempfile.mkdtemp(prefix=prefix))
    home = Path(tempfile.mkdtemp(prefix="repair-home-"))
    try:
        yield scratch, {**os.environ, "REPAIR_HOME": str(home)}
    finally:
        shutil.rmtree(home, ignore_errors=True)
        if not keep:
            shutil.rmtree(scratch, ignore_errors=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=20.0, help="size of each corpus in MB (default 20)")
    parser.add_argument("--rounds", type=int, default=5, help="rounds per corpus (default 5)")
    parser.add_argument("--corpus", default=",".join(corpora.KINDS), help="which corpora (default all three)")
    parser.add_argument("--repair", action="append", metavar="LABEL=PATH", help="a repair executable to compare")
    parser.add_argument("--keep", metavar="DIR", help="build the corpora in DIR (reused if there) and keep them")
    parser.add_argument("--startup-runs", type=int, default=7, help="runs of each command on a one-line file")
    parser.add_argument("--big-mb", type=float, default=0, help="also check one spun file of this many MB")
    args = parser.parse_args(argv)
    default = str(Path(sys.executable).parent / "repair")
    repairs = [tuple(spec.split("=", 1)) for spec in args.repair or [f"repair={default}"]]
    commands = tools(repairs)  # type: ignore[arg-type]

    with workspace(args.keep, "repair-throughput-") as (scratch, env):
        print(f"# Throughput, {datetime.date.today().isoformat()}, {os.cpu_count()} CPUs, {args.rounds} rounds")
        for label, path in repairs:
            print(f"# {label} = {path}")
        for kind in args.corpus.split(","):
            folder = scratch / kind
            if not folder.is_dir():
                corpora.build(folder, kind, int(args.mb * MB))
            files = list(folder.iterdir())
            mb = sum(p.stat().st_size for p in files) / MB
            print(f"\n## {kind}: {len(files)} files, {mb:.1f} MB, digest {corpora.digest(folder)}\n")
            per_corpus = [Command(c.label, c.argv, c.ok) for c in commands]
            rounds(per_corpus, str(folder), args.rounds, env)
            print("\n".join(table(per_corpus, mb)))
            for one, two in zip(per_corpus[3::2], per_corpus[4::2], strict=True):
                speedup = [a / b for a, b in zip(one.seconds, two.seconds, strict=True)]
                print(f"\n{two.label} speed-up over one process, median (range): {spread(speedup)}")
        print("\n## start-up (a one-line file)\n")
        print("\n".join(startup(commands, scratch, args.startup_runs, env)))
        if args.big_mb:
            big = scratch / "big-spun.txt"
            if not big.is_file():
                corpora.build_big_spun(big, int(args.big_mb * MB))
            print(f"\n## one spun file of {big.stat().st_size / MB:.0f} MB (once each)\n")
            print("| command | seconds | peak MB |\n|---|---|---|")
            for c in commands[3:]:
                seconds, peak = run([*c.argv, str(big)], c.ok, env)
                print(f"| {c.label} | {seconds:.1f} | {peak / 1024:.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
