"""Inflected forms for wordlist entries: lemminflect's answers, kept in a table for the shipped lists.

Matching inflects an entry's head word ("squaddie" -> "squaddies", "help to
keep" -> "helps to keep"), and lemminflect knows English inflection. Importing
and loading it costs ~0.6 s, which was most of a `repair check`'s start-up, yet
the shipped lists only ever ask it about the same ~500 words. Their answers are
kept in `wordlists/inflections.tsv`, written by `scripts/build_inflections.py`
from lemminflect (MIT) and checked by a test and `repair wordlist check` to be
exactly what lemminflect answers now. A word outside the table (from a user's
own list) goes to lemminflect, loaded on first use.

The table's format, one word a line, tab-separated, `-` for "none":

    word    parts of speech lemminflect knows it as (NOUN, VERB)    NNS    VBZ    VBD    VBG    VBN

The forms are lemminflect's first answer for each tag, as `inflect` gives them
(for a word it does not know, its rules' guess).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from repair.core.model import Entry
from repair.core.wordlists import wordlist_dir

TABLE_NAME = "inflections.tsv"
UPOS = ("NOUN", "VERB")  # the parts of speech `known` is asked about
TAGS = ("NNS", "VBZ", "VBD", "VBG", "VBN")  # the forms `inflect` is asked for
NONE = "-"
HEADER = (
    "# Inflections of the words the shipped wordlists inflect, from lemminflect: made by\n"
    "# scripts/build_inflections.py; format in repair/core/inflections.py. Do not edit by hand.\n"
)


class Row(NamedTuple):
    known: frozenset[str]  # UPOS values lemminflect has the word under
    forms: Mapping[str, str | None]  # tag -> form


@cache
def lemminflect() -> Any:  # imported lazily: it loads its tables on first use
    import lemminflect

    return lemminflect


def _ask(word: str) -> Row:
    """lemminflect's answers for `word`, as the table keeps them."""
    lem = lemminflect()
    known = frozenset(upos for upos in UPOS if lem.getAllInflections(word, upos=upos))
    forms = {tag: (found[0] if (found := lem.getInflection(word, tag=tag)) else None) for tag in TAGS}
    return Row(known, forms)


def read_table(text: str) -> dict[str, Row]:
    """Parse the table's text (format above)."""
    table = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        word, known, *forms = line.split("\t")
        table[word] = Row(
            frozenset() if known == NONE else frozenset(known.split(",")),
            {tag: None if form == NONE else form for tag, form in zip(TAGS, forms, strict=True)},
        )
    return table


def table_text(words: Iterable[str]) -> str:
    """The table for `words`, from lemminflect, sorted."""
    lines = [HEADER]
    for word in sorted(set(words)):
        row = _ask(word)
        known = ",".join(u for u in UPOS if u in row.known) or NONE
        forms = (row.forms[tag] or NONE for tag in TAGS)
        lines.append("\t".join((word, known, *forms)) + "\n")
    return "".join(lines)


def words_to_keep(entries: Iterable[Entry]) -> set[str]:
    """Every word matching may ask about for these entries.

    `repair.core.match` inflects the first or the last word of each side of an entry
    (and asks whether the spun one is a noun or a verb), so these are the first
    and last words of the spun phrase and of every original, lower-cased.
    """
    words = set()
    for entry in entries:
        if entry.inflect and entry.originals:
            for phrase in (entry.spun, *entry.originals):
                parts = phrase.lower().split()
                if parts:
                    words.update((parts[0], parts[-1]))
    return words


def table_problem(entries: Iterable[Entry], path: Path | None = None) -> str | None:
    """A one-line problem when the table at `path` (the shipped one) is not what these entries need."""
    path = path or wordlist_dir() / TABLE_NAME
    try:
        current = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        current = None
    if current == table_text(words_to_keep(entries)):
        return None
    state = "missing" if current is None else "out of date"
    return f"{path}: {state} for the shipped lists (run: python scripts/build_inflections.py)"


def table_path() -> Path:
    return wordlist_dir() / TABLE_NAME


def lemminflect_marker() -> bytes:
    """What tells one installed lemminflect from another (its `__init__.py`, which holds the version), unimported."""
    import importlib.util

    spec = importlib.util.find_spec("lemminflect")
    return Path(spec.origin).read_bytes() if spec is not None and spec.origin else b""


@cache
def _shipped() -> dict[str, Row]:
    path = table_path()
    try:
        return read_table(path.read_text(encoding="utf-8"))
    except FileNotFoundError:  # a source tree before the table was built: lemminflect answers everything
        return {}


def known(word: str, upos: str) -> bool:
    """Whether lemminflect knows `word` (lower case) as a NOUN or a VERB."""
    row = _shipped().get(word)
    if row is not None:
        return upos in row.known
    return bool(lemminflect().getAllInflections(word, upos=upos))


def inflect(word: str, tag: str) -> str | None:
    """`word` (lower case) in the form of a Penn tag in TAGS, or None."""
    row = _shipped().get(word)
    if row is not None:
        return row.forms[tag]
    forms = lemminflect().getInflection(word, tag=tag)
    return forms[0] if forms else None
