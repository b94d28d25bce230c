"""The candidate originals of a document's suspect spans, and what is known about each: the scorer's input.

A span is a stretch of the text that a wordlist entry matched (or, once the document
looks spun, a content word the thesaurus has candidates for). Each span has one or
more options: a candidate original and its evidence, as a row of numbers named by
FEATURES. The same rows are what `repair.tools.train` learns from, so what the model
was fitted on and what it is applied to are computed by one piece of code.

Evidence of an option:
* what the lists say: listed by a curated list (`listed`), as a certain spin
  (`certain`: safe and not ordinary English) or only on evidence (`evidence`), with
  conditions that held (`conditional`), as a near match (`near`), with one of its
  vetoes fired (`vetoed`), as a choice (`choose`), and where among the entry's
  originals (`rank`);
* what learned lists say (`count=`, `kept=`, `stories=` of `repair learn`): how
  often this swap was seen (`log_count`), in how many stories, how often the spun
  phrase was seen left alone, and the share of its sightings that were this swap
  (`rate`), and the share of them mined from pages without originals (`mined`:
  `repair.tools.mine`, less sure than an aligned pair);
* what the thesaurus says of a word no list has (`thesaurus`, its prior `share`
  and `thesaurus_rank`);
* fit: how much the trigram language model prefers the original between the same
  neighbours (`lm`, nats), how much more common the original is (`zipf_gain`), how
  common the spun words are (`spun_zipf`), and the lengths of both sides;
* rivalry: how the option compares with the span's other options (`relative_columns`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from repair.core.frequencies import zipf
from repair.core.match import Match, Variant
from repair.core.model import Safety
from repair.core.text import Words, phrase_key
from repair.core.wordlists import USER_LIST_NAME

if TYPE_CHECKING:
    from repair.core.discover import _Word

LM_CLIP = 10.0  # nats: the LM's preference counts at most this much either way
ZIPF_CLIP = 4.0
THESAURUS_OPTIONS = 6  # candidates per word taken from the thesaurus

# The model's inputs per option, in this order (a model file names them; `repair.core.score` checks).
# How an option compares with its span's other options (`relative_columns`): the options of a span compete.
RIVALRY = ("lm_margin", "alternatives", "lm_best", "zipf_margin")
FEATURES = (
    "listed",
    "certain",
    "evidence",
    "conditional",
    "near",
    "vetoed",
    "choose",
    "rank",
    "learned",
    "log_count",
    "stories",
    "rate",
    "log_rate",
    "log_kept",
    "thesaurus",
    "log_share",
    "thesaurus_rank",
    "zipf_gain",
    "spun_zipf",
    "spun_words",
    "original_words",
    "lm",
    "lm_listed",
    "lm_learned",
    "lm_thesaurus",
    "mined",
    *RIVALRY,
)
_INDEX = {name: i for i, name in enumerate(FEATURES)}
LISTED, CERTAIN, LEARNED, LOG_RATE, THESAURUS_ONLY, LM = (
    _INDEX[n] for n in ("listed", "certain", "learned", "log_rate", "thesaurus", "lm")
)
LM_LISTED, LM_LEARNED, LM_THESAURUS = (_INDEX[n] for n in ("lm_listed", "lm_learned", "lm_thesaurus"))
_EVIDENCE, _CONDITIONAL, _NEAR, _VETOED, _CHOOSE, _RANK = (
    _INDEX[n] for n in ("evidence", "conditional", "near", "vetoed", "choose", "rank")
)
_LOG_COUNT, _STORIES, _RATE, _LOG_KEPT, _MINED = (
    _INDEX[n] for n in ("log_count", "stories", "rate", "log_kept", "mined")
)
_ZIPF_GAIN, _SPUN_ZIPF, _SPUN_WORDS, _ORIGINAL_WORDS = (
    _INDEX[n] for n in ("zipf_gain", "spun_zipf", "spun_words", "original_words")
)
_LM_MARGIN, _ALTERNATIVES, _LM_BEST, _ZIPF_MARGIN = (_INDEX[n] for n in RIVALRY)


@dataclass(frozen=True, slots=True)
class Option:
    """One candidate original of a span: its words, how the list writes it, the rule, and its evidence."""

    original: str  # normalised words, single-spaced
    wording: str  # as the list (or thesaurus) writes it: the suggestion before case is carried over
    rule: str  # the rule id a finding with this option carries
    features: tuple[float, ...]  # FEATURES without the LM: static per (entry set, original)
    safety: Safety  # the least safe class any list gave this swap (FLAG entries give no option)
    reason: str = ""  # an entry's own reason, shown in the finding's
    preferred: bool = False  # the reviewer's own list proposes it: it is suggested first, whatever its confidence
    seen: bool = False  # a learned line's example has this swap in these very words (`seen_here`)


@dataclass(frozen=True, slots=True)
class Span:
    """A suspect stretch of the text and its options (best-listed first)."""

    start: int
    end: int
    spun: str  # normalised words, single-spaced
    options: tuple[Option, ...]
    left: tuple[str, ...] = ()  # neighbouring words (normalised), for the language model
    right: tuple[str, ...] = ()
    flag: Variant | None = None  # a `flag` entry matched here: shown, never applied
    thesaurus: bool = False  # found by the thesaurus, not by a list
    lm: tuple[float | None, ...] = ()  # per option, when worked out by the thesaurus pass


def _learned(variant: Variant) -> bool:
    return variant.entry.count > 0


@lru_cache(maxsize=1 << 16)
def _static(
    spun: str,
    original: str,
    listed: tuple[tuple[bool, bool, bool, bool, bool, int], ...],
    learned: tuple[int, int, int, int],
    swaps_of_spun: int,
    near: bool,
) -> tuple[float, ...]:
    """An option's evidence that does not depend on where it stands, LM terms left at 0.

    `listed`: per curated variant (certain, evidence, conditional, vetoed, choose, rank);
    `learned`: (count, kept, stories, mined) summed over learned lines for this original;
    `swaps_of_spun`: every learned swap count of the spun phrase, to any original.
    """
    count, kept, stories, mined = learned
    rate = (count + 0.1) / (swaps_of_spun + kept + 1.0) if count else 0.0
    values = [0.0] * len(FEATURES)
    if listed:
        values[LISTED] = 1.0
        values[CERTAIN] = certain = float(any(v[0] for v in listed))
        values[_EVIDENCE] = float(not certain)
        values[_CONDITIONAL] = float(any(v[2] for v in listed))
        values[_VETOED] = float(all(v[3] for v in listed))
        values[_CHOOSE] = float(all(v[4] for v in listed))
        values[_RANK] = float(min(v[5] for v in listed))
    else:
        values[_RANK] = 3.0
    values[_NEAR] = float(near)
    if count:
        values[LEARNED] = 1.0
        values[_LOG_COUNT] = math.log1p(count)
        values[_STORIES] = float(stories)
        values[_RATE] = rate
        values[LOG_RATE] = math.log(rate)
        values[_LOG_KEPT] = math.log1p(kept)
        values[_MINED] = min(mined, count) / count
    else:
        values[LOG_RATE] = math.log(0.1)
    values[_ZIPF_GAIN] = max(-ZIPF_CLIP, min(ZIPF_CLIP, zipf(original) - zipf(spun)))
    values[_SPUN_ZIPF] = zipf(spun)
    values[_SPUN_WORDS] = float(spun.count(" ") + 1)
    values[_ORIGINAL_WORDS] = float(original.count(" ") + 1)
    return tuple(values)


@lru_cache(maxsize=1 << 14)
def thesaurus_static(spun: str, original: str, share: float, rank: int) -> tuple[float, ...]:
    """The static evidence of a thesaurus candidate for a word no list has."""
    values = list(_static(spun, original, (), (0, 0, 0, 0), 0, False))
    values[THESAURUS_ONLY] = 1.0
    values[_INDEX["log_share"]] = math.log(share + 1e-3)
    values[_INDEX["thesaurus_rank"]] = float(rank)
    return tuple(values)


def with_lm(features: tuple[float, ...], lm: float | None) -> list[float]:
    """The option's row once the language model's preference (nats, or None: not consulted) is known.

    Its rivals not counted: `relative_columns` fills those in for a whole document's rows.
    """
    row = list(features)
    value = 0.0 if lm is None else max(-LM_CLIP, min(LM_CLIP, lm))
    row[LM] = value
    row[LM_LISTED] = value * row[LISTED]
    row[LM_LEARNED] = value * row[LEARNED]
    row[LM_THESAURUS] = value * row[THESAURUS_ONLY]
    return row


def relative_columns(rows: np.ndarray, counts: np.ndarray) -> None:
    """Fill in, in place, how each option compares with the other options of its span.

    `rows` are FEATURES rows with the LM's terms set, span by span; `counts[k]` (at least 1) of them are span
    k's. `lm_margin` is the nats by which the LM prefers the option to the best other option (the option's own
    preference where it has no rival), `alternatives` whether it has rivals, `lm_best` whether no rival is
    preferred to it, `zipf_margin` how much more common it is than the most common rival. A spinner's word
    has one original: where the list offers several, the one the context wants stands out from the rest.
    """
    if not len(rows):
        return
    owners = np.repeat(np.arange(len(counts)), counts)
    multi = (counts > 1)[owners]
    firsts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    lm = rows[:, LM]
    best, rival = _best_and_rival(lm, owners, firsts)
    rows[:, _LM_MARGIN] = np.where(multi, lm - rival, lm)
    rows[:, _ALTERNATIVES] = multi
    rows[:, _LM_BEST] = lm == best
    zipf_gain = rows[:, _ZIPF_GAIN]
    rows[:, _ZIPF_MARGIN] = np.where(multi, zipf_gain - _best_and_rival(zipf_gain, owners, firsts)[1], 0.0)


def _best_and_rival(values: np.ndarray, owners: np.ndarray, firsts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per option, the best value of its span and the best value among the span's other options (-inf: none)."""
    best = np.maximum.reduceat(values, firsts)[owners]
    top = values == best
    rest = np.maximum.reduceat(np.where(top, -np.inf, values), firsts)[owners]
    ties = np.add.reduceat(top.astype(np.intp), firsts)[owners]
    return best, np.where(top & (ties == 1), rest, best)


SEEN_WORDS = 2  # neighbouring words compared on each side of a learned line's example
SEEN_AGREE = 3  # of the (up to) four compared, this many must agree


@lru_cache(maxsize=1 << 14)
def _example_context(example: str, spun: str) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """The words either side of the spun phrase in a learned line's example, or None if it is not there."""
    words, phrase = phrase_key(example), phrase_key(spun)
    n = len(phrase)
    for k in range(len(words) - n + 1):
        if words[k : k + n] == phrase:
            return words[max(0, k - SEEN_WORDS) : k], words[k + n : k + n + SEEN_WORDS]
    return None


def seen_here(variants: Sequence[Variant], left: Sequence[str], right: Sequence[str]) -> bool:
    """Whether a learned line saw this swap in these very words: its example's neighbours are the text's.

    A spinner that rewrites one article for several sites makes the same swap in the same
    sentence on each; a list learned from one copy then recognises its own sentences in the
    others (and in the copy it was learned from).
    """
    for variant in variants:
        example = variant.entry.example
        if not example:
            continue
        context = _example_context(example, variant.spun_norm) or _example_context(example, variant.entry.spun)
        if context is None:
            continue
        ex_left, ex_right = context
        before = zip(reversed(ex_left), reversed(left[-SEEN_WORDS:]), strict=False)  # nearest words first
        pairs = [*before, *zip(ex_right, right[:SEEN_WORDS], strict=False)]
        if len(pairs) >= SEEN_AGREE and sum(a == b for a, b in pairs) >= SEEN_AGREE:
            return True
    return False


# What `span_of` works out once per surface form and state of its vetoes (see `span_of`): the options,
# sorted, each with the learned variants whose examples may make it `seen` at a match; the `flag` variant.
_Proposals = tuple[tuple[tuple[Option, tuple[Variant, ...]], ...], Variant | None]


ProposalMemo = dict[tuple[object, ...], _Proposals]


def _listed_first(option: Option) -> tuple[float, float, float]:
    return -option.features[LISTED], option.features[_INDEX["rank"]], -option.features[_INDEX["log_count"]]


def span_of(match: Match, memo: ProposalMemo | None = None) -> Span:
    """A matched span and its options: one per distinct original, its evidence from every list proposing it.

    `memo` (the engine's, for its own matcher's variants, which it keeps alive) holds what depends only on
    which variants matched, which vetoes fired and whether it was a near match: everything but `seen`.
    """
    near = match.similarity < 100.0
    if memo is None:
        proposals = _proposals(match.variants, match.vetoes, near)
    else:
        key = (*map(id, match.variants), match.vetoes, near)
        proposals = memo.get(key)
        if proposals is None:
            proposals = memo[key] = _proposals(match.variants, match.vetoes, near)
    pairs, flag = proposals
    options = tuple(
        option if not examples or not seen_here(examples, match.left, match.right) else replace(option, seen=True)
        for option, examples in pairs
    )
    return Span(match.start, match.end, match.variants[0].spun_norm, options, match.left, match.right, flag=flag)


def _proposals(variants: tuple[Variant, ...], vetoes: tuple[bool, ...], near: bool) -> _Proposals:
    listed: dict[str, list[tuple[Variant, int, bool]]] = {}
    learned: dict[str, list[Variant]] = {}
    wording: dict[str, tuple[str, str]] = {}  # original -> (wording, rule) of its first proposer
    flag: Variant | None = None
    for variant, vetoed in zip(variants, vetoes or (False,) * len(variants), strict=True):
        if variant.safety is Safety.FLAG and not variant.originals:
            flag = flag or variant
            continue
        for rank, wording_ in enumerate(variant.originals):
            original = " ".join(phrase_key(wording_))
            if not original or original == variant.spun_norm:
                continue
            wording.setdefault(original, (wording_, variant.rule))
            if _learned(variant):
                learned.setdefault(original, []).append(variant)
            else:
                listed.setdefault(original, []).append((variant, rank, vetoed))
    swaps_of_spun = sum(v.entry.count for vs in learned.values() for v in vs)
    pairs = []
    for original, (wording_, rule) in wording.items():
        lv = listed.get(original, ())
        facts = tuple(
            (v.certain, v.ambiguous, v.conditional, vetoed, v.safety is Safety.CHOOSE, rank) for v, rank, vetoed in lv
        )
        ls = learned.get(original, ())
        counts = (
            sum(v.entry.count for v in ls),
            max((v.entry.kept for v in ls), default=0),
            max((v.entry.stories for v in ls), default=0),
            sum(v.entry.mined for v in ls),
        )
        safeties = [v.safety for v, _, _ in lv] + [v.safety for v in ls]
        safety = max(safeties, key=lambda s: s.rank) if safeties else Safety.AUTO
        reason = next((v.reason for v, _, _ in lv if v.reason), "")
        preferred = any(v.entry.source == USER_LIST_NAME for v, _, _ in lv)
        option = Option(
            original,
            wording_,
            rule,
            _static(variants[0].spun_norm, original, facts, counts, swaps_of_spun, near),
            safety,
            reason,
            preferred,
        )
        # Whether it is `seen` is a question of the words around each match (`seen_here`), asked only
        # where a learned line has an example.
        pairs.append((option, tuple(ls) if any(v.entry.example for v in ls) else ()))
    # Listed options first (the entry's own order), then learned ones by count.
    pairs.sort(key=lambda pair: _listed_first(pair[0]))
    return tuple(pairs), flag


# A document's thesaurus answers: (word, left LM context, right LM context) -> `_thesaurus_options`. The engine keeps
# one per document and hands it to the settling pass, which asks again about every word the fixes left alone.
ThesaurusMemo = dict[tuple[str, tuple[str, ...], tuple[str, ...]], tuple[tuple[Option, ...], tuple[float, ...]]]


def thesaurus_spans(
    text: str,
    low: str,
    taken: Sequence[tuple[int, int]],
    *,
    memo: ThesaurusMemo | None = None,
    table: Words | None = None,
) -> list[Span]:
    """Content words outside `taken` that the thesaurus has candidates for, each with its best few as options.

    `memo`: answers already worked out for this document (filled here); `table`: `words_of(low)`, when the caller
    has it.
    """
    from repair.core.discover import sites  # the thesaurus loads on first use

    if memo is None:
        memo = {}
    spans = []
    for start, end, word, _, left, right in sites(text, low, taken, table=table):
        key = (word, left, right)
        found = memo.get(key)
        if found is None:
            found = memo[key] = _thesaurus_options(word, left, right)
        options, lms = found
        if options:
            spans.append(Span(start, end, word, options, thesaurus=True, lm=lms))
    return spans


# Across documents too: a word recurs between the same neighbours (a licence quoted in many files). Each entry
# holds up to six options (~1.5 KB), so a larger cache costs memory for little more speed.
@lru_cache(maxsize=1 << 13)
def _thesaurus_options(
    word: str, left: tuple[str, ...], right: tuple[str, ...]
) -> tuple[tuple[Option, ...], tuple[float, ...]]:
    """A suspect word's options between these LM contexts and the LM's preference for each.

    `discover.ranked`'s choice, with what does not depend on the context (each candidate's Option at each
    rank) worked out once per word (`_WordOptions`).
    """
    from repair.core.discover import ranking

    table = _word_options(word)
    order, gains = ranking(table.known, left, right)
    options = []
    lms = []
    for rank, c in enumerate(order[:THESAURUS_OPTIONS]):
        if table.originals[c] is not None:
            options.append(table.option(c, rank))
            lms.append(gains[c])
    return tuple(options), tuple(lms)


class _WordOptions:
    """What a thesaurus word's options are made of that does not depend on where it stands (one per word)."""

    __slots__ = ("_made", "forms", "known", "originals", "rule", "shares", "word")

    def __init__(self, word: str, known: _Word) -> None:
        self.word = word
        self.known = known
        self.rule = f"thesaurus:{word}"
        self.forms = [form for form, *_ in known.options]
        self.shares = [share for _, share, *_ in known.options]
        originals = (" ".join(phrase_key(form)) for form in self.forms)
        self.originals = [o if o and o != word else None for o in originals]  # None: never an option
        self._made: dict[tuple[int, int], Option] = {}

    def option(self, c: int, rank: int) -> Option:
        """Candidate c's Option at this rank (its evidence holds the rank)."""
        made = self._made.get((c, rank))
        if made is None:
            original = self.originals[c]
            assert original is not None
            static = thesaurus_static(self.word, original, self.shares[c], rank)
            made = self._made[(c, rank)] = Option(original, self.forms[c], self.rule, static, Safety.AUTO)
        return made


@lru_cache(maxsize=1 << 15)
def _word_options(word: str) -> _WordOptions:
    from repair.core.discover import _prepare

    known = _prepare(word)
    assert known is not None  # a suspect word (`discover.sites`)
    return _WordOptions(word, known)
