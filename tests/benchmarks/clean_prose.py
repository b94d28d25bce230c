"""False fixes on clean prose other than news: what `repair fix` changes in text nobody spun.

    python tests/benchmarks/clean_prose.py [--auto CONFIDENCE] [--model FILE] [--show N]

The texts, from what a Debian machine with Python has: the licences of /usr/share/common-licenses (each once: its
links to another, such as GPL -> GPL-3, are skipped), Python's reference documentation (`pydoc_data.topics`, ten
topics a text), the first 60 of git's release notes from 2.2.0 on (/usr/share/doc/git/RelNotes, when git's
documentation is installed) and the clean seed 004. Each is fixed with `repair fix` defaults (the shipped lists and
model; `--model` reads another model file, `--auto` sets the model's `auto` confidence), and every fix is a false
fix. Prints the fixes per 1,000 words per source and in all, and the most frequent fixes.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path

from repair.core.engine import Engine, fix
from repair.core.spinmodel import load_model, read_model
from repair.edge.fixing import SAFE

ROOT = Path(__file__).resolve().parents[2]
LICENCES = Path("/usr/share/common-licenses")
RELNOTES = Path("/usr/share/doc/git/RelNotes")
TOPICS_PER_TEXT = 10
RELEASES = 60


def _version(path: Path) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", path.stem))


def texts() -> Iterator[tuple[str, str, str]]:
    """(source, name, text) of every clean text."""
    for path in sorted(LICENCES.iterdir()) if LICENCES.is_dir() else []:
        if path.is_file() and not path.is_symlink():
            yield "licences", path.name, path.read_text(encoding="utf-8", errors="replace")
    from pydoc_data.topics import topics

    keys = sorted(topics)
    for k in range(0, len(keys), TOPICS_PER_TEXT):
        yield "python docs", keys[k], "\n\n".join(topics[key] for key in keys[k : k + TOPICS_PER_TEXT])
    notes = sorted(RELNOTES.glob("2.*.txt"), key=_version) if RELNOTES.is_dir() else []
    for path in [p for p in notes if _version(p) >= (2, 2)][:RELEASES]:
        yield "git release notes", path.name, path.read_text(encoding="utf-8", errors="replace")
    yield "seed 004", "seed 004", (ROOT / "seeds" / "004_75b4a1f08bbf6b50.txt").read_text(encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--auto", type=float, metavar="CONFIDENCE", help="the model's auto confidence")
    parser.add_argument("--model", metavar="FILE", help="a model file instead of the shipped one")
    parser.add_argument("--show", type=int, default=12, metavar="N", help="the N most frequent fixes")
    args = parser.parse_args(argv)
    model = load_model() if args.model is None else read_model(args.model)
    model = model if args.auto is None else replace(model, auto=args.auto)
    engine = Engine(model=model)
    words: Counter[str] = Counter()
    fixes: Counter[str] = Counter()
    what: Counter[tuple[str, str]] = Counter()
    for source, _name, text in texts():
        _new, applied = fix(text, engine, SAFE)
        words[source] += len(text.split())
        fixes[source] += len(applied)
        what.update((" ".join(f.spun.lower().split()), " ".join(f.suggestions[0].lower().split())) for f in applied)
    print(f"auto at {engine.model.auto}")
    for source in [*words, "all"]:
        w = sum(words.values()) if source == "all" else words[source]
        n = sum(fixes.values()) if source == "all" else fixes[source]
        print(f"{source}: {n} fixes in {w:,} words, {1000 * n / max(w, 1):.2f} per 1,000")
    print("most frequent: " + ", ".join(f"{a} -> {b} ({n})" for (a, b), n in what.most_common(args.show)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
