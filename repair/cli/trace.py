"""`repair trace SPUN --corpus DIR`: rank a corpus's files as the original of a spun text (repair.tools.trace)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from repair.core.wordlists import DEFAULT_LISTS
from repair.edge.documents import InputError, read_document

if TYPE_CHECKING:
    from repair.core.engine import Engine

DEFAULT_TOP = 5
# Below this no file is called a likely original (exit 1). Unrelated texts score about 0 (14 at most over the
# development originals); true originals of spun texts 25 and more but for one badly aligned pair (10).
DEFAULT_MIN_SCORE = 20.0


def configure(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Rank the files of a corpus by how likely each is the original a spun text was made from "
        "(de-spin, then compare sentence by sentence), and show the aligned sentences of the best match."
    )
    parser.add_argument("spun", metavar="SPUN", help="the spun text")
    parser.add_argument("--corpus", required=True, metavar="DIR", help="folder of candidate originals")
    parser.add_argument(
        "--glob", default="*.txt", metavar="PATTERN", help="which files of DIR to compare (default *.txt, recursive)"
    )
    parser.add_argument(
        "--wordlist",
        action="append",
        metavar="SPEC",
        help=f"de-spin with these lists (shipped name or file; default {', '.join(DEFAULT_LISTS)})",
    )
    parser.add_argument("--no-despin", action="store_true", help="compare the spun text as it is")
    parser.add_argument("--top", type=int, default=DEFAULT_TOP, metavar="N", help="how many matches to print")
    parser.add_argument("--sentences", type=int, default=12, metavar="N", help="aligned sentences to show (0: none)")
    parser.add_argument(
        "--min-score",
        type=float,
        default=DEFAULT_MIN_SCORE,
        metavar="S",
        help=f"exit 1 when no file scores at least S of 100 (default {DEFAULT_MIN_SCORE:g})",
    )
    parser.add_argument("--format", choices=("human", "json"), default="human", help="human text or one JSON object")


def _corpus(folder: str, pattern: str, spun_path: str) -> tuple[list[tuple[str, str]], list[str]]:
    root = Path(folder)
    if not root.is_dir():
        raise InputError(f"{folder}: not a folder")
    spun_resolved = Path(spun_path).resolve() if spun_path != "-" else None
    texts, warnings = [], []
    for path in sorted(p for p in root.rglob(pattern) if p.is_file()):
        if spun_resolved is not None and path.resolve() == spun_resolved:
            continue  # the spun text itself is not a candidate
        try:
            texts.append((str(path), read_document(str(path)).text))
        except InputError as exc:
            warnings.append(str(exc))
    if not texts:
        raise InputError(f"{folder}: no readable files matching {pattern}")
    return texts, warnings


def _engine(args: argparse.Namespace) -> Engine | None:
    from repair.edge.setup import EngineSettings, engine_for

    if args.no_despin:
        return None
    return engine_for(EngineSettings(wordlists=tuple(args.wordlist or ())))  # the lists as shipped, no user data


def run(args: argparse.Namespace) -> int:
    from repair.cli.report import warning
    from repair.tools.trace import aligned_sentences, rank  # the tools load only for the command that runs them

    spun = read_document(args.spun).text
    corpus, warnings = _corpus(args.corpus, args.glob, args.spun)
    engine = _engine(args)
    ranked = rank(spun, corpus, engine)
    best = ranked[0]
    found = best.score >= args.min_score
    texts = dict(corpus)
    aligned = aligned_sentences(spun, texts[best.name], engine) if args.sentences and found else []
    out = sys.stdout
    for problem in warnings:
        warning(problem)
    if args.format == "json":
        data = {
            "spun": args.spun,
            "matches": [
                {"path": c.name, "score": round(c.score, 1), "matched": round(c.matched, 3)} for c in ranked[: args.top]
            ],
            "gap": round(best.score - ranked[1].score, 1) if len(ranked) > 1 else None,
            "likely_original": best.name if found else None,
            "sentences": [
                {
                    "spun": a.spun.text,
                    "despun": a.despun,
                    "original": a.original.text if a.original else None,
                    "score": round(a.score, 1),
                }
                for a in aligned[: args.sentences]
            ],
        }
        out.write(json.dumps(data, ensure_ascii=False) + "\n")
        return 0 if found else 1
    print(f"{'score':>5}  {'matched':>7}  file", file=out)
    for c in ranked[: args.top]:
        print(f"{c.score:5.1f}  {100 * c.matched:6.0f}%  {c.name}", file=out)
    if len(ranked) > 1:
        print(f"gap to the next file: {best.score - ranked[1].score:.1f}", file=out)
    if not found:
        print(f"no file scores {args.min_score:g} or more: the original is probably not in {args.corpus}", file=out)
        return 1
    if aligned:
        print(f"\naligned sentences with {best.name} (score, spun -> de-spun, original):", file=out)
        for a in aligned[: args.sentences]:
            print(f"\n{a.score:5.1f}  spun:     {a.spun.text}", file=out)
            if a.despun != a.spun.text:
                print(f"       de-spun:  {a.despun}", file=out)
            print(f"       original: {a.original.text if a.original else '(none)'}", file=out)
    return 0
