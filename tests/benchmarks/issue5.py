"""Figures for issue 5: `repair learn`, `repair wordlist import-pps` and `repair trace`.

Run from the repo root:  python tests/benchmarks/issue5.py [--out DIR]

Needs ../shared (the development pairs and the tortured-phrase catalogue); without it
the script says so and exits 0. Prints markdown tables. Learned and imported lists are
written to --out (default: a temporary folder), never into the repo: they hold
mappings and examples taken from copyrighted pages and from a catalogue whose
redistribution terms are unverified.

Definitions:
* learn recall (all gold) - `repair eval`'s recall over every gold edit of the pairs;
* learn recall (learnable) - over the gold edits whose swap became an entry, i.e. whether
  the learned entries work end to end (names, numbers and the like are dropped on purpose);
* reviewer rejects - learned entries a reviewer would reject (names, numbers, non-swaps),
  counted by hand on the min-count 1 list (REVIEWED_REJECTS);
* injection - each catalogue row's tortured phrase (each OR alternative) is put into a clean
  sentence, with its AND co-terms in a second sentence; found = a finding overlaps it;
  restored = the fixed sentence holds the expected phrase and no longer the tortured words.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from repair.core.engine import Engine, Selection, apply_edits, select  # noqa: E402
from repair.core.model import Edit, Safety  # noqa: E402
from repair.core.risk import count_words, risk_score  # noqa: E402
from repair.core.text import phrase_key  # noqa: E402
from repair.core.wordlists import Wordlist, parse, render, resolve, shipped_names  # noqa: E402
from repair.tools.align import align  # noqa: E402
from repair.tools.evaluate import evaluate_pair  # noqa: E402
from repair.tools.learn import Pair, _split_compounds, learn, observe  # noqa: E402
from repair.tools.pps import expand_wildcard, import_rows  # noqa: E402
from repair.tools.pps_catalogue import (  # noqa: E402
    CatalogueRow,
    QueryError,
    clean_expected,
    parse_query,
    read_catalogue,
)
from repair.tools.trace import rank  # noqa: E402

SHARED = REPO.parent / "shared"
PAIRS_DIR = SHARED / "devpairs" / "raw"
CATALOGUE_DIR = SHARED / "research" / "data"
SPLIT = REPO / "wordlists" / "devpairs-split.toml"
SEEDS = REPO / "seeds"
DEFAULT = Selection()
EVERYTHING = Selection(threshold=0.0, safety=Safety.CHOOSE)

# Hand review of the list learned from the 16 thesaurus pairs (tune + report, min-count 1).
# Word/phrase mappings only. If the list no longer has REVIEWED_ENTRIES entries, the count is stale.
REVIEWED_ENTRIES = 361
REVIEWED_REJECTS = frozenset(
    {
        ("approve", "consider approving"),  # an editor's rewrite
        ("bought", "sold"),  # first choice wrong
        ("corporate primarily", "company"),  # extra word: alignment noise
        ("creditors in", "lenders out of"),  # revision
        ("decreased gross", "reduced"),  # alignment noise
        ("for", "since"),  # half of "for the reason that" (a split phrase)
        ("for much", "much"),  # alignment noise
        ("getty pictures", "bruce bennett"),  # a photo credit (names)
        ("just not", "not"),  # alignment noise
        ("know extra", "more"),  # alignment noise
        ("let", "tell"),  # revision
        ("other lifelines", "lifelines"),  # revision
        ("reason that starting", "beginning"),  # other half of "for the reason that starting"
        ("said on", "at"),  # split phrase ("on the time")
        ("stores in", "locations across"),  # revision
        ("surely confronted", "faced"),  # split phrase ("but it surely")
        ("vital nation's greatest", "country's largest"),  # split phrase
        ("what will occur", "what's going"),  # split phrase
    }
)


def _table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out.extend("| " + " | ".join(str(c) for c in row) + " |" for row in rows)
    return "\n".join(out)


def _pct(num: int, den: int) -> str:
    return f"{100 * num / den:.1f} % ({num}/{den})" if den else "n/a"


def _split() -> dict[str, list[str]]:
    return tomllib.loads(SPLIT.read_text(encoding="utf-8"))


def _pairs(names: Sequence[str]) -> list[Pair]:
    return [
        Pair(
            n,
            (PAIRS_DIR / f"{n}.spun.txt").read_text(encoding="utf-8"),
            (PAIRS_DIR / f"{n}.orig.txt").read_text(encoding="utf-8"),
        )
        for n in names
    ]


# ---------------------------------------------------------------- learn


@dataclass
class LearnFigures:
    entries: int
    gold: int
    restored: dict[str, int]
    learnable: int
    learnable_restored: dict[str, int]


def _learn_figures(train: Sequence[Pair], test: Sequence[Pair], wordlist: Wordlist) -> LearnFigures:
    engine = Engine([wordlist])
    by_spun = {e.spun: e for e in wordlist.entries}
    gold = learnable = 0
    restored = {"default": 0, "choose, threshold 0": 0}
    learnable_restored = dict.fromkeys(restored, 0)
    for pair in test:
        kept, _ = observe(pair)
        kept = _split_compounds(kept)
        edits = align(pair.spun, pair.original).edits
        covered = set()
        for edit in edits:
            inside = [o for o in kept if edit.start <= o.start and o.end <= edit.end]
            if inside and all(o.spun in by_spun and o.original in by_spun[o.spun].originals for o in inside):
                covered.add((edit.start, edit.end))
        for label, selection in (("default", DEFAULT), ("choose, threshold 0", EVERYTHING)):
            result = evaluate_pair(pair.name, pair.spun, pair.original, engine, selection)
            missed = {(m.gold.start, m.gold.end) for m in result.misses}
            restored[label] += result.restored
            learnable_restored[label] += len(covered - missed)
        gold += result.gold
        learnable += len(covered)
    return LearnFigures(len(wordlist.entries), gold, restored, learnable, learnable_restored)


def report_learn(out: Path) -> None:
    split = _split()
    thesaurus = _pairs(split["tune"] + split["report"])
    print("## repair learn (16 thesaurus pairs: tune + report)\n")
    rows = []
    for min_count in (1, 2):
        learned = learn(thesaurus, min_count=min_count)
        text = render(learned.entries, f"# learned from the development pairs, min-count {min_count}\n")
        path = out / f"learned-devpairs-min{min_count}.txt"
        path.write_text(text, encoding="utf-8")
        wordlist = parse(text, name="learned", path=str(path))
        fig = _learn_figures(thesaurus, thesaurus, wordlist)
        rejects = [e for e in wordlist.entries if (e.spun, e.originals[0]) in REVIEWED_REJECTS]
        stale = min_count == 1 and len(wordlist.entries) != REVIEWED_ENTRIES
        rows.append(
            [
                f"min-count {min_count}",
                fig.entries,
                _pct(len(rejects), fig.entries) + (" (list changed since review: recount)" if stale else ""),
                _pct(fig.learnable_restored["default"], fig.learnable),
                _pct(fig.learnable_restored["choose, threshold 0"], fig.learnable),
                _pct(fig.restored["default"], fig.gold),
                _pct(fig.restored["choose, threshold 0"], fig.gold),
            ]
        )
        if min_count == 1:
            dropped = learned.dropped_by_reason()
    print(
        _table(
            [
                "list",
                "entries",
                "reviewer would reject",
                "recall, learnable (default)",
                "recall, learnable (choose, thr 0)",
                "recall, all gold (default)",
                "recall, all gold (choose, thr 0)",
            ],
            rows,
        )
    )
    print(f"\nDropped as noise (swap observations, min-count 1): {dropped}\n")
    tune, report = _pairs(split["tune"]), _pairs(split["report"])
    held = learn(tune)
    wordlist = parse(render(held.entries), name="learned-tune")
    fig = _learn_figures(tune, report, wordlist)
    print("Held out (learn on tune, fix report):")
    print(
        _table(
            ["entries", "recall, all gold (default)", "recall, all gold (choose, thr 0)"],
            [
                [
                    fig.entries,
                    _pct(fig.restored["default"], fig.gold),
                    _pct(fig.restored["choose, threshold 0"], fig.gold),
                ]
            ],
        )
    )
    print()


# ---------------------------------------------------------------- import-pps

SENTENCE = "In this study, {x} was applied to the collected samples before the results were compared."
CO_TERM = "The discussion also considers {x} in some detail."


def _inject(row: CatalogueRow) -> list[tuple[str, int, int, str]]:
    """(document, span start, span end, tortured text) for each main alternative of a row."""
    try:
        query = parse_query(row.fingerprint)
    except QueryError:
        return []
    co_terms = []
    for group in query.required:
        term = group[0]
        co_terms.append(expand_wildcard(term.text.rstrip("*"))[0] if term.wildcard else term.text)
    docs = []
    for term in query.main:
        head, _, _ = SENTENCE.partition("{x}")
        text = SENTENCE.format(x=term.text)
        if co_terms:
            text += " " + " ".join(CO_TERM.format(x=c) for c in co_terms)
        docs.append((text, len(head), len(head) + len(term.text), term.text))
    return docs


def _restored(fixed: str, clean: str, row: CatalogueRow, tortured: str) -> bool:
    """The expected phrase is there and no tortured word is left (words the expected text or a
    parenthesis of the fingerprint has, such as acronyms, may stay)."""
    originals = clean_expected(row.expected).originals
    got = " " + " ".join(phrase_key(fixed)) + " "
    if not any(f" {' '.join(phrase_key(o))} " in got for o in originals):
        return False
    allowed = set(phrase_key(clean)) | set(phrase_key(row.expected))
    allowed |= {w for part in re.findall(r"\(([^)]*)\)", tortured) for w in phrase_key(part)}
    allowed |= {w.lower() for w in re.findall(r"[^\W_]+", tortured) if len(w) > 1 and w.isupper()}
    return not [w for w in phrase_key(tortured) if w not in allowed and f" {w} " in got]


def report_pps(out: Path) -> None:
    print("## repair wordlist import-pps\n")
    rows = []
    seeds = sorted(SEEDS.glob("*.txt"))
    seed_rows = []
    for path in sorted(CATALOGUE_DIR.glob("pps_tortured_phrases_*")):
        if path.suffix not in (".csv", ".json"):
            continue
        catalogue = read_catalogue(path.read_text(encoding="utf-8"))
        started = time.perf_counter()
        result = import_rows(catalogue)
        seconds = time.perf_counter() - started
        text = render(result.entries, "# imported for measurement\n")
        target = out / f"science-{path.suffix[1:]}.txt"
        target.write_text(text, encoding="utf-8")
        wordlist = parse(text, name="science", path=str(target))
        engine = Engine([wordlist])
        listed = found = known = restored_default = restored_all = flagged = 0
        for row in catalogue:
            for doc, start, end, tortured in _inject(row):
                listed += 1
                findings = engine.scan(doc)
                hits = [f for f in findings if f.start < end and start < f.end]
                if hits:
                    found += 1
                if not clean_expected(row.expected).originals:
                    flagged += bool(hits)
                    continue
                known += 1
                clean = doc[:start] + doc[end:]
                for selection, counter in ((DEFAULT, "d"), (EVERYTHING, "a")):
                    applied = select(findings, selection)
                    fixed = apply_edits(doc, (Edit.from_finding(f) for f in applied))
                    if _restored(fixed, clean, row, tortured):
                        if counter == "d":
                            restored_default += 1
                        else:
                            restored_all += 1
        rows.append(
            [
                path.name,
                _pct(result.converted_rows, result.rows),
                len(result.entries),
                f"{seconds:.1f} s",
                _pct(found, listed),
                _pct(restored_default, known),
                _pct(restored_all, known),
                f"{len(result.skipped)}: {result.reasons()}",
            ]
        )
        for seed in seeds:
            seed_text = seed.read_text(encoding="utf-8")
            findings = engine.scan(seed_text)
            applied = select(findings, DEFAULT)
            score = risk_score(findings, count_words(seed_text))
            seed_rows.append(
                [path.suffix[1:], seed.name, len(findings), len(applied), score.level, f"{score.per_1000:.2f}"]
            )
    print(
        _table(
            [
                "catalogue",
                "rows converted",
                "entries",
                "time",
                "injected: found",
                "restored (default)",
                "restored (choose, thr 0)",
                "skipped",
            ],
            rows,
        )
    )
    print("\nScience list on the seeds (false fixes must be 0 on the clean seed 004):\n")
    print(_table(["list", "seed", "findings", "fixes (default)", "risk", "per 1,000 words"], seed_rows))
    print()


# ---------------------------------------------------------------- trace


def report_trace() -> None:
    split = _split()
    names = split["tune"] + split["report"] + split["contrast"]
    corpus = [
        (p.name.removesuffix(".orig.txt"), p.read_text(encoding="utf-8")) for p in sorted(PAIRS_DIR.glob("*.orig.txt"))
    ]
    texts = dict(corpus)
    engines: list[tuple[str, Engine | None]] = [("no de-spin", None)]
    if "news" in shipped_names():
        engines.append(("shipped news list", Engine(resolve(["news"]))))
    tune = _pairs(split["tune"])
    engines.append(("list learned from tune", Engine([parse(render(learn(tune).entries), name="learned")])))
    print("## repair trace (19 spun texts against all 19 originals; identical copies count as the original)\n")
    rows = []
    for label, engine in engines:
        first = 0
        gaps = []
        for name in names:
            ranked = rank((PAIRS_DIR / f"{name}.spun.txt").read_text(encoding="utf-8"), corpus, engine)
            truth = texts[name]
            first += texts[ranked[0].name] == truth
            best_true = next(c.score for c in ranked if texts[c.name] == truth)
            best_other = next(c.score for c in ranked if texts[c.name] != truth)
            gaps.append(best_true - best_other)
        rows.append([label, f"{first}/{len(names)}", f"{min(gaps):.1f}", f"{sum(gaps) / len(gaps):.1f}"])
    print(_table(["de-spin with", "true original ranked first", "smallest gap", "mean gap"], rows))
    print("\n(score: word-weighted mean best sentence ratio, 0-100; gap: true original minus best other file)\n")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="where learned/imported lists go (default: a temporary folder)")
    parser.add_argument("--only", choices=("learn", "pps", "trace"), help="one part only")
    args = parser.parse_args(argv)
    if not PAIRS_DIR.is_dir() or not CATALOGUE_DIR.is_dir():
        print(f"{SHARED} is not present: nothing to measure")
        return 0
    out = args.out or Path(tempfile.mkdtemp(prefix="repair-issue5-"))
    out.mkdir(parents=True, exist_ok=True)
    print(f"# Issue 5 figures\n\nLists written to {out} (not for the repo).\n")
    if args.only in (None, "learn"):
        report_learn(out)
    if args.only in (None, "pps"):
        report_pps(out)
    if args.only in (None, "trace"):
        report_trace()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
