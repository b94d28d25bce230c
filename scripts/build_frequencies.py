"""Write wordlists/wordfreq-en.txt.gz: wordfreq's large English word list, all that the run time reads of wordfreq.

Usage: python scripts/build_frequencies.py [--check]

Needs wordfreq (`pip install -e '.[data]'`); the run time does not. The format is
described in repair/core/frequencies.py: the words of wordfreq's
`get_frequency_list("en", "large")`, one line per centibel of frequency, in its
order, so the file holds exactly what wordfreq's list holds. gzip without a name and
with mtime 0: the same list gives the same bytes. The data is CC BY-SA 4.0 (see
wordlists/wordfreq-en.md). With --check, only report whether the shipped file holds
the installed wordfreq's list (exit 1 if not); a test does the same.
"""

from __future__ import annotations

import argparse
import gzip
import sys
from importlib.metadata import version

from repair.core import frequencies
from repair.edge.documents import atomic_write_bytes


def list_text(lines: list[list[str]], made_by: str) -> str:
    if any(not word or any(c.isspace() for c in word) for words in lines for word in words):
        raise ValueError("a word is empty or holds a space: the format cannot keep it")
    header = f"# {made_by} large_en, CC BY-SA 4.0 (wordfreq-en.md): line n holds the words of frequency 10**(-n/100)"
    return "\n".join([header, *(" ".join(words) for words in lines)]) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report whether the shipped file is up to date")
    args = parser.parse_args(argv)
    from wordfreq import get_frequency_list

    lines = get_frequency_list("en", "large")
    path = frequencies.data_path()
    if args.check:
        same = path.is_file() and frequencies.read_list(path) == lines
        print(f"{path}: {'up to date' if same else 'stale: run scripts/build_frequencies.py'}")
        return 0 if same else 1
    text = list_text(lines, f"wordfreq {version('wordfreq')}")
    atomic_write_bytes(path, gzip.compress(text.encode(), compresslevel=9, mtime=0))
    print(f"{path}: {sum(map(len, lines))} words, {path.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
