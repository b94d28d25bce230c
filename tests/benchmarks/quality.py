"""Quality benchmark: `repair eval` on the seed gold, the clean seed and the dev-pair splits.

Prints Markdown tables (dated) for the README:

    /work/venv/bin/python tests/benchmarks/quality.py [--wordlist SPEC ...] [--threshold T] [--safety S]

Rows: seed 000 against its hand-restored original (tests/data/seed000.original.txt),
seed 004 (unspun: every edit is a false fix), and the tune / report / contrast
splits of ../shared/devpairs (skipped when ../shared is absent). Figures on
`tune` are optimistic (wordlists are learned there); `report` is held out.
"""

from __future__ import annotations

import argparse
import datetime
import sys
from collections.abc import Sequence
from pathlib import Path

from repair.cli.eval import selection_from
from repair.core.engine import Engine, Selection
from repair.edge.documents import InputError
from repair.edge.setup import EngineSettings, engine_for
from repair.tools.evaluate import (
    CleanResult,
    PairResult,
    calibration,
    clean_totals,
    evaluate_clean,
    evaluate_pair,
    load_split,
    pairs_folder,
    split_file,
    totals,
)
from repair.tools.pairs import ORIG_SUFFIX

REPO = Path(__file__).resolve().parents[2]
SEED_SPUN = REPO / "seeds" / "000_a86f99f445087a45.txt"
SEED_ORIGINAL = REPO / "tests" / "data" / "seed000.original.txt"
SEED_CLEAN = REPO / "seeds" / "004_75b4a1f08bbf6b50.txt"
DEVPAIRS = REPO.parent / "shared" / "devpairs" / "raw"
SPLIT_FILE = split_file()

HEADER = (
    "| set | texts | words | gold edits | edits judged | restored | recall | precision | false fixes "
    "| clean text: false fixes / 1k words |"
)


def _ratio(value: object) -> str:
    return "–" if value is None else f"{float(value):.2f}"  # type: ignore[arg-type]


def row(label: str, pairs: Sequence[PairResult], clean: Sequence[CleanResult]) -> str:
    c = clean_totals(clean)
    per_1000 = float(c["per_1000_words"])  # type: ignore[arg-type]
    clean_cell = f"{per_1000:.2f} ({c['false_fixes']} in {c['words']} words)" if clean else "–"
    if not pairs:
        return f"| {label} | {c['texts']} | {c['words']} | – | – | – | – | – | – | {clean_cell} |"
    t = totals(pairs)
    return (
        f"| {label} | {t['pairs']} | {t['words']} | {t['gold']} | {t['judged']} | {t['restored']} "
        f"| {_ratio(t['recall'])} | {_ratio(t['precision'])} | {t['wrong']} | {clean_cell} |"
    )


def split_results(
    engine: Engine, selection: Selection, name: str, names: Sequence[str], available: dict[str, tuple[Path, Path]]
) -> tuple[list[PairResult], list[CleanResult]]:
    pairs: list[PairResult] = []
    clean: list[CleanResult] = []
    seen: set[str] = set()
    for pair in names:
        spun_path, orig_path = available[pair]
        spun, original = spun_path.read_text(encoding="utf-8"), orig_path.read_text(encoding="utf-8")
        pairs.append(evaluate_pair(pair, spun, original, engine, selection, group=name))
        if original not in seen:  # the three redlobster-entrepreneur spins share one original
            seen.add(original)
            clean.append(evaluate_clean(pair + ORIG_SUFFIX, original, engine, selection))
    return pairs, clean


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wordlist", action="append", metavar="SPEC", help="default: the shipped lists")
    parser.add_argument("--threshold", type=float, default=None)
    parser.add_argument("--safety", choices=("auto", "choose"), default=None)
    args = parser.parse_args(argv)
    try:
        engine = engine_for(EngineSettings(wordlists=tuple(args.wordlist or ())))
        selection = selection_from(args)
    except InputError as exc:
        sys.exit(f"quality.py: {exc} (pass --wordlist FILE)")
    lists = ", ".join(f"{wl.name} ({len(wl.entries)} entries)" for wl in engine.wordlists)

    lines = [HEADER, "|" + "---|" * (HEADER.count("|") - 1)]
    if SEED_ORIGINAL.is_file():
        seed = evaluate_pair(
            "seed000",
            SEED_SPUN.read_text(encoding="utf-8"),
            SEED_ORIGINAL.read_text(encoding="utf-8"),
            engine,
            selection,
        )
        lines.append(row("seed 000 (hand-restored original)", [seed], []))
    seed_clean = evaluate_clean("seed004", SEED_CLEAN.read_text(encoding="utf-8"), engine, selection)
    lines.append(row("seed 004 (clean)", [], [seed_clean]))
    report_pairs: list[PairResult] = []
    report_clean: list[CleanResult] = [seed_clean]
    if DEVPAIRS.is_dir():
        available = pairs_folder(DEVPAIRS)
        for name, names in load_split(SPLIT_FILE).items():
            pairs, clean = split_results(engine, selection, name, names, available)
            lines.append(row(f"dev pairs: {name}", pairs, clean))
            if name == "report":
                report_pairs, report_clean = pairs, [*clean, seed_clean]
    else:
        lines.append("| dev pairs | ../shared/devpairs absent: not measured | | | | | | | | |")

    today = datetime.date.today().isoformat()
    print(f"Measured {today} with wordlists {lists or '-'}; batch fix applies {selection.safety.value} fixes with")
    print(f"confidence >= {selection.threshold:.2f}. `tune` pairs were used to build the lists; `report` is held out.")
    print()
    print("\n".join(lines))
    buckets = calibration(report_pairs, report_clean)
    if buckets:
        print()
        print("Calibration on the report split and clean texts (share of our edits that were right):")
        print()
        print("| confidence | edits | right | share right |")
        print("|---|---|---|---|")
        for b in buckets:
            print(f"| {b.low:.1f}–{b.high:.1f} | {b.edits} | {b.right} | {_ratio(b.share)} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
