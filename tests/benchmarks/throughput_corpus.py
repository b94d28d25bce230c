"""The three throughput corpora, built reproducibly from text any fresh Debian + Python machine has.

Usage: python tests/benchmarks/throughput_corpus.py DIR [--mb 20]   (writes DIR/clean, DIR/spun, DIR/mixed)

* **clean**: clean English prose. Paragraphs of the licence texts in /usr/share/common-licenses (GPL, LGPL,
  GFDL, Apache, MPL, Artistic, ...), Python's reference documentation (`pydoc_data.topics`), the standard
  library's LICENSE.txt and IDLE's *.txt notes, and the clean seed 004, drawn at random (fixed seed) into files.
* **spun**: densely spun text made from the spun seed 000 (thesaurus-spun news, ~40 findings per KB), repeated
  with variation so that no file is the seed over and over: the seed is cut into sentences and each sentence
  at its commas into clauses; every paragraph written is 2-6 sentences drawn at random, and each sentence,
  with probability 1/2, keeps its first clauses and takes the remaining clauses of another random sentence.
  So sentence order, paragraph make-up and the words around every clause boundary differ from file to file
  and paragraph to paragraph (per-document memos see new neighbours, not one repeated article), while the
  spin density stays that of the seed. Paragraphs are one line each, as in the seed.
* **mixed** (half and half): every file is paragraphs of both kinds, each paragraph drawn from the clean pool
  or made as above with probability 1/2, so about half the bytes of the corpus (and of each file) are spun.

File sizes are log-uniform from 2 KB to 400 KB (a fixed `random.Random` per corpus), ~20 MB per corpus. The
texts differ a little between machines only if their licence texts or Python version differ: `digest` (printed
by the benchmark) says whether two corpora are the same.
"""

from __future__ import annotations

import argparse
import hashlib
import math
import random
import re
import sys
import sysconfig
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
SPUN_SEED = SEEDS / "000_a86f99f445087a45.txt"
CLEAN_SEED = SEEDS / "004_75b4a1f08bbf6b50.txt"
LICENSES = Path("/usr/share/common-licenses")
MB = 1_000_000
KINDS = ("clean", "spun", "mixed")
SEED = {"clean": 20240521, "spun": 20240522, "mixed": 20240523}
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"“‘'])")


def clean_sources() -> dict[str, str]:
    """Clean English prose available on this machine, by name."""
    sources = {f"seed:{CLEAN_SEED.name}": CLEAN_SEED.read_text(encoding="utf-8")}
    if LICENSES.is_dir():
        seen: set[Path] = set()
        for path in sorted(LICENSES.iterdir()):
            real = path.resolve()
            if real.is_file() and real not in seen:
                seen.add(real)
                sources[f"license:{path.name}"] = real.read_text(encoding="utf-8", errors="replace")
    try:
        from pydoc_data.topics import topics

        sources["python-docs"] = "\n\n".join(topics[k] for k in sorted(topics))
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


class SpunText:
    """Paragraphs of the spun seed recombined at random: sentences shuffled, clauses spliced across sentences."""

    def __init__(self, text: str) -> None:
        self.sentences = [s.strip() for p in text.splitlines() if p.strip() for s in _SENTENCE_END.split(p)]
        self.clauses = [s.split(", ") for s in self.sentences]

    def sentence(self, rng: random.Random) -> str:
        clauses = rng.choice(self.clauses)
        if len(clauses) > 1 and rng.random() < 0.5:
            other = rng.choice(self.clauses)
            cut = rng.randrange(1, len(clauses))
            clauses = clauses[:cut] + other[rng.randrange(1, len(other)) :] if len(other) > 1 else clauses
        return ", ".join(clauses)

    def paragraph(self, rng: random.Random) -> str:
        return " ".join(self.sentence(rng) for _ in range(rng.randint(2, 6)))


def _file_sizes(total: int, rng: random.Random) -> list[int]:
    sizes, written = [], 0
    while written < total:
        size = min(int(math.exp(rng.uniform(math.log(2_000), math.log(400_000)))), total - written)
        sizes.append(size)
        written += size
    return sizes


def _fill(size: int, next_paragraph: Callable[[], tuple[str, str]]) -> str:
    """Paragraphs until `size` characters; each comes with its separator."""
    chunks: list[str] = []
    length = 0
    while length < size:
        paragraph, separator = next_paragraph()
        chunks.append(paragraph + separator)
        length += len(paragraph) + len(separator)
    return "".join(chunks)[:size].rstrip() + "\n"


def build(folder: Path, kind: str, total: int) -> tuple[int, int]:
    """Write the `kind` corpus (one of KINDS) of about `total` bytes into `folder`; returns (files, bytes)."""
    rng = random.Random(SEED[kind])
    pool = [p for name, text in sorted(clean_sources().items()) for p in paragraphs(text)]
    spun = SpunText(SPUN_SEED.read_text(encoding="utf-8"))

    def clean() -> tuple[str, str]:
        return rng.choice(pool), "\n\n"

    def spun_paragraph() -> tuple[str, str]:
        return spun.paragraph(rng), "\n"

    def mixed() -> tuple[str, str]:
        return spun_paragraph() if rng.random() < 0.5 else clean()

    make = {"clean": clean, "spun": spun_paragraph, "mixed": mixed}[kind]
    folder.mkdir(parents=True, exist_ok=True)
    written = 0
    sizes = _file_sizes(total, rng)
    for index, size in enumerate(sizes):
        data = _fill(size, make).encode("utf-8")
        (folder / f"{kind}{index:05d}.txt").write_bytes(data)
        written += len(data)
    return len(sizes), written


def build_big_spun(path: Path, size: int) -> int:
    """One spun file of about `size` bytes (the memory test); returns its size."""
    rng = random.Random(SEED["spun"] + 100)
    spun = SpunText(SPUN_SEED.read_text(encoding="utf-8"))
    with path.open("w", encoding="utf-8") as out:
        written = 0
        while written < size:
            block = "\n".join(spun.paragraph(rng) for _ in range(200)) + "\n"
            out.write(block)
            written += len(block.encode("utf-8"))
    return path.stat().st_size


def digest(folder: Path) -> str:
    """A short hash of every file's name and bytes: two corpora with the same digest are the same."""
    h = hashlib.sha256()
    for path in sorted(folder.iterdir()):
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:12]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--mb", type=float, default=20.0, help="size of each corpus in MB (default 20)")
    args = parser.parse_args(argv)
    for kind in KINDS:
        files, size = build(args.folder / kind, kind, int(args.mb * MB))
        print(f"{kind}: {files} files, {size / MB:.1f} MB, digest {digest(args.folder / kind)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
