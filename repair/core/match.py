"""Exact phrase matching over tokens, inflected variants, and rapidfuzz near matches."""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import chain, compress, count, islice
from operator import or_
from pathlib import Path
from typing import NamedTuple

from repair.core.inflections import inflect, known
from repair.core.model import Entry, Safety
from repair.core.text import AUXILIARIES, Words, is_joiner, phrase_key, words_of
from repair.core.vocabulary import Vocabulary

NOUN_TAGS = ("NNS",)
VERB_TAGS = ("VBZ", "VBD", "VBG", "VBN")
NEAR_FLOOR = 90.0  # rapidfuzz ratio (0-100) a near match must reach
NEAR_MIN_LENGTH = 6  # shorter keys are too easy to hit by accident
BLOCK = 1 << 20  # characters scanned per block


@dataclass(frozen=True, slots=True)
class Variant:
    """One surface form an entry matches, with the originals in the same form."""

    tokens: tuple[str, ...]
    originals: tuple[str, ...]
    entry: Entry
    form: str  # "base" or a Penn tag such as "NNS", "VBD"
    # Worked out once here rather than at each of the variant's matches:
    spun_norm: str = field(init=False)  # the tokens, single-spaced
    rule: str = field(init=False)  # the entry's rule id
    conditional: bool = field(init=False)  # the entry has conditions
    safety: Safety = field(init=False)  # the entry's
    ambiguous: bool = field(init=False)  # the entry's: its spun side is ordinary English
    reason: str = field(init=False)  # the entry's own reason, if any
    certain: bool = field(init=False)  # an exact match is a certain spin: auto and not ordinary English

    def __post_init__(self) -> None:
        entry = self.entry
        object.__setattr__(self, "spun_norm", " ".join(self.tokens))
        object.__setattr__(self, "rule", entry.rule_id)
        object.__setattr__(self, "conditional", bool(entry.conditions))
        object.__setattr__(self, "safety", entry.safety)
        object.__setattr__(self, "ambiguous", entry.ambiguous)
        object.__setattr__(self, "reason", entry.reason)
        object.__setattr__(self, "certain", entry.safety is Safety.AUTO and not entry.ambiguous)


class Match(NamedTuple):  # not a dataclass: one is made per match, and a NamedTuple is ~4x cheaper to build
    """A span of the text that entries match and whose conditions hold: what the scorer scores.

    Every variant of the surface form whose conditions hold is kept (several lists, or
    one learned list with a line per original, may propose different originals), in
    precedence order: conditional entries first, an entry's own base form before
    another entry's inflection.
    """

    start: int  # character offsets of the matched span
    end: int
    variants: tuple[Variant, ...]  # the variants whose conditions hold here, in precedence order
    similarity: float = 100.0  # < 100 for near matches
    left: tuple[str, ...] = ()  # up to CONTEXT_WORDS words before the match (normalised)
    right: tuple[str, ...] = ()  # and after it
    vetoes: tuple[bool, ...] = ()  # per variant: a veto of its `evidence` entry fired (Holds.VETOED)

    @property
    def variant(self) -> Variant:
        """The first variant: the one whose rule id the finding carries."""
        return self.variants[0]

    @property
    def vetoed(self) -> bool:
        return bool(self.vetoes) and self.vetoes[0]


class Holds(enum.Enum):
    """Whether an entry's conditions hold at a match: what an `Accept` callback answers."""

    NO = "no"  # they do not: the match is ruled out
    YES = "yes"
    VETOED = "vetoed"  # they hold, but a veto of an `evidence` entry fired: the scorer asks for strong evidence


# Modals and auxiliaries do not inflect like content verbs ("can" -> "cans" is a tin).
_NO_INFLECT = AUXILIARIES | {"am", "done", "having", "ought"}


def _heads(entry: Entry) -> list[tuple[int, tuple[str, ...]]]:
    """Which word to inflect (index into each side) and with which tags."""
    spun = entry.spun.split()
    orig = entry.originals[0].split() if entry.originals else []
    if not orig or not spun or {spun[0], spun[-1], orig[0].lower(), orig[-1].lower()} & _NO_INFLECT:
        return []
    wanted = entry.pos
    choices: list[tuple[int, tuple[str, ...]]] = []

    def qualifies(index: int, upos: str) -> bool:
        s, o = spun[index], orig[index]
        if not (s.isalpha() and o.isalpha()):
            return False
        if not known(o.lower(), upos):
            return False
        return known(s, upos) or not (known(s, "NOUN") or known(s, "VERB"))

    if wanted:
        if "verb" in wanted:
            choices.append((0, VERB_TAGS))
        if "noun" in wanted:
            choices.append((-1, NOUN_TAGS))
        return choices
    verb_ok, noun_ok = qualifies(0, "VERB"), qualifies(-1, "NOUN")
    if len(spun) > 1 and verb_ok:
        return [(0, VERB_TAGS)]
    if noun_ok:
        return [(-1, NOUN_TAGS)]
    if verb_ok:
        return [(0, VERB_TAGS)]
    return []


def _replace_word(phrase: str, index: int, word: str) -> str:
    words = phrase.split(" ")
    words[index] = word
    return " ".join(words)


def variants(entry: Entry) -> list[Variant]:
    """The base form and, unless switched off, inflected forms of both sides."""
    base = Variant(tuple(entry.spun.split()), entry.originals, entry, "base")
    out = [base]
    if not entry.inflect or not entry.originals:
        return out
    seen = {base.tokens}
    spun_words = entry.spun.split()
    for index, tags in _heads(entry):
        for tag in tags:
            spun_form = inflect(spun_words[index], tag)
            if not spun_form:
                continue
            originals = []
            for original in entry.originals:
                words = original.split(" ")
                head = words[index]
                form = inflect(head.lower(), tag)
                if not form:
                    break
                if head[:1].isupper():
                    form = form[:1].upper() + form[1:]
                originals.append(_replace_word(original, index, form))
            else:
                tokens = phrase_key(_replace_word(entry.spun, index, spun_form))
                if tokens not in seen:
                    seen.add(tokens)
                    out.append(Variant(tokens, tuple(originals), entry, tag))
    return out


Form = tuple[tuple[str, ...], tuple[str, ...], str]  # a variant's tokens, originals and form


def variant_forms(entries: Sequence[Entry]) -> list[tuple[Form, ...]]:
    """Each entry's `variants` as plain values, worked out once and then read from the user's cache.

    Inflecting ~4,000 entries (and reading the inflection table to do it) is a sixth of a
    small check's start-up. The cache key holds all that `variants` reads: the entries'
    sides, `inflect` and `pos`, the inflection table, lemminflect (which answers for words
    outside the table) and the code that inflects (repair.core.cache: it cannot go stale).
    """

    def make() -> list[tuple[Form, ...]]:
        return [tuple((v.tokens, v.originals, v.form) for v in variants(e)) for e in entries]

    import marshal

    from repair.core import inflections, text
    from repair.core.cache import cached, content_key

    sides = marshal.dumps([(e.spun, e.originals, e.inflect, e.pos) for e in entries])
    try:
        code = [Path(__file__), Path(inflections.__file__), Path(text.__file__), inflections.table_path()]
        key = content_key(["variants-1", sides, *code, inflections.lemminflect_marker()])
    except OSError:  # the code or the table is not readable as files (a zip): work them out as before
        return make()
    return cached("variants", key, make)


def _precedence(variant: Variant) -> tuple[bool, bool]:
    return (not variant.entry.conditions, variant.form != "base")


# accept(entry, start, end, left words, right words): do the entry's conditions hold here?
Accept = Callable[[Entry, int, int, Sequence[str], Sequence[str]], Holds]
CONTEXT_WORDS = 8  # neighbouring words handed on with each match (conditions, language model)


class _Key(NamedTuple):
    """One surface form in the index, in the shape the scan loop reads."""

    length: int  # words
    rest: tuple[str, ...]  # the words after the first two (the index holds those)
    variants: tuple[Variant, ...]  # every variant with this surface form, in precedence order
    conditional: bool  # some variant has conditions: they must be checked at each match
    no_vetoes: tuple[bool, ...]  # a False per variant: the vetoes of a match where nothing is conditional

    @classmethod
    def of(cls, tokens: tuple[str, ...], variants: tuple[Variant, ...]) -> _Key:
        conditional = any(v.conditional for v in variants)
        return cls(len(tokens), tokens[2:], variants, conditional, (False,) * len(variants))


class _Pair(NamedTuple):
    """The keys that start with one pair of words, in the shape the scan loop reads."""

    keys: tuple[_Key, ...]  # the two-word key, if any, then the first word's one-word key
    thirds: dict[str, tuple[_Key, ...]]  # third word -> the longer keys with it, longest first, then `keys`

    @classmethod
    def of(cls, keys: Sequence[_Key], single: tuple[_Key, ...]) -> _Pair:
        two = (*(key for key in keys if key.length == 2), *single)
        thirds: dict[str, list[_Key]] = {}
        for key in sorted(keys, key=lambda key: -key.length):
            if key.length > 2:
                thirds.setdefault(key.rest[0], []).append(key)
        return cls(two, {w3: (*longer, *two) for w3, longer in thirds.items()})


class Matcher:
    """An immutable index of every variant of every entry, keyed by first token."""

    def __init__(self, entries: Sequence[Entry], *, near: bool = True) -> None:
        by_key: dict[tuple[str, ...], list[Variant]] = {}
        for entry, forms in zip(entries, variant_forms(entries), strict=True):
            for tokens, originals, form in forms:
                by_key.setdefault(tokens, []).append(Variant(tokens, originals, entry, form))
        self.variants: tuple[Variant, ...] = tuple(v for vs in by_key.values() for v in vs)
        # For one surface form: conditional entries before unconditional ones (the
        # specific rule decides first), an entry's own base form before another
        # entry's inflection.
        rows = {k: _Key.of(k, tuple(sorted(v, key=_precedence))) for k, v in by_key.items()}
        # A trie three words deep, so a common first word ("the", "in") or pair ("at the")
        # costs one more lookup, not a try of every phrase it starts. Each level holds the
        # keys to try in turn where a match may start, longest first so the longest match
        # wins, then the shorter keys it falls back to: single[w] the one-word key w;
        # longer[w1][w2] a _Pair: the two-word key "w1 w2" then single[w1], and by third
        # word w3 the keys of three words or more that start "w1 w2 w3", then those.
        self._single = {k[0]: (key,) for k, key in rows.items() if len(k) == 1}
        pairs: dict[str, dict[str, list[_Key]]] = {}
        for k, key in rows.items():
            if len(k) > 1:
                pairs.setdefault(k[0], {}).setdefault(k[1], []).append(key)
        self._longer = {
            w1: {w2: _Pair.of(keys, self._single.get(w1, ())) for w2, keys in seconds.items()}
            for w1, seconds in pairs.items()
        }
        self._firsts = frozenset(self._single) | frozenset(self._longer)
        self._pairs = frozenset((w1, w2) for w1, seconds in self._longer.items() for w2 in seconds)
        self._near_keys = sorted(k for k in self._single if len(k) >= NEAR_MIN_LENGTH)
        self.near = near
        self._near_memo: dict[str, tuple[str, float] | None] = {}  # caches, not state
        self._gap_memo: dict[str, bool] = {}

    def find(
        self,
        low: str,
        vocabulary: Vocabulary | frozenset[str] = frozenset(),
        accept: Accept | None = None,
        table: Words | None = None,
    ) -> tuple[list[Match], int]:
        """Non-overlapping matches in a `lowered` text, left to right, longest first.

        Returns the matches and the number of words. This is the hot path, so the
        per-word work stays in C: one regex split per block, offsets by
        `accumulate`, and set lookups through `map` and `compress`; Python only
        looks at words that start an entry (or, with `vocabulary`, unknown words
        that may be near matches). Blocks end at a line break after BLOCK
        characters, so memory stays flat on large files. `table`: `words_of(low)`,
        when the caller has it (used when the text is one block).
        """
        matches: list[Match] = []
        words = 0
        pos = 0
        while pos < len(low):
            cut = low.find("\n", pos + BLOCK)
            cut = len(low) if cut == -1 else cut + 1
            block = table if table is not None and pos == 0 and cut == len(low) else words_of(low[pos:cut])
            words += self._find_block(block, pos, vocabulary, accept, matches)
            pos = cut
        return matches, words

    def _find_block(
        self,
        table: Words,
        base: int,
        vocabulary: Vocabulary | frozenset[str],
        accept: Accept | None,
        matches: list[Match],
    ) -> int:
        words, starts, ends, gaps = table.words, table.starts, table.ends, table.gaps
        # The words where a match may start, so the loop below visits only real candidates:
        # a one-word key, or the first two words of a longer key.
        one_word = map(self._single.__contains__, words)
        # zip, not pairwise: zip reuses its tuple when the lookup has let go of it
        pairs = zip(words, islice(words, 1, None), strict=False)
        two_words = chain(map(self._pairs.__contains__, pairs), (False,))
        hits = list(compress(count(), map(or_, one_word, two_words)))
        near: dict[str, tuple[str, float]] = {}  # unknown word -> the key it nearly matches, similarity
        if self.near and vocabulary:
            # Resolve near matches per distinct unknown word first: usually none is close to
            # an entry, and then no position needs looking up at all.
            distinct = set(words) - self._firsts
            unknown = vocabulary.missing(distinct) if isinstance(vocabulary, Vocabulary) else distinct - vocabulary
            near = {w: hit for w in unknown if (hit := self._near_hit(w)) is not None}
            if near:
                hits = sorted(hits + list(compress(count(), map(near.__contains__, words))))
        single, longer, joiner = self._single, self._longer, self._joiner
        n = len(words)
        resume = 0  # word index after the last match
        for k in hits:
            if k < resume:
                continue
            word = words[k]
            similarity = 100.0
            if word in near:
                nearest, similarity = near[word]
                keys = single[nearest]
            else:
                keys = single.get(word, ())
                seconds = longer.get(word)
                if seconds is not None and k + 1 < n and joiner(gaps[k + 1]):
                    pair = seconds.get(words[k + 1])
                    if pair is not None:
                        keys, thirds = pair
                        if thirds and k + 2 < n and joiner(gaps[k + 2]):
                            keys = thirds.get(words[k + 2], keys)
            left = None  # the words before position k, worked out once a key fits
            for length, rest, vs, conditional, no_vetoes in keys:
                # A key of three words or more: the rest of its words follow, each after a joiner.
                if rest and (
                    tuple(words[k + 2 : k + length]) != rest or not all(map(joiner, gaps[k + 2 : k + length]))
                ):
                    continue
                last = k + length - 1
                start, end = base + starts[k], base + ends[last]
                if left is None:
                    left = tuple(words[max(0, k - CONTEXT_WORDS) : k])
                right = tuple(words[last + 1 : last + 1 + CONTEXT_WORDS])
                held, vetoes = vs, no_vetoes
                if accept is not None and conditional:
                    held, vetoes = self._holding(vs, accept, start, end, left, right)
                    if not held:
                        continue
                matches.append(Match(start, end, held, similarity, left, right, vetoes))
                resume = last + 1
                break
        return n

    @staticmethod
    def _holding(
        vs: tuple[Variant, ...], accept: Accept, start: int, end: int, left: Sequence[str], right: Sequence[str]
    ) -> tuple[tuple[Variant, ...], tuple[bool, ...]]:
        """The variants whose conditions hold at start..end, and whether each one's veto fired."""
        held: list[Variant] = []
        vetoes: list[bool] = []
        for variant in vs:
            vetoed = False
            if variant.conditional:
                holds = accept(variant.entry, start, end, left, right)
                if holds is Holds.NO:
                    continue
                vetoed = holds is Holds.VETOED
            held.append(variant)
            vetoes.append(vetoed)
        return tuple(held), tuple(vetoes)

    def _joiner(self, gap: str) -> bool:
        memo = self._gap_memo
        ok = memo.get(gap)
        if ok is None:
            ok = memo[gap] = is_joiner(gap)
        return ok

    def _near_hit(self, word: str) -> tuple[str, float] | None:
        """The entry key `word` is a small variant of, with its similarity, if any."""
        if len(word) < NEAR_MIN_LENGTH or not word.isalpha():
            return None
        memo = self._near_memo
        if word in memo:
            return memo[word]
        from rapidfuzz import fuzz, process  # imported on the first unknown word: it is start-up time otherwise

        result = process.extractOne(word, self._near_keys, scorer=fuzz.ratio, score_cutoff=NEAR_FLOOR)
        hit = memo[word] = None if result is None else (result[0], float(result[1]))
        return hit
