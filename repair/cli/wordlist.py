"""`repair wordlist check|list|import-pps`: lint wordlists, list the shipped ones, import the PPS catalogue."""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

from repair.cli.common import ExitCode, UsageError
from repair.core.inflections import table_problem
from repair.core.wordlists import (
    Wordlist,
    WordlistError,
    lint,
    load_path,
    parse,
    render,
    shipped_names,
    wordlist_dir,
)
from repair.edge.documents import InputError, atomic_write_text, read_document, read_problem, read_text_file

ACTIONS = ("check", "list", "import-pps")


def no_action(args: argparse.Namespace) -> int:
    raise UsageError(f"choose an action: {', '.join(ACTIONS)}", "repair wordlist")


def run_check(args: argparse.Namespace) -> int:
    paths = [Path(f) for f in args.files] or sorted(wordlist_dir().glob("*.txt"))
    lists = []
    problems: list[str] = []
    for path in paths:
        try:
            if args.files:  # the user's files: read as documents are (no FIFO, no /dev/zero, a size limit)
                lists.append(parse(read_text_file(path, "wordlist file"), name=path.stem, path=str(path)))
            else:
                lists.append(load_path(path))
        except WordlistError as exc:
            problems.append(str(exc))
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(read_problem(path, exc, "wordlist file")) from None
    for wordlist in lists:
        others = [o for o in lists if o is not wordlist]
        problems.extend(str(p) for p in lint(wordlist, others))
    if not args.files and not problems:  # the shipped lists: their inflection table must match them too
        stale = table_problem(e for wordlist in lists for e in wordlist.entries)  # loads lemminflect
        problems.extend([stale] if stale else [])
    for problem in problems:
        print(problem)
    return ExitCode.FINDINGS if problems else ExitCode.OK


def run_list(args: argparse.Namespace) -> int:
    folder = wordlist_dir()
    for name in shipped_names():
        try:
            wordlist = load_path(folder / f"{name}.txt", name)
        except WordlistError as exc:
            print(f"{name:<16} {'broken':>8}  {exc}")
            continue
        print(f"{name:<16} {len(wordlist.entries):>8}  {wordlist.path}")
    return ExitCode.OK


# ---------------------------------------------------------------- import-pps


def configure_import(parser: argparse.ArgumentParser) -> None:
    """`repair wordlist import-pps FILE -o OUT`."""
    parser.description = (
        "Convert the Problematic Paper Screener's tortured-phrase catalogue (CSV export or pairs JSON) "
        "into a repair wordlist, keeping the query conditions (AND -> doc=, NOT -> not-doc=, ~N -> near=)."
    )
    parser.add_argument("catalogue", metavar="FILE", help="the catalogue: CSV export or pairs JSON")
    parser.add_argument("-o", "--output", metavar="OUT", help="write the wordlist here (default: standard output)")
    parser.add_argument("--min-papers", type=int, default=0, metavar="N", help="skip rows seen in fewer than N papers")
    parser.add_argument("--show-skipped", action="store_true", help="list every skipped row with its reason")
    parser.add_argument("--force", action="store_true", help="overwrite OUT if it exists")


def run_import(args: argparse.Namespace) -> int:
    from repair.tools.pps import HEADER, import_rows
    from repair.tools.pps_catalogue import read_catalogue  # loaded only for this command

    document = read_document(args.catalogue)
    try:
        rows = read_catalogue(document.text)
    except (ValueError, csv.Error) as exc:
        raise InputError(f"{args.catalogue}: not a tortured-phrase catalogue ({exc})") from None
    if not rows:
        raise InputError(f"{args.catalogue}: no rows")
    result = import_rows(rows, min_papers=args.min_papers)
    text = render(result.entries, HEADER.format(source=Path(args.catalogue).name))
    problems = lint(Wordlist("imported", result.entries))
    if args.output:
        atomic_write_text(args.output, text, force=args.force)
    else:
        sys.stdout.write(text)
    err = sys.stderr
    print(
        f"converted {result.converted_rows:,} of {result.rows:,} catalogue rows ({100 * result.rate:.1f}%) "
        f"into {len(result.entries):,} entries" + (f" in {args.output}" if args.output else ""),
        file=err,
    )
    if result.skipped:
        summary = ", ".join(f"{n} {why}" for why, n in result.reasons().items())
        print(f"skipped {len(result.skipped)} rows: {summary}", file=err)
        for s in result.skipped if args.show_skipped else ():
            print(f"  skipped {s}", file=err)
        if not args.show_skipped:
            print("  (--show-skipped lists them)", file=err)
    for problem in problems[:20]:
        print(f"lint: {problem}", file=err)
    return 0
