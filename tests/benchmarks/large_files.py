"""Large files: peak memory and time of `check` and `fix` on one big spun file, and what blocks change (a benchmark).

Usage (from the repository, with its venv):

    python tests/benchmarks/large_files.py memory [--mb 50] [--keep DIR] [--repair PATH] [--jobs 1]
    python tests/benchmarks/large_files.py difference [--mb 1] [--kind spun|mixed|clean]

`memory` builds one spun file of `--mb` MB (tests/benchmarks/throughput_corpus.py's `build_big_spun`) and runs
`repair check` (human and JSON), `repair check --format sarif` and `repair fix -o` on it, one at a time, printing
the seconds and the peak resident set of the largest process (wait4), output discarded. The streaming target:
~300 MB whatever the file's size.

`difference` scans one text of `--mb` MB both ways in this process: as blocks (what the commands do, each block a
document of its own: repair.edge.blocks) and whole (the engine given the whole text as one document), and counts
how many findings are the same, differ (suggestion, confidence to two places, or safety), or are found one way only,
and the spin rates the blocks had against the whole text's. Expect minutes and gigabytes for the whole scan: a
whole-text scan holds every finding (which is why the commands scan in blocks).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import throughput_corpus as corpora  # a sibling script, not a package

MB = corpora.MB


def _measure(argv: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """Seconds, peak resident MB (the largest process), exit status."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    return time.perf_counter() - start, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def memory(args: argparse.Namespace) -> None:
    scratch = Path(args.keep or tempfile.mkdtemp(prefix="repair-large-"))
    scratch.mkdir(parents=True, exist_ok=True)
    big = scratch / f"spun-{args.mb:g}mb.txt"
    if not big.is_file():
        corpora.build_big_spun(big, int(args.mb * MB))
    home = Path(tempfile.mkdtemp(prefix="repair-home-"))
    env = {**os.environ, "REPAIR_HOME": str(home)}
    repair = args.repair or str(Path(sys.executable).parent / "repair")
    base = [repair, "--no-config", "-q", "-j", str(args.jobs)]
    runs = {
        "check": ["check", *base[1:], str(big)],
        "check --format json": ["check", *base[1:], "--format", "json", str(big)],
        "check --format sarif": ["check", *base[1:], "--format", "sarif", str(big)],
        "fix -o": ["fix", *base[1:], "--force", "-o", str(scratch / "fixed.txt"), str(big)],
    }
    print(f"# one spun file of {big.stat().st_size / MB:.1f} MB, {repair}, -j {args.jobs}\n")
    print("| command | seconds | peak MB | exit |\n|---|---|---|---|")
    for label, argv in runs.items():
        seconds, peak, code = _measure([repair, *argv], env)
        print(f"| `repair {label}` | {seconds:.1f} | {peak:.0f} | {code} |", flush=True)


def difference(args: argparse.Namespace) -> None:
    from repair.core.engine import Engine
    from repair.edge.batch import scan_text
    from repair.edge.blocks import BLOCK_CHARS, text_blocks

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "text.txt"
        if args.kind == "spun":
            corpora.build_big_spun(path, int(args.mb * MB))
        else:
            corpora.build(Path(folder) / "corpus", args.kind, int(args.mb * MB))
            path.write_text(
                "\n\n".join(p.read_text(encoding="utf-8") for p in sorted((Path(folder) / "corpus").iterdir()))
            )
        text = path.read_text(encoding="utf-8")
    engine = Engine()
    engine.scan("warm up: the squaddies argued in opposition to it.\n")
    start = time.perf_counter()
    blocked = scan_text(engine, text)
    blocks_s = time.perf_counter() - start
    start = time.perf_counter()
    whole = engine.scan(text)
    whole_s = time.perf_counter() - start

    def key(f: object) -> tuple[int, int]:
        return f.start, f.end  # type: ignore[attr-defined]

    def shown(f: object) -> tuple[object, ...]:
        return f.suggestions[:1], round(f.confidence, 2), f.safety  # type: ignore[attr-defined]

    a, b = {key(f): f for f in blocked}, {key(f): f for f in whole}
    same = sum(1 for k in a.keys() & b.keys() if shown(a[k]) == shown(b[k]))
    differ = len(a.keys() & b.keys()) - same
    reported = (sum(f.confidence >= 0.5 for f in blocked), sum(f.confidence >= 0.5 for f in whole))
    rates = [f.evidence["spin_rate"] for f in whole[:1]]
    block_rates = []
    for block in text_blocks(text):
        found = engine.scan(block.text) if args.rates else []
        if found:
            block_rates.append(found[0].evidence["spin_rate"])
    n_blocks = sum(1 for _ in text_blocks(text))
    print(f"# {args.kind}, {len(text) / MB:.2f} M characters, {n_blocks} blocks of at most {BLOCK_CHARS:,}\n")
    print("| | findings |\n|---|---|")
    print(f"| in blocks (what the commands do) | {len(blocked):,} ({reported[0]:,} at confidence >= 0.5) |")
    print(f"| whole text as one document | {len(whole):,} ({reported[1]:,} at confidence >= 0.5) |")
    print(f"| same span, suggestion, confidence (2 places) and safety | {same:,} |")
    print(f"| same span, something else differs | {differ:,} |")
    print(f"| in blocks only | {len(a.keys() - b.keys()):,} |")
    print(f"| whole only | {len(b.keys() - a.keys()):,} |")
    print(f"\nseconds: blocks {blocks_s:.1f}, whole {whole_s:.1f}")
    if rates and block_rates:
        print(
            f"spin rate: whole text {rates[0]:.4f}; blocks median {statistics.median(block_rates):.4f}, "
            f"range {min(block_rates):.4f}-{max(block_rates):.4f}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="what", required=True)
    mem = sub.add_parser("memory", help="peak memory and time on one big spun file")
    mem.add_argument("--mb", type=float, default=50.0)
    mem.add_argument("--keep", metavar="DIR", help="build the file in DIR (reused if there)")
    mem.add_argument("--repair", metavar="PATH", help="the repair executable (default: this venv's)")
    mem.add_argument("--jobs", type=int, default=1)
    diff = sub.add_parser("difference", help="findings in blocks against the whole text as one document")
    diff.add_argument("--mb", type=float, default=1.0)
    diff.add_argument("--kind", choices=("spun", "mixed", "clean"), default="spun")
    diff.add_argument("--rates", action="store_true", help="also scan each block alone to report its spin rate")
    args = parser.parse_args(argv)
    memory(args) if args.what == "memory" else difference(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
