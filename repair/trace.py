"""`repair trace SPUN --corpus DIR`: which file of a corpus is the original a spun text was made from?

The spun text is de-spun first (every fix with a suggestion applied, choices
included), because a thesaurus spinner changes one word in three or four and
de-spinning gives much of that back. Then both sides are split into sentences
(`repair.align.sentences`) and every de-spun sentence is compared with every
sentence of each candidate by rapidfuzz's `ratio` on normalised words. A
candidate's score is the word-weighted mean, over the spun sentences, of each
sentence's best match (0-100). The real original scores far above articles
that only share the topic, because only it matches sentence after sentence.

Pure functions (`despin`, `rank`, `aligned_sentences`); files are read in `run`.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz
from rapidfuzz.process import cdist

from repair.align import sentences
from repair.engine import Engine, Selection, fix
from repair.io import InputError, read_document
from repair.model import Safety
from repair.text import tokenize
from repair.wordlists import DEFAULT_LISTS, WordlistError, resolve

DESPIN = Selection(threshold=0.0, safety=Safety.CHOOSE)  # every fix that has a suggestion
MIN_SENTENCE_WORDS = 3  # shorter "sentences" (bylines, "Business") say nothing about the source
DEFAULT_TOP = 5
DEFAULT_MIN_SCORE = 50.0  # below this no candidate is called a likely original (exit 1)


@dataclass(frozen=True, slots=True)
class Sentence:
    text: str  # as written
    words: str  # normalised words, single-spaced (what is compared)
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Candidate:
    """A corpus file and how well it explains the spun text."""

    name: str
    score: float  # 0-100: word-weighted mean of each spun sentence's best match
    matched: float  # share of spun words whose sentence matched at >= 60


@dataclass(frozen=True, slots=True)
class AlignedSentence:
    spun: Sentence
    despun: str
    original: Sentence | None
    score: float


def split_sentences(text: str) -> list[Sentence]:
    """Sentences with at least MIN_SENTENCE_WORDS words, with their normalised words."""
    tokens = tokenize(text)
    out = []
    for s in sentences(text, tokens):
        words = [t.norm for t in tokens[s.first : s.last]]
        if len(words) >= MIN_SENTENCE_WORDS:
            out.append(Sentence(text[s.start : s.end], " ".join(words), s.start, s.end))
    return out


def despin(text: str, engine: Engine | None) -> str:
    """The text with every suggested fix applied (the first suggestion of choices)."""
    if engine is None:
        return text
    return fix(text, engine, DESPIN)[0]


def _best(spun: Sequence[Sentence], candidate: Sequence[Sentence]) -> list[tuple[int, float]]:
    """For each spun sentence, the index and score of its best match in the candidate (-1 when none)."""
    if not spun or not candidate:
        return [(-1, 0.0)] * len(spun)
    matrix = cdist([s.words for s in spun], [c.words for c in candidate], scorer=fuzz.ratio, workers=1)
    best = matrix.argmax(axis=1)
    return [(int(j), float(matrix[i, j])) for i, j in enumerate(best)]


def _score(spun: Sequence[Sentence], best: Sequence[tuple[int, float]]) -> tuple[float, float]:
    weights = [len(s.words.split()) for s in spun]
    total = sum(weights) or 1
    score = sum(w * b for w, (_, b) in zip(weights, best, strict=True)) / total
    matched = sum(w for w, (_, b) in zip(weights, best, strict=True) if b >= 60.0) / total
    return score, matched


def rank(spun: str, corpus: Sequence[tuple[str, str]], engine: Engine | None = None) -> list[Candidate]:
    """Corpus entries (name, text) ranked by how likely each is the original of `spun`, best first.

    Ties keep corpus order, so identical copies of one original rank side by side.
    """
    spun_sentences = split_sentences(despin(spun, engine))
    scored = []
    for name, text in corpus:
        best = _best(spun_sentences, split_sentences(text))
        score, matched = _score(spun_sentences, best)
        scored.append(Candidate(name, score, matched))
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


# ---------------------------------------------------------------- command line


def configure(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Rank the files of a corpus by how likely each is the original a spun text was made from "
        "(de-spin, then compare sentence by sentence), and show the aligned sentences of the best match."
    )
    parser.add_argument("spun", metavar="SPUN", help="the spun text")
    parser.add_argument("--corpus", required=True, metavar="DIR", help="folder of candidate originals")
    parser.add_argument(
        "--glob", default="*.txt", metavar="PATTERN", help="which files of DIR to compare (default *.txt, recursive)"
    )
    parser.add_argument(
        "--wordlist",
        action="append",
        metavar="SPEC",
        help=f"de-spin with these lists (shipped name or file; default {', '.join(DEFAULT_LISTS)})",
    )
    parser.add_argument("--no-despin", action="store_true", help="compare the spun text as it is")
    parser.add_argument("--top", type=int, default=DEFAULT_TOP, metavar="N", help="how many matches to print")
    parser.add_argument("--sentences", type=int, default=12, metavar="N", help="aligned sentences to show (0: none)")
    parser.add_argument(
        "--min-score",
        type=float,
        default=DEFAULT_MIN_SCORE,
        metavar="S",
        help=f"exit 1 when no file scores at least S of 100 (default {DEFAULT_MIN_SCORE:g})",
    )
    parser.add_argument("--format", choices=("human", "json"), default="human", help="human text or one JSON object")


def _corpus(folder: str, pattern: str, spun_path: str) -> tuple[list[tuple[str, str]], list[str]]:
    root = Path(folder)
    if not root.is_dir():
        raise InputError(f"{folder}: not a folder")
    spun_resolved = Path(spun_path).resolve() if spun_path != "-" else None
    texts, warnings = [], []
    for path in sorted(p for p in root.rglob(pattern) if p.is_file()):
        if spun_resolved is not None and path.resolve() == spun_resolved:
            continue  # the spun text itself is not a candidate
        try:
            texts.append((str(path), read_document(str(path)).text))
        except InputError as exc:
            warnings.append(str(exc))
    if not texts:
        raise InputError(f"{folder}: no readable files matching {pattern}")
    return texts, warnings


def _engine(args: argparse.Namespace) -> Engine | None:
    if args.no_despin:
        return None
    try:
        return Engine(resolve(args.wordlist or list(DEFAULT_LISTS)))
    except (OSError, WordlistError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot load the wordlists for de-spinning ({exc})") from None


def run(args: argparse.Namespace) -> int:
    spun = read_document(args.spun).text
    corpus, warnings = _corpus(args.corpus, args.glob, args.spun)
    engine = _engine(args)
    ranked = rank(spun, corpus, engine)
    best = ranked[0]
    found = best.score >= args.min_score
    texts = dict(corpus)
    aligned = aligned_sentences(spun, texts[best.name], engine) if args.sentences and found else []
    out = sys.stdout
    for warning in warnings:
        print(f"repair trace: warning: {warning}", file=sys.stderr)
    if args.format == "json":
        data = {
            "spun": args.spun,
            "matches": [
                {"path": c.name, "score": round(c.score, 1), "matched": round(c.matched, 3)} for c in ranked[: args.top]
            ],
            "gap": round(best.score - ranked[1].score, 1) if len(ranked) > 1 else None,
            "likely_original": best.name if found else None,
            "sentences": [
                {
                    "spun": a.spun.text,
                    "despun": a.despun,
                    "original": a.original.text if a.original else None,
                    "score": round(a.score, 1),
                }
                for a in aligned[: args.sentences]
            ],
        }
        out.write(json.dumps(data, ensure_ascii=False) + "\n")
        return 0 if found else 1
    print(f"{'score':>5}  {'matched':>7}  file", file=out)
    for c in ranked[: args.top]:
        print(f"{c.score:5.1f}  {100 * c.matched:6.0f}%  {c.name}", file=out)
    if len(ranked) > 1:
        print(f"gap to the next file: {best.score - ranked[1].score:.1f}", file=out)
    if not found:
        print(f"no file scores {args.min_score:g} or more: the original is probably not in {args.corpus}", file=out)
        return 1
    if aligned:
        print(f"\naligned sentences with {best.name} (score, spun -> de-spun, original):", file=out)
        for a in aligned[: args.sentences]:
            print(f"\n{a.score:5.1f}  spun:     {a.spun.text}", file=out)
            if a.despun != a.spun.text:
                print(f"       de-spun:  {a.despun}", file=out)
            print(f"       original: {a.original.text if a.original else '(none)'}", file=out)
    return 0
