"""`repair trace SPUN --corpus DIR`: which file of a corpus is the original a spun text was made from?

The spun text is de-spun first (every fix with a suggestion applied, choices
included), because a thesaurus spinner changes one word in three or four and
de-spinning gives much of that back. Then both sides are split into sentences
(`repair.tools.align.sentences`) and every de-spun sentence is compared with every
sentence of each candidate by rapidfuzz's `ratio` on normalised words. Two unrelated
English sentences already reach a `ratio` of 40-55 (common words, and the best of many
candidates), so only what a sentence's best match has above CHANCE_RATIO counts,
rescaled to 0-100. A candidate's score is the word-weighted mean of that over the spun
sentences: about 0 for an unrelated text (0.2 on average over 42 development originals
against spun texts not their own, 14 at most), 100 for the original of a fully
de-spun text, and the real original far above articles that only share the topic.

Pure functions (`despin`, `rank`, `aligned_sentences`); `repair trace` (repair.cli.trace) reads the files.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.process import cdist

from repair.core.engine import Engine, Selection, fix
from repair.core.model import Safety
from repair.core.text import tokenize
from repair.tools.align import sentences

DESPIN = Selection(threshold=0.0, safety=Safety.CHOOSE)  # every fix that has a suggestion
MIN_SENTENCE_WORDS = 3  # shorter "sentences" (bylines, "Business") say nothing about the source
CHANCE_RATIO = 50.0  # a sentence's best `ratio` against unrelated text is about this; only more is evidence
MATCHED_RATIO = 60.0  # a spun sentence whose best match reaches this counts as matched


@dataclass(frozen=True, slots=True)
class TracedSentence:
    """A sentence of a traced text with its words as compared (normalised, single-spaced)."""

    text: str  # as written
    words: str  # normalised words, single-spaced (what is compared)
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class RankedFile:
    """A corpus file and how well it explains the spun text."""

    name: str
    score: float  # 0-100: word-weighted mean of each spun sentence's best match above chance (see above)
    matched: float  # share of spun words whose sentence matched at >= MATCHED_RATIO


@dataclass(frozen=True, slots=True)
class AlignedSentence:
    spun: TracedSentence
    despun: str
    original: TracedSentence | None
    score: float


def split_sentences(text: str) -> list[TracedSentence]:
    """Sentences with at least MIN_SENTENCE_WORDS words, with their normalised words."""
    tokens = tokenize(text)
    out = []
    for s in sentences(text, tokens):
        words = [t.norm for t in tokens[s.first : s.last]]
        if len(words) >= MIN_SENTENCE_WORDS:
            out.append(TracedSentence(text[s.start : s.end], " ".join(words), s.start, s.end))
    return out


def despin(text: str, engine: Engine | None) -> str:
    """The text with every suggested fix applied (the first suggestion of choices)."""
    if engine is None:
        return text
    return fix(text, engine, DESPIN)[0]


def _best(spun: Sequence[TracedSentence], candidate: Sequence[TracedSentence]) -> list[tuple[int, float]]:
    """For each spun sentence, the index and score of its best match in the candidate (-1 when none)."""
    if not spun or not candidate:
        return [(-1, 0.0)] * len(spun)
    matrix = cdist([s.words for s in spun], [c.words for c in candidate], scorer=fuzz.ratio, workers=1)
    best = matrix.argmax(axis=1)
    return [(int(j), float(matrix[i, j])) for i, j in enumerate(best)]


def above_chance(ratio: float) -> float:
    """A sentence's best `ratio` (0-100) as evidence (0-100): 0 up to CHANCE_RATIO, then linear to 100."""
    return max(0.0, ratio - CHANCE_RATIO) * 100.0 / (100.0 - CHANCE_RATIO)


def _score(spun: Sequence[TracedSentence], best: Sequence[tuple[int, float]]) -> tuple[float, float]:
    weights = [len(s.words.split()) for s in spun]
    total = sum(weights) or 1
    score = sum(w * above_chance(b) for w, (_, b) in zip(weights, best, strict=True)) / total
    matched = sum(w for w, (_, b) in zip(weights, best, strict=True) if b >= MATCHED_RATIO) / total
    return score, matched


def rank(spun: str, corpus: Sequence[tuple[str, str]], engine: Engine | None = None) -> list[RankedFile]:
    """Corpus entries (name, text) ranked by how likely each is the original of `spun`, best first.

    Ties keep corpus order, so identical copies of one original rank side by side.
    """
    spun_sentences = split_sentences(despin(spun, engine))
    scored = []
    for name, text in corpus:
        best = _best(spun_sentences, split_sentences(text))
        score, matched = _score(spun_sentences, best)
        scored.append(RankedFile(name, score, matched))
    return sorted(scored, key=lambda c: -c.score)


def aligned_sentences(spun: str, original: str, engine: Engine | None = None) -> list[AlignedSentence]:
    """Each spun sentence with its de-spun form and its best-matching sentence of `original`."""
    despun_text = despin(spun, engine)
    raw = split_sentences(spun)
    fixed = split_sentences(despun_text)
    if len(raw) != len(fixed):  # a fix changed a sentence boundary: show the de-spun text only
        raw = fixed
    targets = split_sentences(original)
    best = _best(fixed, targets)
    return [
        AlignedSentence(r, f.text, targets[j] if j >= 0 else None, score)
        for r, f, (j, score) in zip(raw, fixed, best, strict=True)
    ]
