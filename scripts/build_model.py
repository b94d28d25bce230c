"""Write wordlists/spinner.txt (the learned swaps) and wordlists/model.json (the scorer) from spun/original pairs.

Usage: python scripts/build_model.py [--pairs DIR ...] [--no-seed] [--mine] [--out DIR]

The pairs are the development material in ../shared/devpairs (its folders raw,
more, unpaired and more-unpaired by default): real spun pages with their originals,
grouped by story, and spun pages without their originals whose notes name swaps (with --mine, also mined
for the spinner's recurring swaps: repair/tools/mine.py; measured, not shipped). The learned list
keeps, for each swap, only its words and counts (`count=`, `kept=`, `stories=`),
never text of the pages. The spun seed and its hand-restored original
(tests/data/seed000.original.txt) join the pairs unless --no-seed. Afterwards run
`python scripts/build_inflections.py` (the learned list's words need inflections).

How the model is fitted and kept honest: repair/tools/train.py. How it does on
stories it never saw: `repair eval --loso` (repair/tools/loso.py).
"""

from __future__ import annotations

import argparse
import datetime
import sys
from pathlib import Path

from repair.core.wordlists import load_shipped, render, wordlist_dir
from repair.edge.documents import atomic_write_text
from repair.tools.loso import DEVPAIR_FOLDERS, LEARNED_LIST, read_corpus
from repair.tools.train import fit_model, tables_without_own_story

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "devpairs"
HEADER = """# spinner.txt: the swaps of the seed's spinner family, learned from real spun pages and their originals.
#
# Written by scripts/build_model.py (do not edit by hand: rebuild). One line per swap:
#     spun -> original ; count=N ; kept=K ; stories=S
# count: how often the swap was seen; stories: in how many different stories; kept: how often the spun
# phrase stood in the spun pages without being a swap. The scorer (repair/core/score.py) reads these as
# evidence; nothing is applied on a count alone. Learned from {pairs} pairs of {stories} stories and the swaps
# named in the notes of {noted} spun pages without their originals ({date}).
"""
MINED = """# mined: how many of count were mined from {surveyed} spun pages without their originals (--mine,
# repair/tools/mine.py: the language model wants the same word reversed the same way in several stories).
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", action="append", metavar="DIR", help="a folder of NAME.spun.txt/NAME.orig.txt")
    parser.add_argument("--no-seed", action="store_true", help="leave out the spun seed and its restored original")
    parser.add_argument("--mine", action="store_true", help="also mine the pages without originals for recurring swaps")
    parser.add_argument(
        "--out", default=str(wordlist_dir()), metavar="DIR", help="where to write (default: wordlists/)"
    )
    args = parser.parse_args(argv)
    folders = args.pairs or [str(SHARED / name) for name in DEVPAIR_FOLDERS if (SHARED / name).is_dir()]
    missing = [f for f in folders if not Path(f).is_dir()] or ([] if folders else [str(SHARED)])
    if missing:
        print(f"build_model: {missing[0]}: no such folder of pairs", file=sys.stderr)
        return 2
    corpus = read_corpus(folders, mine=args.mine)
    if not args.no_seed:
        seed = ROOT / "seeds" / "000_a86f99f445087a45.txt"
        restored = ROOT / "tests" / "data" / "seed000.original.txt"
        corpus.add("seed000", "seed000", seed.read_text(encoding="utf-8"), restored.read_text(encoding="utf-8"))
    out = Path(args.out)
    learned = corpus.learned()
    today = datetime.date.today().isoformat()
    paired = [s for s in corpus.studied.values() if s.pair.original]
    noted = len(corpus.studied) - len(paired)
    stories = len({s.pair.group for s in paired})
    surveyed = len(corpus.surveyed)
    header = HEADER.format(pairs=len(paired), stories=stories, noted=noted, date=today)
    if surveyed:
        header += MINED.format(surveyed=surveyed)
    atomic_write_text(out / f"{LEARNED_LIST}.txt", render(learned.entries, header))
    print(f"{out / (LEARNED_LIST + '.txt')}: {len(learned.entries)} swaps", file=sys.stderr)
    curated = load_shipped(["news"])
    tables = tables_without_own_story(corpus.training_docs(), corpus.engine_factory(curated))
    notes = {
        "trained": today,
        "documents": len(tables),
        "stories": len({t.doc.story for t in tables}),
        "options": int(sum(len(t.rows) for t in tables)),
        "folders": [Path(f).name for f in folders] + ([] if args.no_seed else ["seed000"]),
    }
    model = fit_model(tables, notes=notes)
    model.save(out / "model.json")
    print(
        f"{out / 'model.json'}: fitted on {notes['options']} options of {notes['documents']} documents", file=sys.stderr
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
