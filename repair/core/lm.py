"""An English trigram language model for choosing between a spun word and its candidates.

Why: the inverted thesaurus offers many candidate originals for a word; which
one (if any) the author wrote depends on context ("round of talks" rather than
"spherical of talks"). The `pocketsphinx` wheel ships a general US-English
trigram model (`model/en-us/en-us.lm.bin`: 72,547 words, 2.05 M bigrams,
1.67 M trigrams; lower case, no digits) read by `pocketsphinx.NGramModel`. It
loads in about 0.1 s and answers one n-gram query in under a microsecond, so no
extra download or data file is needed.

`NGramModel.prob([word, previous, one_before])` returns a log probability in
units of log base 1.0001 (with back-off); an unknown word returns a huge
negative "log zero". This wrapper converts to natural log (nats), maps text to
the model's vocabulary (lower case, straight apostrophes, numbers spelled
out), and gives words the model lacks ("crypto", "tiktok", "squaddies") a
context-free estimate from wordfreq instead of the floor, so a modern or rare
word is not judged impossible.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from repair.core import frequencies
from repair.core.text import words_between

LOG_BASE = math.log(1.0001)  # pocketsphinx's default LogMath base: score * LOG_BASE = nats
LOG_ZERO = -(10**8)  # scores below this mean "unknown word"
OOV_PENALTY = 1.0  # nats taken off wordfreq's unigram estimate for a word outside the LM
OOV_FLOOR = -23.0  # nats; a little below the LM's rarest unigram (-21.8)
BOUNDARIES = frozenset({"<s>", "</s>"})

_ONES = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'"})


def model_path() -> Path:
    """The trigram model inside the installed pocketsphinx wheel."""
    import pocketsphinx

    return Path(pocketsphinx.get_model_path()) / "en-us" / "en-us.lm.bin"


def _below_hundred(n: int) -> list[str]:
    if n < 20:
        return [_ONES[n]]
    tens, ones = divmod(n, 10)
    return [_TENS[tens]] + ([_ONES[ones]] if ones else [])


def spoken_number(digits: str) -> list[str]:
    """Digits as the words a speech LM knows: "11" -> eleven, "2024" -> twenty twenty four.

    Numbers are context only (candidates are words), so an approximate
    reading is enough; long numbers keep their last three digits' reading.
    """
    n = int(digits)
    if n < 100:
        return _below_hundred(n)
    if 1100 <= n < 2100 and n % 1000 >= 10 and len(digits) == 4:  # a year
        high, low = divmod(n, 100)
        return _below_hundred(high) + (["hundred"] if low == 0 else _below_hundred(low))
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        return [_ONES[hundreds], "hundred"] + (_below_hundred(rest) if rest else [])
    if n < 1_000_000:
        thousands, rest = divmod(n, 1000)
        return spoken_number(str(thousands)) + ["thousand"] + (spoken_number(str(rest)) if rest else [])
    return ["million"]


def lm_tokens(text_or_tokens: str | Sequence[str]) -> list[str]:
    """The LM's tokens for a string or for already split words.

    Lower case, straight apostrophes, hyphens split, digits spelled out;
    "<s>" and "</s>" pass through as sentence boundaries.
    """
    words = [text_or_tokens] if isinstance(text_or_tokens, str) else list(text_or_tokens)
    out: list[str] = []
    for word in words:
        if word in BOUNDARIES:
            out.append(word)
            continue
        for token in words_between(word.translate(_APOSTROPHES).lower()):
            out.extend(spoken_number(token) if token.isdigit() else [token])
    return out


@dataclass(frozen=True)
class LanguageModel:
    """A read-only trigram model; use `load()` for the shared instance.

    All scores are natural-log probabilities (nats). A window is scored as the
    joint probability of its words given what precedes them, so candidates of
    different lengths compete fairly: P(left a right) against P(left b right).
    """

    ngrams: Any  # pocketsphinx.NGramModel (a compiled extension without type stubs)
    path: str

    @classmethod
    def open(cls, path: Path | None = None) -> LanguageModel:
        import pocketsphinx

        pocketsphinx.set_loglevel("ERROR")  # process-wide; its INFO lines on stderr are noise here
        path = path or model_path()
        return cls(pocketsphinx.NGramModel.readfile(str(path)), str(path))

    def known(self, word: str) -> bool:
        """Whether the model has this (already LM-normalised) word."""
        return self.ngrams.prob([word]) > LOG_ZERO

    def unknown_logprob(self, word: str) -> float:
        """Context-free estimate for a word outside the LM's vocabulary."""
        return _unknown_logprob(word)

    def logprob(self, word: str, history: Sequence[str] = ()) -> float:
        """ln P(word | the last two words of history), with back-off; words LM-normalised."""
        if word == "<s>":
            return 0.0  # a boundary is given, not predicted
        query = [word, *reversed(history[-2:])]
        score = self.ngrams.prob(query)
        if score <= LOG_ZERO:
            return self.unknown_logprob(word)
        return score * LOG_BASE

    def score(self, tokens: Sequence[str], context: Sequence[str] = ()) -> float:
        """Sum of ln P over `tokens` (raw words: normalised here), each given what precedes it.

        `context` words condition the first tokens but are not scored.
        """
        return self.nats(lm_tokens(tokens), lm_tokens(context))

    def nats(self, tokens: Sequence[str], history: Sequence[str] = ()) -> float:
        """Sum of ln P over `tokens` (already LM-normalised), each given the two words before it.

        `history` precedes the tokens and is not scored. Each word's nats are added
        in turn, exactly as `logprob` gives them; the scorer runs this once per finding.
        """
        prob = self.ngrams.prob
        h1 = history[-1] if history else None
        h2 = history[-2] if len(history) > 1 else None
        total = 0.0
        for token in tokens:
            if token != "<s>":  # a boundary is given, not predicted
                if h2 is not None:
                    score = prob([token, h1, h2])
                elif h1 is not None:
                    score = prob([token, h1])
                else:
                    score = prob([token])
                total += _unknown_logprob(token) if score <= LOG_ZERO else score * LOG_BASE
            h1, h2 = token, h1
        return total

    def window(self, left: Sequence[str], middle: Sequence[str], right: Sequence[str] = ()) -> float:
        """ln P(middle + right | left) for tokens already in the LM's form (`lm_tokens`).

        The hot path of `repair.core.discover`, which normalises each document word
        once and scores many candidates between the same contexts. Only the
        last two `left` and the first two `right` tokens can matter (trigram).
        """
        return self.nats([*middle, *right[:2]], left)

    def windows(self, left: Sequence[str], middles: Sequence[Sequence[str]], right: Sequence[str] = ()) -> list[float]:
        """`window(left, middle, right)` for each of `middles`, in one call (the candidates of one word).

        The same sums as `nats` makes, term by term, without a call per candidate.
        """
        prob = self.ngrams.prob
        right = tuple(right[:2])
        first1 = left[-1] if left else None
        first2 = left[-2] if len(left) > 1 else None
        out = []
        for middle in middles:
            h1, h2 = first1, first2
            total = 0.0
            for token in (*middle, *right):
                if token != "<s>":  # a boundary is given, not predicted
                    if h2 is not None:
                        score = prob([token, h1, h2])
                    elif h1 is not None:
                        score = prob([token, h1])
                    else:
                        score = prob([token])
                    total += _unknown_logprob(token) if score <= LOG_ZERO else score * LOG_BASE
                h1, h2 = token, h1
            out.append(total)
        return out

    def compare(
        self,
        left_context: Sequence[str],
        candidate_a: str | Sequence[str],
        candidate_b: str | Sequence[str],
        right_context: Sequence[str] = (),
    ) -> float:
        """How much the LM prefers a over b between these contexts, in nats (> 0: a is likelier).

        ln P(a + right | left) - ln P(b + right | left). Candidates may be words,
        phrases ("in opposition to") or token lists; the right context is scored
        after each, which is what makes different lengths comparable. Only the
        last two left words and the first two right words can matter (trigram).
        """
        a = lm_tokens(candidate_a)
        b = lm_tokens(candidate_b)
        right = lm_tokens(right_context)[:2]
        left = lm_tokens(left_context)[-2:]
        return self.score([*a, *right], left) - self.score([*b, *right], left)


@lru_cache(maxsize=65536)
def _unknown_logprob(word: str) -> float:
    """Context-free estimate for a word outside the LM's vocabulary, from wordfreq."""
    freq = frequencies.word_frequency(word)
    return max(OOV_FLOOR, math.log(freq) - OOV_PENALTY) if freq > 0 else OOV_FLOOR


@cache
def load() -> LanguageModel:
    """The shared model, opened on first use (about 0.1 s) and never changed."""
    return LanguageModel.open()
