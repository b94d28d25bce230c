"""Try the scorer without some of its features on held-out stories, in about half a minute a variant (a tool).

    python tests/benchmarks/feature_trial.py [--without NAME[,NAME...]] ...

Every training document's option table is made once, as `repair.tools.loso` makes it (each document's learned-list
evidence from a list learned without its own story). Then, per variant, the stories are split into 5 folds: a model
is fitted on four (`fit_model`, with its own cross-fitting and calibration inside) and the fifth is scored as
`repair fix` scores a document (`repair.core.score.score_spans`: thesaurus spans only where the spin rate from list
matches reaches the model's gate, then the language model asked again beside confident fixes), and each span's most
confident option is counted against its label. Printed per variant: right and wrong best options on spun pages at
several confidences, the most right edits any cut gives at cumulative precision 0.90 and 0.92, and the best options
above the cut on clean texts. `repair eval --loso` (tests/benchmarks/quality.py) measures what passes here end to
end.

Variants: `all` (every feature of `repair.core.candidates.FEATURES`), and one per `--without`, a comma-separated
list of feature names (`rivalry` stands for the four features of `relative_columns`). Needs ../shared/devpairs.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from repair.core.candidates import FEATURES, RIVALRY
from repair.core.score import score_spans
from repair.core.spinmodel import SpinModel
from repair.core.text import lowered
from repair.core.wordlists import load_shipped
from repair.tools.loso import DEVPAIR_FOLDERS, read_corpus
from repair.tools.train import FOLDS, Table, _fold_of, fit_model, tables_without_own_story

ROOT = Path(__file__).resolve().parents[2]
DEVPAIRS = ROOT.parent / "shared" / "devpairs"
CUTS = (0.70, 0.73, 0.75, 0.80)
Best = tuple[bool, float, int]  # (on a spun page, confidence, label: 1 right, 0 wrong, -1 not judged)


def tables() -> list[Table]:
    folders = [DEVPAIRS / f for f in DEVPAIR_FOLDERS if (DEVPAIRS / f).is_dir()]
    corpus = read_corpus(folders)
    seed = ROOT / "seeds" / "000_a86f99f445087a45.txt"
    restored = ROOT / "tests" / "data" / "seed000.original.txt"
    corpus.add("seed000", "seed000", seed.read_text(encoding="utf-8"), restored.read_text(encoding="utf-8"))
    return tables_without_own_story(corpus.training_docs(), corpus.engine_factory(list(load_shipped(["news"]))))


def best_options(model: SpinModel, t: Table) -> list[Best]:
    """Each span's most confident option, the document scored by `score_spans` as `repair fix` scores it."""
    firsts = itertools.accumulate((len(s.options) for s in t.spans), initial=0)  # each span's first row
    first_row = dict(zip(map(id, t.spans), firsts, strict=False))  # one more first than spans: the end
    thesaurus = [s for s in t.spans if s.thesaurus]
    scored = score_spans(
        model,
        [s for s in t.spans if not s.thesaurus],
        t.words,
        lowered(t.doc.text),
        more_spans=lambda taken: thesaurus,  # the table's: worked out beside the same list spans
        memo={},
    )
    return [(t.doc.spun, s.confidence, int(t.labels[first_row[id(s.span)] + s.order[0]])) for s in scored.spans]


def trial(all_tables: Sequence[Table], features: Sequence[str]) -> list[Best]:
    fold = _fold_of((t.doc.story for t in all_tables), FOLDS)
    found: list[Best] = []
    for k in range(FOLDS):
        model = fit_model([t for t in all_tables if fold[t.doc.story] != k], features=features)
        for t in all_tables:
            if fold[t.doc.story] == k:
                found.extend(best_options(model, t))
    return found


def at_precision(found: Sequence[Best], target: float) -> int:
    judged = sorted((c, label) for spun, c, label in found if spun and label >= 0)[::-1]
    right = wrong = most = 0
    for _c, label in judged:
        right, wrong = right + label, wrong + 1 - label
        if right >= target * (right + wrong):
            most = right
    return most


def report(name: str, found: Sequence[Best]) -> str:
    cells = []
    for cut in CUTS:
        right = sum(1 for spun, c, label in found if spun and label == 1 and c >= cut)
        wrong = sum(1 for spun, c, label in found if spun and label == 0 and c >= cut)
        clean = sum(1 for spun, c, _ in found if not spun and c >= cut)
        cells.append(f"{right:,} / {wrong} / {clean}")
    return f"| {name} | " + " | ".join(cells) + f" | {at_precision(found, 0.90):,} | {at_precision(found, 0.92):,} |"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--without", action="append", default=[], metavar="NAMES", help="a variant without these")
    args = parser.parse_args(argv)
    variants = {"all": FEATURES}
    for names in args.without:
        drop = {n for name in names.split(",") for n in (RIVALRY if name == "rivalry" else (name,))}
        unknown = drop - set(FEATURES)
        if unknown:
            print(f"feature_trial: no such feature: {', '.join(sorted(unknown))}", file=sys.stderr)
            return 2
        variants[f"without {names}"] = tuple(f for f in FEATURES if f not in drop)
    if not DEVPAIRS.is_dir():
        print(f"feature_trial: {DEVPAIRS} is absent: nothing to measure", file=sys.stderr)
        return 2
    started = time.perf_counter()
    made = tables()
    print(f"{len(made)} documents' tables in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    cuts = " | ".join(f"at {c:.2f}: right / wrong / clean" for c in CUTS)
    print(f"| variant | {cuts} | most right at precision 0.90 | at 0.92 |")
    print("|---" * (len(CUTS) + 3) + "|")
    for name, features in variants.items():
        print(report(name, trial(made, features)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
