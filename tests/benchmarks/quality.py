"""Quality benchmark: the README's figures, on stories the de-spinner never saw and on the seeds.

    python tests/benchmarks/quality.py [--no-loso] [--mine] [--details FILE] [--auto CONFIDENCE]
        [--thesaurus-rate RATE] [--repeat-damping D]

Prints Markdown tables (dated):

* **held out, leave one story out** (`repair.tools.loso`, as `repair eval --loso`): every
  story of ../shared/devpairs (raw and more) and the seed's is held out in turn; the
  learned list and the model are made from the other stories alone, and the batch
  fixer (`repair fix` defaults) runs on the held-out story's spun pages and originals.
  Rows per spinner family, the clean originals, and a calibration table.
* **as shipped**: seed 000 against its hand-restored original, seed 004 (clean), with the
  shipped lists and model. The seeds were in the training data, so this row is not held out.

`--auto` sets the confidence the held-out folds' models need for an `auto` fix (default: the fitted
models' own, `repair.tools.train.AUTO`): what another threshold would trade on unseen stories. The
as-shipped rows keep the shipped model's. `--thesaurus-rate` likewise sets the spin rate from which the held-out
folds' models consult the thesaurus (default `repair.tools.train.THESAURUS_RATE`), and `--repeat-damping` how much a
phrase met n times in a document counts towards its spin rate (n ** -D each; default 0: in full).

Skipped parts say so when ../shared is absent.
"""

from __future__ import annotations

import argparse
import datetime
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from repair.core.engine import Engine
from repair.edge.fixing import SAFE
from repair.tools import train
from repair.tools.evaluate import (
    CleanResult,
    PairResult,
    Report,
    calibration,
    clean_totals,
    evaluate_clean,
    evaluate_pair,
    totals,
)
from repair.tools.evaluate_text import render_loso
from repair.tools.loso import DEVPAIR_FOLDERS, leave_one_story_out, read_corpus

REPO = Path(__file__).resolve().parents[2]
SEED_SPUN = REPO / "seeds" / "000_a86f99f445087a45.txt"
SEED_ORIGINAL = REPO / "tests" / "data" / "seed000.original.txt"
SEED_CLEAN = REPO / "seeds" / "004_75b4a1f08bbf6b50.txt"
DEVPAIRS = REPO.parent / "shared" / "devpairs"
MORE = "more"  # pairs added after the curated list was written: no list was written from their stories

HEADER = (
    "| set | pages | words | gold edits | restored | recall | precision | wrong edits | false fixes on clean text |"
)


def _ratio(value: object) -> str:
    return "–" if value is None else f"{float(value):.2f}"  # type: ignore[arg-type]


def row(label: str, pairs: Sequence[PairResult], clean: Sequence[CleanResult]) -> str:
    c = clean_totals(clean)
    clean_cell = (
        f"{float(c['per_1000_words']):.2f} per 1,000 words ({c['false_fixes']} in {c['words']:,} words)"  # type: ignore[arg-type]
        if clean
        else "–"
    )
    if not pairs:
        return f"| {label} | {c['texts']} | {c['words']:,} | – | – | – | – | – | {clean_cell} |"
    t = totals(pairs)
    return (
        f"| {label} | {t['pairs']} | {t['words']:,} | {t['gold']} | {t['restored']} | **{_ratio(t['recall'])}** "
        f"| **{_ratio(t['precision'])}** | {t['wrong']} | {clean_cell} |"
    )


def held_out(details: Path | None = None, mine: bool = False) -> list[str]:
    """The held-out rows; with `details`, also writes `repair eval --loso`'s per-story and per-topic report there."""
    folders = [DEVPAIRS / f for f in DEVPAIR_FOLDERS if (DEVPAIRS / f).is_dir()]
    if not folders:
        return ["| held out | ../shared/devpairs absent: not measured | | | | | | | |"]
    corpus = read_corpus(folders, mine=mine)
    corpus.add("seed000", "seed000", SEED_SPUN.read_text(encoding="utf-8"), SEED_ORIGINAL.read_text(encoding="utf-8"))
    results = leave_one_story_out(corpus, progress=lambda story: print(f"holding out {story}", file=sys.stderr))
    pairs = [p for r in results for p in r.pairs]
    clean = [c for r in results for c in r.clean]
    if details is not None:
        report = Report(SAFE, ("news", "spinner (learned without the held-out story)"), tuple(pairs), tuple(clean))
        stories = {d.name: d.story for d in corpus.docs}
        details.write_text(render_loso(report, stories, {d.name: d.topic for d in corpus.docs}), encoding="utf-8")
    target = [p for p in pairs if p.group == "target" and p.name != "seed000"]
    stories = len({d.story for d in corpus.docs if d.original is not None and d.family == "target"})
    unseen = {f.name[: -len(".spun.txt")] for f in (DEVPAIRS / MORE).glob("*.spun.txt")}
    fresh = [p for p in target if p.name in unseen]
    fresh_stories = len({d.story for d in corpus.docs if d.name in unseen and d.family == "target"})
    lines = [
        row(f"spun pages, the seed's spinner family ({stories} stories)", target, []),
        row(f"... of them, stories no list was ever written from ({fresh_stories} stories)", fresh, []),
        row("spun pages, heavier spinners", [p for p in pairs if p.group == "heavy"], []),
        row("other rewrites (translation round trips): leave alone", [p for p in pairs if p.group == "other"], []),
        row("seed 000, held out as a story", [p for p in pairs if p.name == "seed000"], []),
        row("the originals (clean text)", [], clean),
        "",
        "Calibration on held-out stories (judged edits of every family, and edits on clean text):",
        "",
        "| confidence | edits | right | share right |",
        "|---|---|---|---|",
    ]
    lines += [
        f"| {b.low:.1f}–{b.high:.1f} | {b.edits} | {b.right} | {_ratio(b.share)} |" for b in calibration(pairs, clean)
    ]
    return lines


def as_shipped() -> list[str]:
    engine = Engine()
    seed = evaluate_pair(
        "seed000", SEED_SPUN.read_text(encoding="utf-8"), SEED_ORIGINAL.read_text(encoding="utf-8"), engine, SAFE
    )
    clean = evaluate_clean("seed004", SEED_CLEAN.read_text(encoding="utf-8"), engine, SAFE)
    return [row("seed 000 (hand-restored original)", [seed], []), row("seed 004 (clean)", [], [clean])]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-loso", action="store_true", help="only the seeds with the shipped model (fast)")
    parser.add_argument("--details", metavar="FILE", help="write the per-story and per-topic report to FILE")
    parser.add_argument(
        "--mine", action="store_true", help="held out: also learn swaps mined from the pages without originals"
    )
    parser.add_argument("--auto", type=float, metavar="CONFIDENCE", help="the held-out models' auto threshold")
    parser.add_argument("--thesaurus-rate", type=float, metavar="RATE", help="the held-out models' thesaurus gate")
    parser.add_argument("--repeat-damping", type=float, metavar="D", help="the held-out models' repeat damping")
    args = parser.parse_args(argv)
    if args.auto is not None:
        train.AUTO = args.auto  # read by fit_model when each fold's model is made
    if args.thesaurus_rate is not None:
        train.THESAURUS_RATE = args.thesaurus_rate  # likewise
    if args.repeat_damping is not None:
        train.DEFAULT_PRIOR = replace(train.DEFAULT_PRIOR, repeat_damping=args.repeat_damping)  # likewise
    table = [HEADER, "|" + "---|" * (HEADER.count("|") - 1)]
    print(f"Measured {datetime.date.today().isoformat()}; `repair fix` defaults (auto fixes).")
    print()
    print("\n".join([*table, *as_shipped()]))
    if not args.no_loso:
        print()
        print(f"Held out (leave one story out; auto fixes at confidence >= {train.AUTO}):")
        print()
        print("\n".join([*table, *held_out(Path(args.details) if args.details else None, args.mine)]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
