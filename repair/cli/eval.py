"""`repair eval`: measure the batch fixer against original texts (repair.tools.evaluate) and print the report."""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import TYPE_CHECKING, TextIO

from repair.cli.common import fraction, recall_selection
from repair.core.model import Safety
from repair.edge.documents import InputError
from repair.tools.pairs import SPLIT_NAME, SPLITS

if TYPE_CHECKING:
    from repair.core.engine import Selection
    from repair.tools.evaluate import Request

EPILOG = """\
examples:
  repair eval --spun spun.txt --original orig.txt       recall, precision, misses, wrong edits
  repair eval --clean article.txt                       false fixes per 1,000 words on unspun text
  repair eval --pairs DIR --split report                a table over NAME.spun.txt / NAME.orig.txt pairs
  repair eval --pairs DIR --threshold 0 --safety choose --format json
  repair eval --loso --pairs DIR [--pairs DIR2]          each story held out in turn: unseen-story figures

A gold edit is a span of the spun text with the original's wording (found by aligning the two
texts sentence by sentence). Restored: the original's words are back in its place (case and
punctuation aside). Recall = restored / gold edits. Precision = right edits / judged edits; an
edit is right when the words it wrote are the original's. Edits outside the aligned text are
not judged. On clean text every edit is a false fix. Exit status: 0, or 2 on a usage or input error.
"""


def configure(parser: argparse.ArgumentParser) -> None:
    parser.description = "Measure the batch fixer against original texts: recall, precision, false fixes."
    parser.epilog = EPILOG
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument("--spun", metavar="FILE", help="a spun text")
    parser.add_argument("--original", metavar="FILE", help="the original of --spun")
    parser.add_argument(
        "--clean", metavar="FILE", action="append", default=[], help="unspun text: every edit is a false fix"
    )
    parser.add_argument(
        "--pairs", metavar="DIR", action="append", help="a folder of NAME.spun.txt / NAME.orig.txt pairs (repeatable)"
    )
    parser.add_argument(
        "--loso",
        action="store_true",
        help="leave one story out: learn the list and fit the model without each story in turn, then fix it",
    )
    parser.add_argument("--split", choices=(*SPLITS, "all"), default="all", help="which pairs of --pairs (default all)")
    parser.add_argument(
        "--split-file",
        metavar="FILE",
        help=f"the split of pairs into groups (default: the development pairs' split, wordlists/{SPLIT_NAME})",
    )
    parser.add_argument(
        "--threshold",
        type=fraction,
        default=None,
        metavar="FLOAT",
        help="minimum confidence applied (default: as fix)",
    )
    parser.add_argument(
        "--safety", choices=("auto", "choose"), default=None, help="least safe class applied (default: as fix)"
    )
    parser.add_argument(
        "--wordlist", metavar="SPEC", action="append", default=None, help="shipped list name or file (repeatable)"
    )
    parser.add_argument("--encoding", default=None, help="encoding of the input files (default utf-8)")
    parser.add_argument(
        "--format", choices=("human", "json"), default="human", dest="output_format", help="a table (default) or JSON"
    )
    parser.add_argument("--details", action="store_true", help="with --pairs: list misses and wrong edits per pair")
    parser.add_argument(
        "--recall-mode", action="store_true", help="measure `repair fix --recall-mode` (thesaurus candidates, choices)"
    )


def selection_from(args: argparse.Namespace) -> Selection:
    """The selection given on the command line; unset parts default to what `repair fix` applies."""
    from repair.core.engine import Selection
    from repair.edge.fixing import SAFE

    threshold = SAFE.threshold if args.threshold is None else args.threshold
    if not 0.0 <= threshold <= 1.0:
        raise InputError(f"--threshold {threshold} is outside 0..1")
    safety = SAFE.safety if args.safety is None else Safety.parse(args.safety)
    if getattr(args, "recall_mode", False):
        return recall_selection(threshold)
    return Selection(threshold=threshold, safety=safety)


def request_from(args: argparse.Namespace) -> Request:
    from repair.tools.evaluate import Request  # the tools load only for the command that runs them

    return Request(
        spun=args.spun,
        original=args.original,
        clean=tuple(args.clean),
        pairs=args.pairs[0] if args.pairs else None,
        split=args.split,
        split_file=args.split_file,
        encoding=args.encoding,
    )


def run(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """`repair eval`: print the report; user errors raise InputError (the CLI prints them, exit 2)."""
    from repair.edge.setup import EngineSettings, engine_for
    from repair.tools.evaluate import evaluate
    from repair.tools.evaluate_text import render_text

    if args.loso:
        return _run_loso(args, out or sys.stdout)
    if args.pairs and len(args.pairs) > 1:
        raise InputError("several --pairs folders are only read with --loso")
    request = request_from(args)
    request.check()
    selection = selection_from(args)
    # Measured as shipped: the user's own lists and ignore list are left out.
    engine = engine_for(EngineSettings(wordlists=tuple(args.wordlist or ()), discover=args.recall_mode))
    report = evaluate(request, engine, selection)
    stream = out or sys.stdout
    details = args.details or args.pairs is None
    if args.output_format == "json":
        stream.write(json.dumps(report.to_dict(details), indent=2, ensure_ascii=False) + "\n")
    else:
        stream.write(render_text(report, details=details))
    return 0


def _run_loso(args: argparse.Namespace, out: TextIO) -> int:
    """`repair eval --loso`: every story of the pairs held out in turn (slow: a model is fitted per story)."""
    from repair.core.wordlists import load_shipped
    from repair.tools.evaluate import Report
    from repair.tools.evaluate_text import render_loso
    from repair.tools.loso import leave_one_story_out, read_corpus

    if not args.pairs:
        raise InputError("--loso needs --pairs DIR (folders of NAME.spun.txt / NAME.orig.txt)")
    for folder in args.pairs:
        if not os.path.isdir(folder):
            raise InputError(f"{folder}: no such folder of pairs")
    selection = selection_from(args)
    corpus = read_corpus(args.pairs)
    lists = load_shipped(["news"])

    def progress(story: str) -> None:
        print(f"repair eval: holding out {story}", file=sys.stderr, flush=True)

    results = leave_one_story_out(corpus, lists=lists, selection=selection, progress=progress)
    pairs = tuple(p for r in results for p in r.pairs)
    clean = tuple(c for r in results for c in r.clean)
    report = Report(selection, ("news", "spinner (learned without the held-out story)"), pairs, clean)
    stories = {d.name: d.story for d in corpus.docs}
    topics = {d.name: d.topic for d in corpus.docs}
    if args.output_format == "json":
        data = report.to_dict(args.details) | {"stories": stories, "topics": topics}
        out.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    else:
        out.write(render_loso(report, stories, topics))
    return 0
