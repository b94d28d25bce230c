"""How fast could any `repair check` written in Python be? A floor, against codespell (a benchmark, not a test).

Usage (the venv needs the bench extra: pip install -e '.[bench]'):

    python tests/benchmarks/floor.py [--mb 2] [--rounds 5] [--corpus clean,spun,mixed] [--keep DIR]

Per corpus (built by throughput_corpus.py, as throughput.py builds them), two processes run once per round, the
order alternating, as throughput.py runs them: codespell, and the *floor*, a Python process that does only what
every design of `check` must do before it matches or scores anything (start Python, import the engine and load its
lists, read each file, lower it, cut it into words, look every word up among the lists' one-word keys) and prints
nothing. Then, in another process, the *output floor*: the seconds `format_finding` takes to write the lines `check`
prints for the corpus (a file at a time, its findings made beforehand and untimed), the least any design pays per
line it prints. `repair check` itself is throughput.py's to time.

Printed per corpus: the median seconds and ratio to codespell (codespell's time over the other's, per round: > 1
is faster than codespell) of the floor, and of the floor and the output floor together: the most any Python `check`
over this tokenizer could reach were matching and scoring free.
"""

from __future__ import annotations

import argparse
import datetime
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import throughput as bench  # sibling scripts, not a package
import throughput_corpus as corpora


def floor(folder: str) -> None:
    """Less than every `check` does before matching: imports, lists, reading, lowering, cutting, looking up."""
    from repair.core.engine import Engine
    from repair.core.text import lowered, words_of

    single = Engine().matcher._single
    for path in sorted(Path(folder).iterdir()):
        words = words_of(lowered(path.read_text(encoding="utf-8"))).words
        sum(map(single.__contains__, words))


def output_floor(folder: Path) -> tuple[int, float]:
    """The lines `check` prints for `folder` and the seconds formatting them takes (each file's scan untimed).

    A file at a time, as `check` streams them, so that no more findings are held than one file's.
    """
    from repair.cli.report import format_finding
    from repair.edge.api import scan

    lines, seconds = 0, 0.0
    for path in sorted(folder.iterdir()):
        found = scan(path.read_text(encoding="utf-8"))
        start = time.perf_counter()
        text = "\n".join(format_finding(str(path), f) for f in found)
        seconds += time.perf_counter() - start
        lines += len(found)
        assert text or not found
    return lines, seconds


def ratios(spell: list[float], ours: list[float]) -> str:
    """codespell's time over ours, per round: median (range)."""
    return bench.spread([s / t for s, t in zip(spell, ours, strict=True)])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=2.0, help="size of each corpus in MB (default 2)")
    parser.add_argument("--rounds", type=int, default=5, help="rounds per corpus (default 5)")
    parser.add_argument("--corpus", default=",".join(corpora.KINDS), help="which corpora (default all three)")
    parser.add_argument("--keep", metavar="DIR", help="build the corpora in DIR (reused if there) and keep them")
    parser.add_argument("--floor", metavar="DIR", help=argparse.SUPPRESS)  # the child: the floor itself
    parser.add_argument("--output-floor", metavar="DIR", help=argparse.SUPPRESS)  # the child: the output floor
    args = parser.parse_args()
    if args.floor:
        floor(args.floor)
        return 0
    if args.output_floor:
        print(json.dumps(output_floor(Path(args.output_floor))))
        return 0
    spell = bench.tools([])[0]
    floor_cmd = bench.Command("floor", [sys.executable, __file__, "--floor"], (0,))
    with bench.workspace(args.keep, "repair-floor-") as (scratch, env):
        print(f"# The floor of a Python `check`, {datetime.date.today().isoformat()}, {args.rounds} rounds\n")
        print("| corpus | MB | codespell s | floor s | ratio | lines printed | output floor s | ratio with output |")
        print("|---|---|---|---|---|---|---|---|")
        for kind in args.corpus.split(","):
            folder = scratch / kind
            if not folder.is_dir():
                corpora.build(folder, kind, int(args.mb * corpora.MB))
            mb = sum(p.stat().st_size for p in folder.iterdir()) / corpora.MB
            commands = [bench.Command(c.label, c.argv, c.ok) for c in (spell, floor_cmd)]
            bench.rounds(commands, str(folder), args.rounds, env)
            child = [sys.executable, __file__, "--output-floor", str(folder)]
            lines, seconds = json.loads(subprocess.run(child, check=True, capture_output=True, env=env).stdout)
            spelt, floors = commands[0].seconds, commands[1].seconds
            print(
                f"| {kind} ({corpora.digest(folder)}) | {mb:.1f} | {statistics.median(spelt):.2f} | "
                f"{statistics.median(floors):.2f} | {ratios(spelt, floors)} | {lines:,} | {seconds:.2f} | "
                f"{ratios(spelt, [f + seconds for f in floors])} |"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
