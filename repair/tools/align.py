"""Align a spun text with its original and recover the spinner's swaps.

Two texts that share an article rarely line up end to end: one side runs a
paragraph further, captions and bylines differ, a mirror may be another
revision. So the texts are first split into sentences and the sentences are
aligned monotonically (one to one, one to two, two to one), keeping only pairs
whose words agree well; then the words of each aligned pair are diffed. A short
`replace` between well-matched words is a swap (a gold edit); longer or poorly
anchored differences are set aside as *divergent* and never judged.

Everything here is a pure function of the two strings.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from rapidfuzz.distance import LCSseq

from repair.core.text import FUNCTION_WORDS, Token, phrase_key, tokenize

MAX_SWAP_TOKENS = 4  # longer differences are rewrites or revisions, not thesaurus swaps
MAX_GAP_TOKENS = 2  # spinners drop or add a word or two ("pores and skin"); more is a revision
MIN_SENTENCE_SIMILARITY = 0.35  # heavy spinning leaves about half the words of a short sentence
CONTEXT_TOKENS = 4  # words either side of a swap that must mostly agree
MIN_CONTEXT_AGREEMENT = 0.34  # dense spinning leaves a third of the nearby words intact
MERGES = ((1, 1), (1, 2), (2, 1))  # sentence groupings tried (spun, original)
BAND_SENTENCES = 60  # how far alignment may stray from the diagonal, beyond the difference in sentence counts

# A sentence ends at a line break, or after . ! ? (and any closing quote) before a capital or digit.
_BOUNDARY = re.compile(r"\s*\n\s*|(?<=[.!?…])[\"'”’)\]]*[ \t\u00a0]+(?=[\"'“‘(\[]?[A-Z0-9])")
# Differences of style only: full stops, apostrophes, quotes and spacing ("U.S." / "US").
_STYLE_ONLY = re.compile(r"[\s.'’‘\"“”]+")
# Short function words make poor anchors when a deletion is widened to a neighbour.


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int  # character offsets
    end: int
    first: int  # token indices [first, last)
    last: int


@dataclass(frozen=True, slots=True)
class Region:
    """Aligned stretches of the two texts (one or two sentences on each side)."""

    spun_start: int
    spun_end: int
    orig_start: int
    orig_end: int
    similarity: float  # 2 * common words / all words, in [0, 1]


@dataclass(frozen=True, slots=True)
class GoldEdit:
    """A span of the spun text and the original wording it replaced."""

    start: int  # character offsets into the spun text
    end: int
    spun: str  # spun[start:end]
    original: str  # the original's text for the same words
    orig_start: int  # character offsets into the original
    orig_end: int

    @property
    def spun_key(self) -> tuple[str, ...]:
        return phrase_key(self.spun)

    @property
    def original_key(self) -> tuple[str, ...]:
        return phrase_key(self.original)


@dataclass(frozen=True, slots=True)
class Swap:
    """A gold edit with the words around it, for learning wordlist entries."""

    edit: GoldEdit
    before: tuple[str, ...]  # normalised spun tokens just before the edit (nearest last)
    after: tuple[str, ...]  # normalised spun tokens just after it
    sentence: str  # the spun sentence(s) holding the edit, as written

    @property
    def spun(self) -> str:
        return " ".join(self.edit.spun_key)

    @property
    def original(self) -> str:
        return " ".join(self.edit.original_key)


@dataclass(frozen=True, slots=True)
class Alignment:
    """What an aligner found: the aligned regions, the swaps, and what it could not judge."""

    regions: tuple[Region, ...]
    edits: tuple[GoldEdit, ...]  # word-for-word replacements are split into one edit per word
    divergent: tuple[tuple[int, int], ...]  # spun spans inside regions that differ too much to judge
    swaps: tuple[Swap, ...] = ()

    def judges(self, start: int, end: int) -> bool:
        """Whether an edit of spun[start:end] can be judged: inside a region and clear of divergent text."""
        inside = any(r.spun_start <= start and end <= r.spun_end for r in self.regions)
        return inside and not any(s < end and start < e for s, e in self.divergent)


def sentences(text: str, tokens: Sequence[Token] | None = None) -> list[Sentence]:
    """Sentences (and headline lines) that hold at least one word token."""
    tokens = tokenize(text) if tokens is None else tokens
    starts = [t.start for t in tokens]
    result: list[Sentence] = []
    cursor = 0
    bounds = [(m.start(), m.end()) for m in _BOUNDARY.finditer(text)] + [(len(text), len(text))]
    for cut, resume in bounds:
        first = bisect.bisect_left(starts, cursor)
        last = bisect.bisect_left(starts, cut)
        if last > first:
            result.append(Sentence(tokens[first].start, tokens[last - 1].end, first, last))
        cursor = resume
    return result


def _norms(tokens: Sequence[Token], first: int, last: int) -> list[str]:
    return [t.norm for t in tokens[first:last]]


def _align_sentences(
    spun_tokens: Sequence[Token],
    spun_sents: Sequence[Sentence],
    orig_tokens: Sequence[Token],
    orig_sents: Sequence[Sentence],
) -> list[tuple[int, int, int, int, float]]:
    """Monotonic sentence alignment maximising agreeing words.

    Returns (spun first sentence, spun end, orig first sentence, orig end, similarity) groups.
    A group scores 2 * common - MIN_SENTENCE_SIMILARITY * words, so it pays only above that similarity.
    """
    n, m = len(spun_sents), len(orig_sents)
    spun_words = [_norms(spun_tokens, x.first, x.last) for x in spun_sents]
    orig_words = [_norms(orig_tokens, x.first, x.last) for x in orig_sents]
    # Only cells near the diagonal are tried: the texts tell one story in one order, and the
    # band keeps long documents from costing n * m sentence comparisons.
    band = BAND_SENTENCES + abs(n - m)
    best: list[dict[int, float]] = []
    back: list[dict[int, tuple[int, int, float]]] = []
    for i in range(n + 1):
        centre = i * m // n if n else 0
        row: dict[int, float] = {}
        steps: dict[int, tuple[int, int, float]] = {}
        for j in range(max(0, centre - band), min(m, centre + band) + 1):
            if i == 0 and j == 0:
                row[0] = 0.0
                continue
            score, step = -1.0, None
            if i > 0 and j in best[i - 1] and best[i - 1][j] > score:
                score, step = best[i - 1][j], (1, 0, 0.0)
            if j - 1 in row and row[j - 1] > score:
                score, step = row[j - 1], (0, 1, 0.0)
            for a, b in MERGES:
                if i < a or j < b or j - b not in (best[i - a] if a else row):
                    continue
                s = [w for k in range(i - a, i) for w in spun_words[k]]
                o = [w for k in range(j - b, j) for w in orig_words[k]]
                common = LCSseq.similarity(s, o)
                similarity = 2 * common / (len(s) + len(o))
                if common < 2 or similarity < MIN_SENTENCE_SIMILARITY:
                    continue
                gain = 2 * common - MIN_SENTENCE_SIMILARITY * (len(s) + len(o))
                if best[i - a][j - b] + gain > score:
                    score, step = best[i - a][j - b] + gain, (a, b, similarity)
            if step is not None:
                row[j], steps[j] = score, step
        best.append(row)
        back.append(steps)
    groups = []
    i, j = n, m
    while i > 0 or j > 0:
        a, b, similarity = back[i][j]
        if a and b:
            groups.append((i - a, i, j - b, j, similarity))
        i, j = i - a, j - b
    groups.reverse()
    return _fill_gaps(groups, spun_tokens, spun_sents, orig_tokens, orig_sents)


def _fill_gaps(
    groups: list[tuple[int, int, int, int, float]],
    spun_tokens: Sequence[Token],
    spun_sents: Sequence[Sentence],
    orig_tokens: Sequence[Token],
    orig_sents: Sequence[Sentence],
) -> list[tuple[int, int, int, int, float]]:
    """Pair a lone sentence on each side sandwiched between aligned groups.

    A short, heavily spun sentence ("Hiya, Brian." / "Hey, Brian.") shares too few words to
    align on its own, but between two aligned neighbours it can only be the same sentence.
    """
    filled: list[tuple[int, int, int, int, float]] = []
    for k, group in enumerate(groups):
        filled.append(group)
        if k + 1 == len(groups):
            break
        following = groups[k + 1]
        if following[0] - group[1] != 1 or following[2] - group[3] != 1:
            continue
        s_sent, o_sent = spun_sents[group[1]], orig_sents[group[3]]
        s = _norms(spun_tokens, s_sent.first, s_sent.last)
        o = _norms(orig_tokens, o_sent.first, o_sent.last)
        common = LCSseq.similarity(s, o)
        if common and max(len(s), len(o)) <= 2 * min(len(s), len(o)):
            filled.append((group[1], following[0], group[3], following[2], 2 * common / (len(s) + len(o))))
    return filled


def _style_only(spun: str, original: str) -> bool:
    return _STYLE_ONLY.sub("", spun).casefold() == _STYLE_ONLY.sub("", original).casefold()


def align(spun: str, original: str, *, max_tokens: int = MAX_SWAP_TOKENS, context: int = 3) -> Alignment:
    """Align the two texts; see the module docstring. `context` is how many words a Swap keeps either side."""
    spun_tokens, orig_tokens = tokenize(spun), tokenize(original)
    spun_sents, orig_sents = sentences(spun, spun_tokens), sentences(original, orig_tokens)
    regions: list[Region] = []
    edits: list[GoldEdit] = []
    swaps: list[Swap] = []
    divergent: list[tuple[int, int]] = []
    for si, sj, oi, oj, similarity in _align_sentences(spun_tokens, spun_sents, orig_tokens, orig_sents):
        s0, s1 = spun_sents[si].first, spun_sents[sj - 1].last
        o0, o1 = orig_sents[oi].first, orig_sents[oj - 1].last
        region = Region(
            spun_tokens[s0].start, spun_tokens[s1 - 1].end, orig_tokens[o0].start, orig_tokens[o1 - 1].end, similarity
        )
        regions.append(region)
        a, b = _norms(spun_tokens, s0, s1), _norms(orig_tokens, o0, o1)
        opcodes = SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
        equal = [False] * len(a)
        for tag, i1, i2, _, _ in opcodes:
            if tag == "equal":
                equal[i1:i2] = [True] * (i2 - i1)
        used = [False] * len(a)
        for tag, i1, i2, j1, j2 in opcodes:
            if tag == "equal":
                continue
            span = _swap_span(tag, i1, i2, j1, j2, a, equal, used)
            if span is None or not _anchored(span, tag == "replace", max_tokens, equal):
                if i2 > i1:  # an insertion leaves nothing on the spun side to set aside
                    divergent.append((spun_tokens[s0 + i1].start, spun_tokens[s0 + i2 - 1].end))
                continue
            k1, k2, l1, l2 = span
            start, end = spun_tokens[s0 + k1].start, spun_tokens[s0 + k2 - 1].end
            ostart, oend = orig_tokens[o0 + l1].start, orig_tokens[o0 + l2 - 1].end
            if _style_only(spun[start:end], original[ostart:oend]):
                continue
            used[k1:k2] = [True] * (k2 - k1)
            edit = GoldEdit(start, end, spun[start:end], original[ostart:oend], ostart, oend)
            if tag == "replace" and k2 - k1 == l2 - l1 > 1:
                # Word for word ("chapter safety" -> "bankruptcy protection"): each word is its own
                # gold edit, so fixing one of them counts; the swap keeps the whole phrase.
                for st, ot in zip(spun_tokens[s0 + k1 : s0 + k2], orig_tokens[o0 + l1 : o0 + l2], strict=True):
                    if st.norm != ot.norm:
                        edits.append(
                            GoldEdit(
                                st.start, st.end, spun[st.start : st.end], original[ot.start : ot.end], ot.start, ot.end
                            )
                        )
            else:
                edits.append(edit)
            before = tuple(a[max(0, k1 - context) : k1])
            swaps.append(Swap(edit, before, tuple(a[k2 : k2 + context]), spun[region.spun_start : region.spun_end]))
    return Alignment(tuple(regions), tuple(edits), tuple(divergent), tuple(swaps))


def _anchored(span: tuple[int, int, int, int], replace: bool, max_tokens: int, equal: Sequence[bool]) -> bool:
    """Short enough to be a swap, and with enough agreeing words around it to trust the alignment."""
    i1, i2, j1, j2 = span
    limit = max_tokens if replace else MAX_GAP_TOKENS + 2  # a widened gap carries one or two anchors
    around = [*equal[max(0, i1 - CONTEXT_TOKENS) : i1], *equal[i2 : i2 + CONTEXT_TOKENS]]
    return i2 - i1 <= limit and j2 - j1 <= limit and bool(around) and sum(around) / len(around) >= MIN_CONTEXT_AGREEMENT


def _swap_span(
    tag: str, i1: int, i2: int, j1: int, j2: int, a: Sequence[str], equal: Sequence[bool], used: Sequence[bool]
) -> tuple[int, int, int, int] | None:
    """Token spans of a swap; a pure deletion or insertion is widened by one agreeing neighbour.

    "pores and skin" -> "skin" reads better as a phrase swap than as "pores and" -> "",
    and a gold edit needs words on both sides to be compared at all.
    """
    if tag == "replace":
        return i1, i2, j1, j2
    right = i2 < len(a) and equal[i2] and not used[i2]
    left = i1 > 0 and equal[i1 - 1] and not used[i1 - 1]
    if right and left and (a[i2] in FUNCTION_WORDS) == (a[i1 - 1] in FUNCTION_WORDS):
        return i1 - 1, i2 + 1, j1 - 1, j2 + 1  # "one in every of" -> "one of"
    if right and (not left or a[i2] not in FUNCTION_WORDS):
        return i1, i2 + 1, j1, j2 + 1
    if left:
        return i1 - 1, i2, j1 - 1, j2
    return None


def aligned_regions(spun: str, original: str) -> list[Region]:
    return list(align(spun, original).regions)


def gold_edits(spun: str, original: str, *, max_tokens: int = MAX_SWAP_TOKENS) -> list[GoldEdit]:
    return list(align(spun, original, max_tokens=max_tokens).edits)


def phrase_swaps(spun: str, original: str, *, max_tokens: int = MAX_SWAP_TOKENS, context: int = 3) -> list[Swap]:
    """Every swap with its surrounding words: the raw material for learning wordlist entries."""
    return list(align(spun, original, max_tokens=max_tokens, context=context).swaps)
