"""`repair review FILE...`: the arguments, and running the Textual app.

Textual is imported only inside `run`, so the rest of the CLI never pays for it
(and the layers below never see it).
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from repair.review.workspace import ReviewOptions

DESCRIPTION = (
    "Walk through every proposed fix in a Textual app, decide each one, and save a clean copy. "
    "Decisions are saved as they are made; reopening a document resumes the review."
)


def configure(parser: argparse.ArgumentParser) -> None:
    parser.description = DESCRIPTION
    parser.add_argument("files", nargs="+", metavar="FILE", help="documents to review (tab switches between them)")
    parser.add_argument(
        "-w",
        "--wordlist",
        action="append",
        default=[],
        metavar="NAME|PATH",
        help="a shipped wordlist name or a wordlist file (repeatable; default: the shipped lists)",
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="PATH",
        help="where to save the clean copy (a folder when several files are given; default NAME.repaired.EXT)",
    )
    parser.add_argument("--in-place", action="store_true", help="save the clean copy over the input")
    parser.add_argument("--encoding", metavar="NAME", help="the documents' text encoding (default utf-8)")
    parser.add_argument(
        "--decisions",
        metavar="FILE",
        help="the decisions file to read and write (one document only; default: see --decisions-in)",
    )
    parser.add_argument(
        "--decisions-in",
        choices=("beside", "user"),
        default="beside",
        help="keep decisions beside the document as .NAME.repair-decisions.jsonl (default) or in the user data folder",
    )
    parser.add_argument(
        "--threshold",
        type=float,
        default=0.0,
        metavar="C",
        help="show findings with confidence at least C (0-1); A accepts the remaining ones at or above it",
    )
    parser.add_argument(
        "--no-user-lists",
        action="store_true",
        help="ignore the user wordlist and ignore list in the user data folder",
    )
    parser.add_argument(
        "--recall-mode",
        action="store_true",
        help="also offer thesaurus candidates for words the lists do not have (choices, lower confidence)",
    )


def options_from_args(args: argparse.Namespace) -> ReviewOptions:
    from repair.review.workspace import ReviewOptions  # loaded only for this command

    return ReviewOptions(
        paths=tuple(args.files),
        wordlists=tuple(args.wordlist),
        encoding=args.encoding,
        output=args.output,
        in_place=args.in_place,
        decisions=args.decisions,
        decisions_in=args.decisions_in,
        threshold=args.threshold,
        user_lists=not args.no_user_lists,
        discover=args.recall_mode,
    )


def run(args: argparse.Namespace) -> int:
    """Open the app; on exit print what changed. InputError propagates to the CLI (exit 2)."""
    from repair.tui.app import create_app

    app = create_app(options_from_args(args))
    try:
        app.run()
    finally:
        app.workspace.close()
    summary = app.workspace.summary()
    if summary:
        print(summary)
    return app.return_code or 0
