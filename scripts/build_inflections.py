"""Write wordlists/inflections.tsv: lemminflect's inflections of every word the shipped lists inflect.

Usage: python scripts/build_inflections.py [--check]

Run it after editing a shipped wordlist (`repair wordlist check` and a test in
tests/test_match.py say so until the table matches the lists). With --check, only
report whether the table is up to date (exit 1 if not). The format is described
in repair/core/inflections.py.
"""

from __future__ import annotations

import argparse
import sys

from repair.core import inflections
from repair.core.wordlists import load_shipped, wordlist_dir
from repair.edge.documents import atomic_write_text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report whether the table is up to date")
    args = parser.parse_args(argv)
    path = wordlist_dir() / inflections.TABLE_NAME
    entries = [entry for wordlist in load_shipped() for entry in wordlist.entries]
    if args.check:
        problem = inflections.table_problem(entries, path)
        print(problem or f"{path}: up to date")
        return 1 if problem else 0
    text = inflections.table_text(inflections.words_to_keep(entries))
    atomic_write_text(path, text)
    print(f"{path}: {text.count(chr(10)) - inflections.HEADER.count(chr(10))} words")
    return 0


if __name__ == "__main__":
    sys.exit(main())
