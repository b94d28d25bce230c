"""THE word pattern: tokens with character offsets, normalisation, and carrying case to a replacement.

Every part of `repair` that cuts text into words uses WORD_PATTERN through this
module: `tokenize` (tokens with offsets: alignment, learning, the catalogue
import), `words_between` (the words of a stretch: conditions, the language
model) and `split_words` (the scanner's hot path, the same cuts at twice the
speed; tests hold them equal).
"""

from __future__ import annotations

import bisect
import itertools
import operator
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import regex

# A word is letters/digits, possibly joined by apostrophes ("don't", "o’clock").
# Hyphens are separators, so "face-to-face" and "face to face" give the same tokens.
_W, _APOSTROPHE = r"[^\W_]", "['’]"  # a word character; an apostrophe that may join two runs of them
WORD_PATTERN = rf"{_W}+(?:{_APOSTROPHE}{_W}+)*"
WORD_RE = regex.compile(WORD_PATTERN)
# The scanner's hot path (`split_words`) runs the standard library's `re`, about twice
# as fast, with a word class that names the characters outside ASCII the text holds
# and `regex` counts as word characters, so it cuts exactly where WORD_RE would.
_ASCII_WORD_CHARS = "0-9A-Za-z"  # what `[^\W_]` matches in ASCII
_WORD_CHAR = regex.compile(_W)
_ASCII_BYTES = bytes(range(128))

# What may stand between two words of one phrase: spaces, a hyphen, one line break.
_JOINER_RE = regex.compile(r"[ \t\u00a0]*(?:[-\u2010\u2011][ \t\u00a0]*|\r?\n[ \t\u00a0]*)?")
# Closed-class words, shared by alignment, learning, the importers and inflection.
FUNCTION_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "been",
        "but",
        "by",
        "for",
        "from",
        "in",
        "is",
        "it",
        "its",
        "of",
        "on",
        "one",
        "or",
        "that",
        "the",
        "this",
        "to",
        "was",
        "were",
        "with",
    ]
)
PRONOUNS_AND_DETERMINERS = frozenset(
    [
        "all",
        "any",
        "each",
        "every",
        "he",
        "her",
        "him",
        "his",
        "i",
        "many",
        "no",
        "not",
        "our",
        "she",
        "so",
        "some",
        "than",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "those",
        "us",
        "we",
        "you",
        "your",
    ]
)
AUXILIARIES = frozenset(  # modal and auxiliary verbs
    [
        "are",
        "be",
        "been",
        "being",
        "can",
        "could",
        "did",
        "do",
        "does",
        "had",
        "has",
        "have",
        "is",
        "may",
        "might",
        "must",
        "shall",
        "should",
        "was",
        "were",
        "will",
        "would",
    ]
)
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
    if phrase.isascii() and phrase.replace(" ", "").isalnum():  # plain words (most of a wordlist): split is enough
        return tuple(phrase.lower().split())
    return tuple(normalise(m.group()) for m in WORD_RE.finditer(phrase))


def tokenize(text: str) -> list[Token]:
    """Every word token with its offsets and normalised form."""
    return [Token(m.start(), m.end(), normalise(m.group())) for m in WORD_RE.finditer(text)]


def words_between(text: str, start: int = 0, end: int | None = None) -> list[str]:
    """The words of text[start:end] as WORD_RE cuts them (a word cut off at either end counts as its part)."""
    return WORD_RE.findall(text, start, end)


@dataclass(frozen=True, slots=True)
class Words:
    """A text's words as WORD_RE cuts them, with their offsets and the gaps between them (`words_of`).

    Cut once per document and shared by everything that walks its words (the matcher, the thesaurus pass).
    """

    words: list[str]
    starts: list[int]  # word k spans starts[k]..ends[k]; starts[len(words)] is the text's length
    ends: list[int]
    gaps: list[str]  # gaps[k] stands before word k; gaps[len(words)] after the last

    @property
    def parts(self) -> list[str]:
        """[gap, word, gap, ..., word, gap], as `split_words` gives them."""
        parts = [""] * (2 * len(self.words) + 1)
        parts[0::2], parts[1::2] = self.gaps, self.words
        return parts


def words_of(text: str) -> Words:
    """The words of `text` with their offsets (`split_words`, whose cuts are WORD_RE's)."""
    parts = split_words(text)
    offsets = list(itertools.accumulate(map(len, parts)))  # word k spans offsets[2k]..offsets[2k + 1]
    return Words(parts[1::2], offsets[0::2], offsets[1::2], parts[0::2])


def words_before(text: str, table: Words, offset: int, reach: int, n: int) -> list[str]:
    """`words_between(text, max(0, offset - reach), offset)[-n:]`, read from `table` (`words_of(text)`).

    The table answers where the last n words before `offset` lie whole in the stretch and no word
    runs across `offset`; elsewhere the stretch is cut into words as `words_between` cuts it.
    """
    k = bisect.bisect_right(table.ends, offset)  # the words ending by `offset`: 0 .. k - 1
    first = max(0, k - n)
    if (k < len(table.words) and table.starts[k] < offset) or (k and table.starts[first] < offset - reach):
        return words_between(text, max(0, offset - reach), offset)[-n:]
    return table.words[first:k]


def words_after(text: str, table: Words, offset: int, reach: int, n: int) -> list[str]:
    """`words_between(text, offset, offset + reach)[:n]`, read from `table` (`words_of(text)`) where it can."""
    k = bisect.bisect_left(table.starts, offset, 0, len(table.words))  # the first word starting at `offset` or later
    last = min(len(table.words), k + n)
    if (k and table.ends[k - 1] > offset) or (last > k and table.ends[last - 1] > offset + reach):
        return words_between(text, offset, offset + reach)[:n]
    return table.words[k:last]


def lowered(text: str) -> str:
    """`normalise` of the whole text, offset for offset (same length as `text`)."""
    low = text.lower()
    if len(low) != len(text):  # a few characters lower-case to two ("İ"): keep those as they are
        low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    return low.replace("\u2019", "'").replace("\u2018", "'")


def split_words(text: str) -> list[str]:
    """`text` cut into [gap, word, gap, ..., word, gap]: WORD_RE's words and what lies between them."""
    return _splitter(_word_chars_beyond_ascii(text)).split(text)


def _word_chars_beyond_ascii(text: str) -> str:
    """The characters of `text` outside ASCII that WORD_RE counts as word characters, sorted."""
    if text.isascii():
        return ""
    # Dropping the ASCII bytes of the UTF-8 leaves the other characters, in C at ~1 GB/s.
    others = text.encode("utf-8", "surrogatepass").translate(None, _ASCII_BYTES).decode("utf-8", "surrogatepass")
    return "".join(sorted(c for c in set(others) if _WORD_CHAR.match(c)))


@lru_cache(maxsize=64)
def _splitter(word_chars: str) -> re.Pattern[str]:
    """WORD_PATTERN for `re`, for texts whose only word characters outside ASCII are `word_chars`.

    `re` and `regex` disagree on a few word characters outside ASCII (combining
    marks, superscript digits), so the class names each one the text holds.
    """
    word = f"[{_ASCII_WORD_CHARS}{re.escape(word_chars)}]"
    return re.compile(f"({word}+(?:{_APOSTROPHE}{word}+)*)")


@lru_cache(maxsize=4096)
def phrase_search(phrase: str) -> regex.Pattern[str]:
    """Finds `phrase` in a `lowered` text where its words are whole, consecutive words of WORD_RE's.

    `phrase` is single-spaced words as `phrase_key` gives them. A word of the text
    starts where a word character follows neither a word character nor an
    apostrophe after one, and ends where neither follows it; only other characters
    may stand between two words.
    """
    words = phrase.split(" ")
    if not all(map(WORD_RE.fullmatch, words)):
        return regex.compile("(?!)")  # a "word" WORD_RE would cut differently never occurs
    start, end = rf"(?<!{_W})(?<!{_W}{_APOSTROPHE})", rf"(?!{_W})(?!{_APOSTROPHE}{_W})"
    return regex.compile(start + f"{end}[\\W_]+{start}".join(map(regex.escape, words)) + end)


def is_joiner(gap: str) -> bool:
    """Whether `gap` may stand between two words of one phrase."""
    return _JOINER_RE.fullmatch(gap) is not None


ACRONYM = 4  # the most letters of a word written in capitals that `carry_case` reads as an acronym


def carry_case(source: str, replacement: str) -> str:
    """Give `replacement` the case pattern of `source`.

    "Would possibly" -> "May", "SPHERICAL" -> "ROUND", "Would Possibly Be" ->
    "May Be"; lower-case source keeps the replacement as written (so "US" stays).
    An acronym ("EU", "USA": one word of at most ACRONYM letters) that stands for
    longer words names something: "EU" -> "European", "USA" -> "US".
    """
    if source.islower() or not replacement:  # the common case, and the cheapest
        return replacement
    letters = [c for c in source if c.isalpha()]
    if not letters:
        return replacement
    if len(letters) > 1 and all(c.isupper() for c in letters):
        if len(letters) <= ACRONYM and " " not in source and (" " in replacement or len(replacement) > ACRONYM):
            return " ".join(w[:1].upper() + w[1:] for w in replacement.split(" "))
        return replacement.upper()
    words = source.split()
    if len(words) > 1 and all(w[:1].isupper() for w in words if w[:1].isalpha()):
        return " ".join(w[:1].upper() + w[1:] for w in replacement.split(" "))
    if letters[0].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement


_GAP = re.compile(r"\s+")
_ODD_GAP = re.compile(r"[^\S ]| {2}")  # whitespace other than single spaces
_LINE_BREAK = re.compile(r"[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")  # what str.splitlines cuts at


def has_odd_whitespace(spun: str) -> bool:
    """Whether `spun` holds whitespace other than single spaces (a line break, a tab, two spaces, NBSP)."""
    return _ODD_GAP.search(spun) is not None


def carry_whitespace(spun: str, replacement: str, *, at_line_start: bool = False, at_line_end: bool = False) -> str:
    """Give `replacement` the whitespace between the words of `spun`, line breaks first.

    The spun span's gaps go onto the replacement's, in order ("a\r\nb c" and "x y z"
    give "x\r\ny z": CRLF stays CRLF). A replacement with fewer gaps keeps the
    gaps holding line breaks before the others; a line break with no gap left for it
    goes before the replacement, or after it when the span starts a line
    (`at_line_start`), and is dropped only when the span is a line of its own
    (a blank line would start a new paragraph): "in opposition\nto" -> "\nagainst".
    Words are never changed. A span
    with single spaces only gives the replacement back as it is.
    """
    gaps = _GAP.findall(spun)
    if all(g == " " for g in gaps):
        return replacement
    words = replacement.split()
    if not words:
        return replacement
    slots = len(words) - 1
    breaks = [i for i, g in enumerate(gaps) if _LINE_BREAK.search(g)]
    if len(gaps) <= slots:
        chosen, left_over = gaps + [" "] * (slots - len(gaps)), []
    else:
        keep = sorted([*breaks, *(i for i in range(len(gaps)) if i not in breaks)][:slots])
        chosen, left_over = [gaps[i] for i in keep], [gaps[i] for i in breaks if i not in keep]
    text = words[0] + "".join(gap + word for gap, word in zip(chosen, words[1:], strict=True))
    if left_over and not at_line_start:
        text = left_over.pop(0) + text
    if left_over and not at_line_end:
        text = text + left_over.pop(0)
    return text


def carry_span_whitespace(text: str, start: int, end: int, replacements: Iterable[str]) -> tuple[str, ...]:
    """`carry_whitespace` for the span text[start:end], telling it whether the span starts or ends a line."""
    spun = text[start:end]
    first = start == 0 or text[start - 1] in "\r\n"
    last = end == len(text) or text[end] in "\r\n"
    return tuple(carry_whitespace(spun, r, at_line_start=first, at_line_end=last) for r in replacements)


def carry_apostrophes(replacement: str, curly: bool) -> str:
    """Use the document's apostrophe style (curly or straight) in the replacement."""
    return replacement.replace("'", "\u2019") if curly else replacement


def line_starts(text: str) -> list[int]:
    """Offsets at which each line starts (for line/column of an offset)."""
    # Line k starts after the k lines before it and their k line breaks; all in C.
    lengths = itertools.accumulate(map(len, text.split("\n")), initial=0)
    starts = list(map(operator.add, lengths, itertools.count()))
    starts.pop()  # the start of a line after the last one
    return starts
