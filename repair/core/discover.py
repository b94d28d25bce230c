"""Thesaurus candidates for the content words of a document that no wordlist matched.

Why: a curated wordlist reverses the swaps someone has seen; a thesaurus spinner
has thousands more. Once a document looks spun (`repair.core.score`'s gate),
every remaining content word is looked up in the inverted thesaurus
(`repair.core.thesaurus`), and its candidate originals are ranked by the prior,
the trigram LM (`repair.core.lm`) in a window of two words either side, and how
much of the LM's preference is mere frequency. The scorer then weighs them like
any other option (`repair.core.candidates.thesaurus_spans`).

Pure functions of the text: no I/O beyond the shared, read-only thesaurus and
LM, which load on the first document that passes the gate (about 1 s).
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from repair.core import lm as language_model
from repair.core import thesaurus
from repair.core.text import Words, words_of

PRIOR_CANDIDATES = 8  # best candidates by thesaurus prior that the LM scores (more did not help)

# Ranking a word's candidates (fitted as a conditional logit on the tuning
# pairs' swaps, rounded): the thesaurus prior share, the LM's preference in
# context, less the part of it that is only frequency (the candidate's
# context-free log probability over the word's), and a cost per extra word.
CHOICE_PRIOR = 2.0
CHOICE_LM = 1.2
CHOICE_FREE = -0.95
CHOICE_EXTRA_WORD = -0.7

# Function words: thesaurus candidates for them are noise, and the wordlist covers the spinner's
# habits with them ("within", "ought to").
_FUNCTION_WORDS_TEXT = """
    a about above across after again against all almost along already also although always am among an and another
    any anyone anything are around as at away back be became because become becomes been before being below between
    both but by can could did do does doing done down during each either else enough even ever every few for from
    further get gets got had has have having he her here hers herself him himself his how however i if in into is it
    its itself just least less like made make many may me might more most much must my myself neither never no nor not
    now of off often on once one only onto or other others otherwise our ours ourselves out over own per perhaps quite
    rather said same say says see seem seemed seems several shall she should since so some something still such than
    that the their theirs them themselves then there these they this those though through thus to too toward towards
    under until up upon us very was we well were what whatever when where whether which while who whom whose why will
    with within without would yet you your yours yourself yourselves
"""
# Number words: their thesaurus candidates are numerals and ordinals ("two" -> "ii").
_NUMBER_WORDS_TEXT = """
    zero two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen
    eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand million billion trillion
    first second third fourth fifth sixth seventh eighth ninth tenth half twice dozen
"""
SKIPPED_WORDS = frozenset(_FUNCTION_WORDS_TEXT.split()) | frozenset(_NUMBER_WORDS_TEXT.split())
_CONTRACTION = re.compile(r"'(?:t|re|ve|ll|d|m)$")
_QUOTED = re.compile(r"\u201c[^\u201d\n]*\u201d|\"[^\"\n]*\"")
_SENTENCE_END = re.compile(r"[.!?\n]")


@dataclass(frozen=True, slots=True)
class Option:
    """One candidate original of a suspect word, with its evidence."""

    form: str  # lower case, inflected like the word
    share: float  # thesaurus prior share among the word's candidates
    lm_gain: float  # nats: ln P(window with form) - ln P(window with the word)
    free_gain: float  # nats: context-free ln P(form) - ln P(word)
    choice: float  # ranking score (CHOICE_* weights)


@dataclass(frozen=True, slots=True)
class Suspect:
    """A content word outside the wordlist's matches, with its candidates ranked."""

    start: int
    end: int
    word: str  # lower case, as looked up
    zipf: float  # the word's own frequency
    options: tuple[Option, ...]  # best choice first


class _Spans:
    """Sorted spans, asked whether any overlaps [start, end) in O(log n)."""

    def __init__(self, spans: Sequence[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self.starts = [s for s, _ in ordered]
        self.reach = list(itertools.accumulate((e for _, e in ordered), max, initial=-1))  # furthest end so far

    def overlaps(self, start: int, end: int) -> bool:
        return self.reach[bisect.bisect_left(self.starts, end)] > start


def suspects(
    text: str,
    low: str,
    taken: Sequence[tuple[int, int]],
    *,
    include_taken: bool = False,
) -> list[Suspect]:
    """Content words outside `taken` that have thesaurus candidates, with their evidence.

    No document gate: the scorer applies it (repair.core.score). Options come best
    first by their choice score. `include_taken` keeps the words inside `taken`
    (to measure on every word). What is skipped: see `sites`.
    """
    return [
        Suspect(start, end, word, known.zipf, ranked(word, left, right))
        for start, end, word, known, left, right in sites(text, low, taken, include_taken=include_taken)
    ]


def sites(
    text: str,
    low: str,
    taken: Sequence[tuple[int, int]],
    *,
    include_taken: bool = False,
    table: Words | None = None,
) -> Iterator[tuple[int, int, str, _Word, tuple[str, ...], tuple[str, ...]]]:
    """(start, end, word, its context-free evidence, left LM context, right LM context) per suspect word.

    The contexts are the LM tokens of up to two words either side, with sentence boundaries:
    all that a suspect's ranking depends on besides the word (`ranked`).
    Skipped: function and number words, contractions, words with digits or of fewer than three letters,
    capitalised words inside a sentence (names) or starting a run of capitals,
    ALL-CAPS words, and quoted words when no wordlist match falls inside any
    quotation (the spinner left the quotations alone).
    `table`: `words_of(low)`, when the caller has it.
    """
    table = table or words_of(low)
    words, starts_at, ends_at = table.words, table.starts, table.ends
    n = len(words)
    opens = _sentence_starts(table)
    matched = _Spans(taken)
    quoted = [(m.start(), m.end()) for m in _QUOTED.finditer(text)]
    quoted_starts = [s for s, _ in quoted]
    skip_quoted = bool(quoted) and not any(matched.overlaps(s, e) for s, e in quoted)
    # Only the words that may be content words (a question of the word alone, answered once per word) are visited.
    for i in itertools.compress(range(n), map(_content_word, words)):
        start, end = starts_at[i], ends_at[i]
        if text[start].isupper():
            if end - start > 1 and text[start:end].isupper():
                continue  # an acronym or an ALL-CAPS line
            if not opens[i]:
                continue  # a name
            if i + 1 < n and text[starts_at[i + 1]].isupper() and not opens[i + 1]:
                continue  # the first word of a name ("Bath and Body Works")
        if not include_taken and matched.overlaps(start, end):
            continue
        if skip_quoted:
            q = bisect.bisect_right(quoted_starts, start) - 1
            if q >= 0 and quoted[q][1] > start:
                continue
        word = words[i]
        known = _prepare(word)
        if known is None:
            continue
        left, right = _context(words, opens, i)
        yield start, end, word, known, left, right


@lru_cache(maxsize=1 << 16)
def _content_word(word: str) -> bool:
    """Whether a (lowered) word may be a suspect wherever it stands: not a function or number word, a
    contraction, a word with digits or one of fewer than three letters."""
    if word in SKIPPED_WORDS or len(word) < 3 or _CONTRACTION.search(word) or not word.replace("'", "").isalpha():
        return False
    return not (word.endswith("'s") and word[:-2] in SKIPPED_WORDS)  # "it's", "that's"


def _sentence_starts(table: Words) -> list[bool]:
    """Whether each word starts a sentence (or a line): the first, and each after a sentence end.

    Those characters are never inside a word, so a word starts a sentence when the gap before it holds one.
    """
    gaps = table.gaps
    opens = [g != " " and _SENTENCE_END.search(g) is not None for g in itertools.islice(gaps, len(table.words))]
    if opens:
        opens[0] = True
    return opens


@lru_cache(maxsize=1 << 16)
def _lm_form(word: str) -> tuple[str, ...]:
    """A word's LM tokens (`lm.lm_tokens`)."""
    return tuple(language_model.lm_tokens(word))


def ranked(word: str, left: tuple[str, ...], right: tuple[str, ...]) -> tuple[Option, ...]:
    """A suspect word's candidates between these LM contexts (`sites`), best choice first.

    A pure function of its arguments (the thesaurus and the LM never change): the engine
    keeps what it makes of the answer per word and context (`candidates.thesaurus_spans`).
    """
    known = _prepare(word)
    if known is None:
        return ()
    order, gains = ranking(known, left, right)
    return tuple(
        Option(form, share, gains[c], free_gain, fixed + CHOICE_LM * gains[c])
        for c, (form, share, _, free_gain, fixed) in ((c, known.options[c]) for c in order)
    )


def ranking(known: _Word, left: tuple[str, ...], right: tuple[str, ...]) -> tuple[list[int], list[float]]:
    """The order of a word's candidates between these LM contexts (best choice first) and each one's LM gain.

    What `ranked` returns, as indices into `known.options`: the hot path (`candidates.thesaurus_spans`) keeps
    the rest per word.
    """
    base, *windows = language_model.load().windows(left, known.middles, right)
    gains = [window - base for window in windows]
    choices = [option[4] + CHOICE_LM * gain for option, gain in zip(known.options, gains, strict=True)]
    return sorted(range(len(choices)), key=lambda c: -choices[c]), gains  # stable: ties keep the prior's order


@dataclass(frozen=True, slots=True)
class _Word:
    """What a suspect word's evidence needs that does not depend on where it stands."""

    zipf: float
    lm_form: tuple[str, ...]
    # (form, prior share, LM tokens, context-free gain, the choice score without the LM gain)
    options: tuple[tuple[str, float, tuple[str, ...], float, float], ...]
    middles: tuple[tuple[str, ...], ...]  # the LM tokens of the word, then of each option's form


@lru_cache(maxsize=1 << 15)
def _prepare(word: str) -> _Word | None:
    """A word's context-free evidence; None when the thesaurus has no candidates for it.

    Cached across documents (a pure function of the word: the thesaurus and
    the LM are loaded once and never change), which pays off in batch runs.
    """
    found = thesaurus.scored(word, PRIOR_CANDIDATES)
    if not found:
        return None
    model = language_model.load()
    own = tuple(language_model.lm_tokens(word))
    own_free = model.window((), own)
    options = []
    for form, _, share in found:
        form_tokens = tuple(language_model.lm_tokens(form))
        free_gain = model.window((), form_tokens) - own_free
        fixed = CHOICE_PRIOR * math.log(share) + CHOICE_FREE * free_gain + CHOICE_EXTRA_WORD * form.count(" ")
        options.append((form, share, form_tokens, free_gain, fixed))
    return _Word(thesaurus.word_zipf(word), own, tuple(options), (own, *(o[2] for o in options)))


def _context(words: Sequence[str], opens: Sequence[bool], i: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The LM tokens of up to two words either side of word i, with sentence boundaries."""
    left: list[str] = []
    k = i
    while len(left) < 2:
        if opens[k]:
            left.insert(0, "<s>")
            break
        k -= 1
        left[:0] = _lm_form(words[k])
    right: list[str] = []
    k = i + 1
    n = len(words)
    while len(right) < 2:
        if k >= n or opens[k]:
            right.append("</s>")
            break
        right.extend(_lm_form(words[k]))
        k += 1
    return tuple(left[-2:]), tuple(right[:2])
