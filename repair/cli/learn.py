"""`repair learn`: propose wordlist entries from spun/original pairs or from saved review decisions."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from repair.core.wordlists import WordlistError, parse, render, shipped_names, wordlist_dir
from repair.edge.documents import InputError, atomic_write_text, read_document

if TYPE_CHECKING:
    from repair.tools.learn import Pair


def configure(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Propose wordlist entries from spun texts and their originals (align, extract 1-3 word swaps, count, "
        "drop names, numbers and punctuation), or from saved review decisions (--decisions)."
    )
    parser.add_argument("folders", nargs="*", metavar="FOLDER", help="folders of NAME.spun.txt + NAME.orig.txt")
    parser.add_argument("--spun", action="append", default=[], metavar="S", help="a spun text (pair with --original)")
    parser.add_argument(
        "--original", action="append", default=[], metavar="O", help="the original of the --spun at the same place"
    )
    parser.add_argument("-o", "--output", metavar="FILE", help="write the proposal here (default: standard output)")
    parser.add_argument("--merge", metavar="INTO", help="merge the learned entries into this wordlist (kept sorted)")
    parser.add_argument("--min-count", type=int, default=1, metavar="N", help="keep swaps seen at least N times")
    parser.add_argument("--show-dropped", action="store_true", help="list the swaps dropped as noise")
    parser.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    decisions = parser.add_argument_group("review decisions")
    decisions.add_argument(
        "--decisions", nargs="+", metavar="FILE", help="saved review decisions: propose a patch and an ignore list"
    )
    decisions.add_argument("--ignore-out", metavar="FILE", help="write the proposed ignore list here")
    decisions.add_argument(
        "--against",
        action="append",
        metavar="LIST",
        help="wordlist files to patch (default: the shipped lists); rule ids name them by file stem",
    )
    decisions.add_argument(
        "--into", default="news", metavar="NAME", help="list for new phrases from decisions (default news)"
    )
    decisions.add_argument(
        "--min-rejects", type=int, default=2, metavar="N", help="rejections (and no acceptance) to ignore a rule"
    )


def _read(path: str | Path) -> str:
    return read_document(str(path)).text


def _pairs_from(args: argparse.Namespace) -> list[Pair]:
    from repair.tools.learn import Pair
    from repair.tools.pairs import ORIG_SUFFIX, SPUN_SUFFIX, find_pairs

    if len(args.spun) != len(args.original):
        raise InputError(f"--spun given {len(args.spun)} times but --original {len(args.original)} times")
    pairs = [Pair(Path(s).name, _read(s), _read(o)) for s, o in zip(args.spun, args.original, strict=True)]
    for folder in args.folders:
        if not Path(folder).is_dir():
            raise InputError(f"{folder}: not a folder (give --spun S --original O for single files)")
        found = find_pairs(folder)
        if not found:
            raise InputError(f"{folder}: no NAME{SPUN_SUFFIX} with a matching NAME{ORIG_SUFFIX}")
        pairs.extend(Pair(name, _read(s), _read(o)) for name, (s, o) in found.items())
    return pairs


def _emit(path: str | None, text: str, force: bool) -> None:
    if path and path != "-":
        atomic_write_text(path, text, force=force)
    else:
        sys.stdout.write(text)


def run(args: argparse.Namespace) -> int:
    from datetime import date

    from repair.tools.learn import learn, merge_into  # the tools load only for the command that runs them

    if args.decisions:
        return _run_decisions(args)
    pairs = _pairs_from(args)
    if not pairs:
        raise InputError("give pairs: FOLDER..., or --spun S --original O (or --decisions FILE...)")
    learned = learn(pairs, min_count=args.min_count)
    err = sys.stderr
    if args.merge:
        target = Path(args.merge)
        existing = _read(target) if target.exists() else ""
        try:
            merged = merge_into(existing, learned.entries, name=target.stem)
            parse(merged.text, name=target.stem, path=str(target))
        except WordlistError as exc:
            raise InputError(str(exc)) from None
        _emit(args.output or str(target), merged.text, True if not args.output else args.force)
        print(
            f"merged {len(merged.added)} new entries into {args.output or target} "
            f"({len(merged.present)} already listed)",
            file=err,
        )
    else:
        header = (
            f"# Proposed by `repair learn` from {len(pairs)} pair{'s' if len(pairs) != 1 else ''} on "
            f"{date.today().isoformat()}: review every line before use.\n"
            "# count= is how often the swap was seen; evidence marks ordinary English (fixed only on evidence).\n"
        )
        _emit(args.output, render(learned.entries, header), args.force)
    print(
        f"learned {len(learned.entries)} entries from {learned.observations} swaps in {learned.pairs} pairs; "
        f"dropped {sum(d.count for d in learned.dropped)} as noise "
        f"({', '.join(f'{n} {why}' for why, n in learned.dropped_by_reason().items()) or 'none'})",
        file=err,
    )
    for d in learned.dropped if args.show_dropped else ():
        print(f"  dropped {d}", file=err)
    return 0


def _run_decisions(args: argparse.Namespace) -> int:
    from repair.edge.decisions import load as load_decisions
    from repair.edge.userdata import IGNORE_HEADER
    from repair.tools.learn_decisions import propose_from_decisions, tally

    files = []
    for path in args.decisions:
        if not Path(path).is_file():
            raise InputError(f"{path}: no such file")
        files.append(list(load_decisions(path).decisions.values()))
    votes = tally(files)
    lists = {}
    if args.against:
        for path in args.against:
            lists[Path(path).stem] = (str(path), _read(path))
    else:
        folder = wordlist_dir()
        for name in shipped_names():
            lists[name] = (f"wordlists/{name}.txt", _read(folder / f"{name}.txt"))
    if args.into not in lists:
        raise InputError(f"--into {args.into}: not one of the lists to patch ({', '.join(lists) or 'none'})")
    try:
        proposal = propose_from_decisions(votes, lists, default_list=args.into, min_rejects=args.min_rejects)
    except WordlistError as exc:
        raise InputError(str(exc)) from None
    _emit(args.output, proposal.patch, args.force)
    err = sys.stderr
    if args.ignore_out:
        atomic_write_text(args.ignore_out, IGNORE_HEADER + "".join(f"{r}\n" for r in proposal.ignore), force=True)
    elif proposal.ignore:
        print("proposed ignore list (--ignore-out FILE writes it):", file=err)
        for rule in proposal.ignore:
            print(f"  {rule}", file=err)
    decided = sum(v.accepts + v.rejects + sum(v.edits.values()) for v in votes.values())
    print(
        f"{decided} decisions on {len(votes)} rules: {len(proposal.additions)} new entries, "
        f"{len(proposal.changes)} changed entries, {len(proposal.ignore)} rules to ignore",
        file=err,
    )
    for note in proposal.notes:
        print(f"  note: {note}", file=err)
    return 0
