"""The English vocabulary near matching leaves alone, kept compact: sorted UTF-8 bytes searched by bisection.

The 300,000 words come from the shipped copy of wordfreq's large English list
(repair.core.frequencies) once, then from the user's cache (repair.core.cache, keyed by
the hash of that file) as one `bytes` of the words in sorted order and the array of
where each starts. A lookup bisects them: about 2.5 MB where a set of the words took
~45 MB (the set's strings, and the one string of them with a non-Latin word is 4 bytes
a character).
"""

from __future__ import annotations

from collections.abc import Set
from functools import cache

from repair.core import frequencies
from repair.core.cache import cached, content_key
from repair.core.packed import SortedStrings

VOCABULARY_SIZE = 300_000  # the most frequent words in wordfreq's large English list
# How many answers `missing` keeps: a document's words are mostly the language's common ones, met
# again in every document, so a bisection each time is wasted (~7 us a word); ~100 bytes an answer.
MEMO_SIZE = 1 << 16


class Vocabulary:
    """Known words: `missing(words)` is the words outside it."""

    def __init__(self, joined: bytes, starts: bytes) -> None:
        self._words = SortedStrings(joined, starts)
        self._known: dict[str, bool] = {}  # answers of `missing`, a cache of pure answers (emptied when full)

    @classmethod
    def of(cls, words: Set[str]) -> Vocabulary:
        return cls(*SortedStrings.of(words).parts())

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self._words.index(word) is not None

    def __len__(self) -> int:
        return len(self._words)

    def as_set(self) -> frozenset[str]:
        """Every word, as a set (for tests and tools: ~45 MB)."""
        return frozenset(self._words)

    def missing(self, words: Set[str]) -> set[str]:
        known, index = self._known, self._words.index
        out = set()
        for word in words:
            hit = known.get(word)
            if hit is None:
                if len(known) >= MEMO_SIZE:
                    known.clear()
                hit = known[word] = index(word) is not None
            if not hit:
                out.add(word)
        return out

    def __bool__(self) -> bool:
        return True


@cache
def english() -> Vocabulary:
    """wordfreq's `top_n_list("en", VOCABULARY_SIZE, wordlist="large")`, read once per process."""
    key = content_key([frequencies.data_path(), f"{VOCABULARY_SIZE} sorted-4"])
    return Vocabulary(*cached("vocabulary", key, _read))


def _read() -> tuple[bytes, bytes]:
    """The words, sorted (a test holds them equal to top_n_list)."""
    return SortedStrings.of(frequencies.top_words(VOCABULARY_SIZE)).parts()
