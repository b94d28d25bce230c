"""Rewrite wordlists/news.txt without its long hand-written context lists (the experiment of docs/benchmarks.md).

    python tests/benchmarks/strip_context_lists.py [--longer-than N]   # default 10

Every context list (`after=`, `not-before=`, ...) of more than N words is removed; an entry that lost one
becomes `evidence` (the learned model decides where it applies); lines that become equal are merged. The file
is rewritten in place: run it in a scratch checkout, then `python scripts/build_model.py` and
`python tests/benchmarks/quality.py` to measure, and `git checkout wordlists/news.txt` to undo.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from repair.core.model import Entry
from repair.core.wordlists import line_key, parse, render

NEWS = Path(__file__).resolve().parents[2] / "wordlists" / "news.txt"


def strip(entries: Sequence[Entry], longer_than: int) -> tuple[list[Entry], int, int]:
    """The entries without context lists of more than `longer_than` words; also how many lists and words went."""
    merged: dict[tuple[str, str, str], Entry] = {}
    lists = words = 0
    for entry in entries:
        keep = tuple(c for c in entry.conditions if len(c.words) <= longer_than)
        if len(keep) < len(entry.conditions):
            lists += len(entry.conditions) - len(keep)
            words += sum(len(c.words) for c in entry.conditions if len(c.words) > longer_than)
            entry = replace(entry, conditions=keep, ambiguous=True)
        key = line_key(entry)
        first = merged.get(key)
        merged[key] = entry if first is None else replace(first, ambiguous=first.ambiguous or entry.ambiguous)
    return list(merged.values()), lists, words


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--longer-than", type=int, default=10, metavar="N")
    args = parser.parse_args(argv)
    text = NEWS.read_text(encoding="utf-8")
    header = "".join(line for line in text.splitlines(keepends=True) if line.startswith("#"))
    wordlist = parse(text, name="news", path=str(NEWS))
    entries, lists, words = strip(wordlist.entries, args.longer_than)
    NEWS.write_text(render(entries, header), encoding="utf-8")
    print(f"{lists} lists of {words} words removed; {len(wordlist.entries)} entries -> {len(entries)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
