"""Latency of the review app on a big spun document (a benchmark, not a test).

Builds a ~2 MB document by repeating seeds/000_*.txt, then drives the app headless
with Pilot and reports:

  first paint     from importing the app until the first screen is drawn (the scan runs behind it)
  scan ready      from importing the app until the findings are highlighted and keys act
  next / accept   a key press until the last frame it caused (median and 95th percentile),
                  and the UI thread's CPU time over the same span (less sensitive to a busy machine)

Usage: python tests/benchmarks/tui_latency.py [--mb 2] [--presses 50] [--size 80x24] [--wordlist PATH]

Without --wordlist it uses the shipped lists when they exist, else a wordlist made from
the hand-restored gold edits of seed 000 (tests/data/seed000.gold.md).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seeds" / "000_a86f99f445087a45.txt"
GOLD = ROOT / "tests" / "data" / "seed000.gold.md"


def gold_wordlist(folder: Path) -> Path:
    """`spun -> original` lines from the gold edits, as a wordlist."""
    pairs: dict[str, str] = {}
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^([^#(]+?) -> ([^(]+?)(\s*\(.*)?$", line.strip())
        if m and re.search("[a-z]", m.group(1).lower()):
            pairs.setdefault(m.group(1).strip().lower(), m.group(2).strip())
    path = folder / "gold.txt"
    path.write_text("".join(f"{s} -> {o} ; noinflect\n" for s, o in sorted(pairs.items())), encoding="utf-8")
    return path


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def measure(doc: Path, wordlists: tuple[str, ...], home: Path, presses: int, size: tuple[int, int]) -> dict:
    """Times are taken when the compositor produces a frame (the headless driver then drops it)."""
    started = time.perf_counter()  # before importing Textual, as `repair review` starts
    from repair.review import ReviewOptions
    from repair.tui.app import create_app

    frames: list[tuple[float, float]] = []  # (wall clock, this thread's CPU time)
    app = create_app(ReviewOptions(paths=(str(doc),), wordlists=wordlists, home=str(home)))
    display = app._display

    def record(screen, renderable):  # type: ignore[no-untyped-def]
        if renderable is not None:
            frames.append((time.perf_counter(), time.thread_time()))
        return display(screen, renderable)

    app._display = record  # type: ignore[method-assign]
    results: dict[str, object] = {}
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        results["first paint"] = frames[0][0] - started
        await app.scanned.wait()
        scanned = time.perf_counter()
        await asyncio.sleep(0.2)
        results["scan ready"] = min(t for t, _ in frames if t >= scanned) - started
        session = app.workspace.sessions[0]
        assert session is not None
        results["findings"] = len(session.findings)
        for key in ("n", "a"):
            walls, cpus = [], []
            for _ in range(presses):
                frames.clear()
                t, c = time.perf_counter(), time.thread_time()
                await pilot.press(key)
                await asyncio.sleep(0.08)  # let the refresh timer paint; not counted
                walls.append(frames[-1][0] - t)
                cpus.append(frames[-1][1] - c)
            results[key] = walls
            results[key + " cpu"] = cpus
        results["decided"] = session.progress.reviewed
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=float, default=2.0, help="document size in MB (default 2)")
    parser.add_argument("--presses", type=int, default=50, help="key presses timed per key (default 50)")
    parser.add_argument("--wordlist", action="append", default=[], help="wordlist(s) to use")
    parser.add_argument("--size", default="80x24", help="terminal size, e.g. 80x24 or 200x50")
    args = parser.parse_args(argv)
    width, height = (int(v) for v in args.size.split("x"))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        seed = SEED.read_text(encoding="utf-8")
        text = (seed.rstrip("\n") + "\n") * max(1, round(args.mb * 1_000_000 / len(seed.encode("utf-8"))))
        doc = folder / "big.txt"
        doc.write_text(text, encoding="utf-8")
        wordlists = tuple(args.wordlist)
        if not wordlists:
            from repair.core.wordlists import shipped_names

            wordlists = () if "news" in shipped_names() else (str(gold_wordlist(folder)),)
        os.environ.pop("NO_COLOR", None)
        r = asyncio.run(measure(doc, wordlists, folder / "home", args.presses, (width, height)))
    size_mb = len(text.encode("utf-8")) / 1e6
    print(f"document        {size_mb:.2f} MB, {r['findings']} findings, terminal {args.size}")
    print(f"wordlists       {', '.join(wordlists) or 'shipped'}")
    print(f"first paint     {r['first paint'] * 1000:.0f} ms")
    print(f"scan ready      {r['scan ready'] * 1000:.0f} ms")
    for key, label in (("n", "next (n)"), ("a", "accept (a)")):
        t, c = r[key], r[key + " cpu"]
        print(
            f"{label:<15} median {statistics.median(t) * 1000:.1f} ms, p95 {percentile(t, 0.95) * 1000:.1f} ms"
            f" (CPU of the UI thread: median {statistics.median(c) * 1000:.1f} ms)"
        )
    print(f"load average    {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
