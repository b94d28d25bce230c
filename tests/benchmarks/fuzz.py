"""The fuzz benchmark of issue 12: 100,000 and more cases, and what they found.

    python tests/benchmarks/fuzz.py                      # the default: 160,000 cases (~20 min on 2 cores)
    python tests/benchmarks/fuzz.py --cli 2000 --engine 2000 --encodings 2000 --examples 200   # a quick look

Four parts, each seeded (a problem names the seed that reproduces it; see tests/fuzzing.py):

- CLI: random files (plain, Markdown, HTML; UTF-8/16/32, BOMs, Latin-1, cp1252; CRLF, damage)
  through `repair check --format json --all`, `repair fix --output-dir` (now and then
  `--in-place`, `-j 2`, `--safety choose`), a second fix, and random command lines, in
  rounds of 100 files: exit 0/1/2 only, one `repair...` line per problem, bytes outside the
  reported findings unchanged, backups the originals;
- engine: random texts through `repair.scan` and `repair.fix`: no exception, findings that
  are the text's own, and how often a second fix changes something (issue 12 point 8);
- encodings: random bytes and texts under 14 codecs: written back unchanged, or refused in one line;
- hypothesis: the property tests of tests/test_fuzz.py with `--examples` examples each.

Prints one table (and with --json one JSON object); exits 1 if any property failed.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.fuzzing import Tally, cli_round, encodings_case, engine_case  # noqa: E402

ROUND = 100  # files per CLI round


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cli", type=int, default=50_000, help="files through the CLI (default 50,000)")
    parser.add_argument("--engine", type=int, default=50_000, help="texts through the API (default 50,000)")
    parser.add_argument("--encodings", type=int, default=50_000, help="byte strings decoded (default 50,000)")
    parser.add_argument("--examples", type=int, default=2_500, help="hypothesis examples per property (default 2,500)")
    parser.add_argument("--seed", type=int, default=0, help="first seed (default 0)")
    parser.add_argument("--json", action="store_true", help="also print the figures as one JSON object")
    args = parser.parse_args()
    os.environ["REPAIR_HOME"] = tempfile.mkdtemp(prefix="repair-fuzz-home-")
    from repair import fix, scan

    rows: list[tuple[str, Tally, float]] = []
    started = time.perf_counter()
    cli = Tally()
    with tempfile.TemporaryDirectory(prefix="repair-fuzz-") as folder:
        for k in range(-(-args.cli // ROUND)):
            cli.add(cli_round(args.seed + k, Path(folder) / "round", ROUND))
    rows.append(("CLI (files)", cli, time.perf_counter() - started))

    started = time.perf_counter()
    engine = Tally()
    for seed in range(args.seed, args.seed + args.engine):
        engine.add(engine_case(seed, fix, lambda text: scan(text, threshold=0)))
    rows.append(("engine (texts)", engine, time.perf_counter() - started))

    started = time.perf_counter()
    codecs_tally = Tally()
    for seed in range(args.seed, args.seed + args.encodings):
        codecs_tally.add(encodings_case(seed))
    rows.append(("encodings (byte strings)", codecs_tally, time.perf_counter() - started))

    started = time.perf_counter()
    hypothesis = _hypothesis(args.examples)
    rows.append(("hypothesis (examples)", hypothesis, time.perf_counter() - started))

    total = sum(t.cases for _, t, _ in rows)
    heads = ("cases", "written", "changed", "refused", "2nd fix", "problems")
    print(f"{'part':26} " + " ".join(f"{h:>8}" for h in heads) + f" {'s':>7}")
    for name, t, seconds in rows:
        print(
            f"{name:26} {t.cases:8,} {t.written:8,} {t.changed:8,} {t.refused:8,} {t.not_idempotent:8,} "
            f"{len(t.problems):8,} {seconds:7.0f}"
        )
    print(f"{'total':26} {total:8,}")
    for _, t, _ in rows:
        for problem in t.problems[:20]:
            print("PROBLEM", problem)
    for name, t, _ in rows:
        if t.examples:
            print(f"a second fix changed ({name}):", ", ".join(t.examples[:5]))
    if args.json:
        figures = {name: {"cases": t.cases, "problems": len(t.problems), "second_fix_changed": t.not_idempotent}
                   for name, t, _ in rows}  # fmt: skip
        print(json.dumps({"total_cases": total, **figures}))
    return 1 if any(t.problems for _, t, _ in rows) else 0


def _hypothesis(examples: int) -> Tally:
    """The property tests of tests/test_fuzz.py (the point-8 xfail aside) with `examples` examples each."""
    properties = [
        "test_any_text_scans_into_findings_that_are_its_own",
        "test_bytes_are_read_and_written_back_unchanged_or_refused",
        "test_edits_in_bytes_that_do_not_round_trip_keep_the_rest",
    ]
    argv = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(ROOT / "tests" / "test_fuzz.py")]
    argv += ["-k", " or ".join(properties)]
    env = {**os.environ, "REPAIR_FUZZ_EXAMPLES": str(examples)}
    done = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    tally = Tally(cases=examples * len(properties))
    if done.returncode != 0:
        tally.problems.append("hypothesis: " + (done.stdout.strip().splitlines() or ["failed"])[-1])
    return tally


if __name__ == "__main__":
    raise SystemExit(main())
