"""`repair review FILE...`: the arguments, and running the Textual app.

Textual is imported only inside `run`, so the rest of the CLI never pays for it
(and the layers below never see it).
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from repair.cli.common import ConfigurableOptions, UsageError, config_options, encoding_type, report_threshold
from repair.edge.documents import InputError

if TYPE_CHECKING:
    from repair.review.workspace import ReviewOptions

TUI_PACKAGES = ("textual", "rich")
TUI_INSTALL = "pip install 'repair-despinner[tui]'"
DESCRIPTION = (
    "Walk through every proposed fix in a Textual app, decide each one, and save a clean copy. "
    "Decisions are saved as they are made; reopening a document resumes the review."
)


def configure(opts: ConfigurableOptions) -> None:
    """review's options; those a config file may set are added through `opts` (as check's and fix's)."""
    parser = opts.parser
    parser.description = DESCRIPTION
    parser.add_argument("files", nargs="*", metavar="FILE", help="documents to review (tab switches between them)")
    opts.add(
        "-w",
        "--wordlist",
        action="append",
        metavar="SPEC",
        is_path=True,
        help="a shipped list name or a wordlist file; repeatable (default: the shipped lists)",
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="PATH",
        help="where to save the clean copy (a folder when several files are given; default NAME.repaired.EXT)",
    )
    parser.add_argument(
        "--in-place",
        action="store_true",
        help="save the clean copy over the input, keeping the original as NAME.EXT.bak (never replaced once made)",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="with --in-place: review even where NAME.EXT.bak exists from an earlier run (it is kept as it is)",
    )
    opts.add("--encoding", type=encoding_type, metavar="NAME", help="decode inputs with NAME (default: UTF-8)")
    parser.add_argument(
        "--decisions",
        metavar="FILE",
        help="the decisions file to read and write (one document only; default: see --decisions-in)",
    )
    opts.add(
        "--decisions-in",
        choices=("beside", "user"),
        default="beside",
        help="keep decisions beside the document as .NAME.repair-decisions.jsonl (default) or in the user data folder",
    )
    opts.add(
        "--no-user-lists",
        action="store_true",
        help="leave out user.txt and ignore.txt of the user data folder",
    )
    opts.add(
        "--recall-mode",
        action="store_true",
        help="also offer thesaurus candidates for words the lists do not have (choices, lower confidence)",
    )
    config_options(parser)


def options_from_args(args: argparse.Namespace) -> ReviewOptions:
    from repair.review.workspace import ReviewOptions  # loaded only for this command

    return ReviewOptions(
        paths=tuple(args.files),
        wordlists=tuple(args.wordlist or ()),
        encoding=args.encoding,
        output=args.output,
        in_place=args.in_place,
        force=args.force,
        decisions=args.decisions,
        decisions_in=args.decisions_in,
        threshold=report_threshold(args),  # A accepts the remaining ones at or above it
        user_lists=not args.no_user_lists,
        discover=args.recall_mode,
    )


def run(args: argparse.Namespace) -> int:
    """Open the app; on exit print what changed. InputError propagates to the CLI (exit 2)."""
    if not args.files:
        raise UsageError("give at least one FILE", "repair review")
    try:
        from repair.tui.app import create_app
    except ModuleNotFoundError as exc:  # the TUI is an extra: the default install is the command line only
        package = (exc.name or "").split(".")[0]
        if package not in TUI_PACKAGES:
            raise
        raise InputError(f"repair review needs the terminal UI ({package} is not installed): {TUI_INSTALL}") from None

    app = create_app(options_from_args(args))
    try:
        app.run()
    finally:
        app.workspace.close()
    summary = app.workspace.summary()
    if summary:
        print(summary)
    return app.return_code or 0
