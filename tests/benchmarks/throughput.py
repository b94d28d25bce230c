"""Throughput of `repair check` against codespell on the same files (a benchmark, not a test).

Usage: python tests/benchmarks/throughput.py [--mb 20] [--runs 3] [--wordlist SPEC ...] [--keep DIR]

The corpus (~20 MB by default, written to a temporary folder) mixes real English on this machine:
  * the two seeds (seed 000 is thesaurus-spun news, seed 004 is clean news): every eighth file is
    seed 000 repeated, so spun text is always present;
  * the licence texts in /usr/share/common-licenses (GPL, LGPL, GFDL, Apache, MPL, ...);
  * Python's own reference documentation (`pydoc_data.topics`), its LICENSE.txt and IDLE's *.txt notes.
Paragraphs are drawn at random (fixed seed) into files from 2 KB to 400 KB (log-uniform sizes), so
the text repeats: about 1.3 MB of distinct prose makes up the 20 MB.

Measured, each as a subprocess, best of --runs wall-clock runs:
  * `repair check DIR` in one process, and with `-j 2`;
  * `repair fix --output-dir` on the corpus (the batch fixer, writing every cleaned file);
  * `repair check` on the spun-seed files alone and on the other prose alone;
  * `codespell DIR` (the venv's codespell, its default dictionary);
  * the ratio of the two (codespell's time over repair's, one process) in --pairs back-to-back
    pairs, reported as their median and range: the fair figure on a machine whose speed drifts;
  * start-up alone: `repair check` on a one-line file;
  * scaling: ~4 MB made of files of 8 KB, 64 KB, 512 KB and 4 MB each, `repair check` in one process.
Without --wordlist the shipped lists are used, or, when none are shipped yet, a list made from the
hand-restored gold edits of seed 000 (tests/data/seed000.gold.md).
"""

from __future__ import annotations

import argparse
import datetime
import math
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
SPUN_SEED = SEEDS / "000_a86f99f445087a45.txt"
GOLD = ROOT / "tests" / "data" / "seed000.gold.md"
LICENSES = Path("/usr/share/common-licenses")
MB = 1_000_000
SCALING_SIZES = (8_000, 64_000, 512_000, 4_000_000)
SCALING_TOTAL = 4_000_000


# ---------------------------------------------------------------- the corpus


def prose_sources() -> dict[str, str]:
    """Real English prose available locally, by name."""
    sources: dict[str, str] = {}
    for path in sorted(SEEDS.glob("*.txt")):
        sources[f"seed:{path.name}"] = path.read_text(encoding="utf-8")
    if LICENSES.is_dir():
        seen: set[Path] = set()
        for path in sorted(LICENSES.iterdir()):
            real = path.resolve()
            if real.is_file() and real not in seen:
                seen.add(real)
                sources[f"license:{path.name}"] = real.read_text(encoding="utf-8", errors="replace")
    try:
        from pydoc_data.topics import topics

        sources["python-docs"] = "\n\n".join(topics.values())
    except ImportError:
        pass
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    for path in [stdlib / "LICENSE.txt", *sorted((stdlib / "idlelib").glob("*.txt"))]:
        if path.is_file():
            sources[f"python:{path.name}"] = path.read_text(encoding="utf-8", errors="replace")
    return sources


def paragraphs(text: str) -> list[str]:
    parts = [p.strip() for p in re.split(r"\n\s*\n|\n(?=\S)", text)]
    return [p for p in parts if len(p) > 40]


def build_corpus(folder: Path, total: int, rng: random.Random) -> tuple[int, int]:
    """Write files of mixed prose until `total` bytes; returns (files, bytes)."""
    pool = [p for text in prose_sources().values() for p in paragraphs(text)]
    spun = SPUN_SEED.read_text(encoding="utf-8")
    written = count = 0
    while written < total:
        size = min(int(math.exp(rng.uniform(math.log(2_000), math.log(400_000)))), total - written)
        if count % 8 == 0:
            body = (spun * (size // len(spun) + 1))[:size]
        else:
            chunks, length = [], 0
            while length < size:
                chunk = rng.choice(pool)
                chunks.append(chunk)
                length += len(chunk) + 2
            body = "\n\n".join(chunks)
        data = body.encode("utf-8")
        (folder / f"doc{count:05d}.txt").write_bytes(data + b"\n")
        written += len(data) + 1
        count += 1
    return count, written


def split_corpus(corpus: Path, scratch: Path) -> tuple[Path, Path]:
    """Two folders of links into the corpus: the spun-seed files (every eighth), and the rest."""
    spun, other = scratch / "spun-only", scratch / "other-only"
    for folder in (spun, other):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
    for index, path in enumerate(sorted(corpus.iterdir())):
        ((spun if index % 8 == 0 else other) / path.name).symlink_to(path.resolve())
    return spun, other


def build_sized(folder: Path, size: int, total: int, rng: random.Random) -> None:
    """Files of `size` bytes each, about `total` bytes in all."""
    pool = [p for text in prose_sources().values() for p in paragraphs(text)]
    for k in range(max(1, total // size)):
        chunks, length = [], 0
        while length < size:
            chunk = rng.choice(pool)
            chunks.append(chunk)
            length += len(chunk) + 2
        (folder / f"f{k:05d}.txt").write_text("\n\n".join(chunks)[:size], encoding="utf-8")


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


# ---------------------------------------------------------------- timing


def timed(command: Sequence[str], ok: Sequence[int]) -> float:
    """Wall-clock seconds of one run of `command` (its output discarded)."""
    start = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode not in ok:
        sys.exit(f"{' '.join(command)} failed ({done.returncode}): {done.stderr.decode()[-500:]}")
    return elapsed


def best_time(command: Sequence[str], runs: int, ok: Sequence[int]) -> float:
    return min(timed(command, ok) for _ in range(runs))


def paired_ratios(repair: Sequence[str], codespell: Sequence[str], pairs: int) -> list[float]:
    """codespell's time over repair's, from `pairs` back-to-back runs of the two.

    A busy or shared machine drifts in speed over minutes, which moves two best-of-N
    times measured minutes apart; the two runs of a pair see nearly the same machine.
    The order alternates, so neither program always runs second.
    """
    ratios = []
    for i in range(pairs):
        if i % 2 == 0:
            ours = timed(repair, (0, 1))
            theirs = timed(codespell, (0, 65))
        else:
            theirs = timed(codespell, (0, 65))
            ours = timed(repair, (0, 1))
        ratios.append(theirs / ours)
    return ratios


def gold_wordlist(folder: Path) -> Path:
    """`spun -> original` lines from the hand-restored gold edits of seed 000."""
    entries: dict[str, str] = {}
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^([^#(]+?) -> ([^(]+?)(\s*\(.*)?$", line.strip())
        if m and re.search("[a-z]", m.group(1).lower()) and not m.group(1).strip().isdigit():
            entries.setdefault(m.group(1).strip().lower(), m.group(2).strip())
    path = folder / "gold-wordlist.txt"
    path.write_text("".join(f"{k} -> {v}\n" for k, v in sorted(entries.items())), encoding="utf-8")
    return path


def wordlist_args(specs: Sequence[str] | None, scratch: Path) -> tuple[list[str], str]:
    if specs:
        return [a for s in specs for a in ("--wordlist", s)], ", ".join(specs)
    try:
        from repair.core.wordlists import load_shipped

        lists = load_shipped()
        return [], "shipped: " + ", ".join(f"{wl.name} ({len(wl.entries)} entries)" for wl in lists)
    except (FileNotFoundError, OSError):
        path = gold_wordlist(scratch)
        entries = len(path.read_text(encoding="utf-8").splitlines())
        return ["--wordlist", str(path)], f"seed 000 gold edits ({entries} entries; no shipped list yet)"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=20.0, help="corpus size in MB (default 20)")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement; the best counts")
    parser.add_argument("--wordlist", action="append", metavar="SPEC")
    parser.add_argument("--keep", metavar="DIR", help="build the corpus in DIR and keep it")
    parser.add_argument("--no-scaling", action="store_true", help="skip the file-size scaling runs")
    parser.add_argument("--pairs", type=int, default=7, help="back-to-back repair/codespell pairs for the ratio")
    args = parser.parse_args(argv)
    codespell = shutil.which("codespell", path=str(Path(sys.executable).parent)) or shutil.which("codespell")
    if codespell is None:
        sys.exit("codespell is not installed (pip install codespell)")

    scratch = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="repair-throughput-"))
    try:
        corpus = scratch / "corpus"
        corpus.mkdir(parents=True, exist_ok=True)
        rng = random.Random(20240521)
        files, size = build_corpus(corpus, int(args.mb * MB), rng)
        lists, described = wordlist_args(args.wordlist, scratch)
        repair = [sys.executable, "-m", "repair", "check", "--no-config", "-q", *lists]
        tiny = scratch / "tiny.txt"
        tiny.write_text("One short line.\n", encoding="utf-8")

        spun_files, other_files = split_corpus(corpus, scratch)
        fixed = scratch / "fixed"
        fixed.mkdir(exist_ok=True)
        fix = [sys.executable, "-m", "repair", "fix", "--no-config", "-q", *lists, "--force", "--output-dir"]

        startup = best_time([*repair, str(tiny)], args.runs, (0, 1))
        single = best_time([*repair, str(corpus)], args.runs, (0, 1))
        double = best_time([*repair, "-j", "2", str(corpus)], args.runs, (0, 1))
        spell = best_time([codespell, str(corpus)], args.runs, (0, 65))
        fixing = best_time([*fix, str(fixed), str(corpus)], args.runs, (0,))
        by_kind = [
            (label, folder_bytes(folder) / MB, best_time([*repair, str(folder)], args.runs, (0, 1)))
            for label, folder in (("the spun-seed files", spun_files), ("the other prose", other_files))
        ]
        ratios = sorted(paired_ratios([*repair, str(corpus)], [codespell, str(corpus)], args.pairs))

        mb = size / MB
        print(f"Throughput measured {datetime.date.today().isoformat()} on {os.cpu_count()} CPUs, best of {args.runs}.")
        print(f"Corpus: {files} files, {mb:.1f} MB (seeds, common licences, Python docs); wordlist: {described}.")
        print()
        print("| command | seconds | MB/s | time vs codespell |")
        print("|---|---|---|---|")
        for label, seconds in (
            ("`repair check` (1 process)", single),
            ("`repair check -j 2`", double),
            ("`repair fix --output-dir` (1 process)", fixing),
            ("`codespell`", spell),
        ):
            print(f"| {label} | {seconds:.2f} | {mb / seconds:.2f} | {seconds / spell:.2f}× |")
        for label, size, seconds in by_kind:
            print(f"| `repair check`, {label} only ({size:.1f} MB) | {seconds:.2f} | {size / seconds:.2f} | – |")
        print(f"| `repair check` start-up (one-line file) | {startup:.2f} | – | – |")
        if ratios:
            print()
            print(
                f"Throughput ratio (codespell's time / repair's, 1 process), {len(ratios)} back-to-back pairs: "
                f"median {statistics.median(ratios):.2f}, range {ratios[0]:.2f}–{ratios[-1]:.2f} "
                f"({', '.join(f'{r:.2f}' for r in ratios)})."
            )

        if not args.no_scaling:
            print()
            print(
                "Scaling with file size (`repair check`, 1 process, ~4 MB in all;"
                " start-up subtracted in the last column):"
            )
            print()
            print("| file size | files | seconds | MB/s | MB/s after start-up |")
            print("|---|---|---|---|---|")
            for file_size in SCALING_SIZES:
                folder = scratch / f"sized-{file_size}"
                folder.mkdir(exist_ok=True)
                build_sized(folder, file_size, SCALING_TOTAL, rng)
                total = folder_bytes(folder) / MB
                seconds = best_time([*repair, str(folder)], args.runs, (0, 1))
                net = max(seconds - startup, 1e-9)
                count = len(list(folder.iterdir()))
                print(
                    f"| {file_size // 1000} KB | {count} | {seconds:.2f} | {total / seconds:.2f} | {total / net:.2f} |"
                )
    finally:
        if not args.keep:
            shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
