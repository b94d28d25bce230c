"""Tokens with character offsets, normalisation, and carrying case to a replacement."""

from __future__ import annotations

import re
from dataclasses import dataclass

from nltk.tokenize import RegexpTokenizer

# A word is letters/digits, possibly joined by apostrophes ("don't", "o’clock").
# Hyphens are separators, so "face-to-face" and "face to face" give the same tokens.
WORD_PATTERN = r"[^\W_]+(?:['’][^\W_]+)*"
_TOKENIZER = RegexpTokenizer(WORD_PATTERN)
_WORD_RE = re.compile(WORD_PATTERN)

# What may stand between two words of one phrase: spaces, a hyphen, one line break.
_JOINER_RE = re.compile(r"[ \t\u00a0]*(?:[-\u2010\u2011][ \t\u00a0]*|\r?\n[ \t\u00a0]*)?")
_HYPHENS = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2019": "'", "\u2018": "'"})


@dataclass(frozen=True, slots=True)
class Token:
    start: int
    end: int
    norm: str  # lower-case, straight apostrophes


def normalise(word: str) -> str:
    """The matching form of a word or phrase: lower-case, straight apostrophes."""
    return word.translate(_HYPHENS).lower()


def phrase_key(phrase: str) -> tuple[str, ...]:
    """The token sequence a phrase matches, as the tokenizer would see it."""
    return tuple(normalise(m.group()) for m in _WORD_RE.finditer(phrase))


def tokenize(text: str) -> list[Token]:
    return [Token(s, e, normalise(text[s:e])) for s, e in _TOKENIZER.span_tokenize(text)]


def joinable(text: str, end: int, start: int) -> bool:
    """Whether the gap text[end:start] may sit inside one phrase."""
    m = _JOINER_RE.fullmatch(text, end, start)
    return m is not None


def carry_case(source: str, replacement: str) -> str:
    """Give `replacement` the case pattern of `source`.

    "Would possibly" -> "May", "SPHERICAL" -> "ROUND", "Would Possibly Be" ->
    "May Be"; lower-case source keeps the replacement as written (so "US" stays).
    """
    letters = [c for c in source if c.isalpha()]
    if not letters or not replacement:
        return replacement
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return replacement.upper()
    words = source.split()
    if len(words) > 1 and all(w[:1].isupper() for w in words if w[:1].isalpha()):
        return " ".join(w[:1].upper() + w[1:] for w in replacement.split(" "))
    if letters[0].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement


def carry_apostrophes(replacement: str, curly: bool) -> str:
    """Use the document's apostrophe style (curly or straight) in the replacement."""
    return replacement.replace("'", "\u2019") if curly else replacement


def line_starts(text: str) -> list[int]:
    """Offsets at which each line starts (for line/column of an offset)."""
    starts = [0]
    find = text.find
    i = find("\n")
    while i != -1:
        starts.append(i + 1)
        i = find("\n", i + 1)
    return starts
