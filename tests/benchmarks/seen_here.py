"""How right is a learned swap seen "in these very words"? The figure behind `score.SEEN_HERE`.

A spinner that rewrites one article for several sites makes the same swap in the same sentence
on each copy. This takes every two development pages that copy the same article (their names
share all but the last part: `kohls-marketwatch-brokerswatch`, `kohls-marketwatch-metacypher`),
learns a list from one with `repair learn`'s defaults (examples kept), scans the other with that
list alone, and judges the findings whose swap the list saw in the same neighbouring words
against the other page's original. It also scans pages of other stories with the same list,
where a "seen" finding would be chance.

    python tests/benchmarks/seen_here.py [../shared/devpairs/raw ../shared/devpairs/more]
"""

from __future__ import annotations

import sys
from collections import defaultdict
from itertools import permutations
from pathlib import Path

from repair.core.engine import Engine
from repair.core.wordlists import parse, render
from repair.tools.align import align
from repair.tools.judge import judge
from repair.tools.learn import Pair, learn

REPO = Path(__file__).resolve().parents[2]
FOLDERS = [REPO.parent / "shared" / "devpairs" / name for name in ("raw", "more")]


def _pages(folders: list[Path]) -> dict[str, Pair]:
    pages = {}
    for folder in folders:
        for spun in sorted(folder.glob("*.spun.txt")):
            name = spun.name[: -len(".spun.txt")]
            original = spun.with_name(f"{name}.orig.txt")
            if original.is_file():
                pages[name] = Pair(name, spun.read_text(encoding="utf-8"), original.read_text(encoding="utf-8"))
    return pages


def _seen_verdicts(learned_from: Pair, page: Pair) -> tuple[int, int, int]:
    """(right, wrong, gold edits of `page`) for the seen findings of a list learned from `learned_from`."""
    wordlist = parse(render(learn([learned_from]).entries, ""), name="learned")
    engine = Engine([wordlist], thesaurus=False)
    seen = [f for f in engine.scan(page.spun) if f.suggestions and "these very words" in f.reason]
    alignment = align(page.spun, page.original)
    verdicts, golds = judge(page.spun, alignment, seen)
    right = sum(v.status == "right" for v in verdicts)
    wrong = sum(v.status == "wrong" for v in verdicts)
    return right, wrong, len(golds)


def main(argv: list[str]) -> int:
    folders = [Path(a) for a in argv] or [f for f in FOLDERS if f.is_dir()]
    pages = _pages(folders)
    if not pages:
        print("no development pairs found", file=sys.stderr)
        return 2
    copies: dict[str, list[str]] = defaultdict(list)
    for name in pages:
        copies[name.rsplit("-", 1)[0]].append(name)
    same = [(a, b) for names in copies.values() for a, b in permutations(names, 2)]
    right = wrong = gold = 0
    for a, b in same:
        r, w, g = _seen_verdicts(pages[a], pages[b])
        right, wrong, gold = right + r, wrong + w, gold + g
        print(f"{a} -> {b}: {r} right, {w} wrong of {g} gold edits")
    judged = right + wrong
    print(f"\nother copies of the same article ({len(same)} ordered pairs): {right} right, {wrong} wrong", end="")
    print(f", precision {right / judged:.3f}" if judged else "", f"; {right / gold:.3f} of gold edits" if gold else "")
    names = sorted(pages)
    others = [(a, b) for a, b in zip(names, names[7:] + names[:7], strict=True) if a.split("-")[0] != b.split("-")[0]]
    r_other = w_other = 0
    for a, b in others:
        r, w, _ = _seen_verdicts(pages[a], pages[b])
        r_other, w_other = r_other + r, w_other + w
    print(f"pages of other stories ({len(others)} pairs): {r_other} right, {w_other} wrong seen findings")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
