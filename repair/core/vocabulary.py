"""The English vocabulary near matching leaves alone, kept compact: sorted UTF-8 bytes searched by bisection.

The 300,000 words come from wordfreq's large English list once, then from the user's
cache (repair.core.cache, keyed by the hash of wordfreq's list file) as one `bytes`
of the words in sorted order and the array of where each starts. A lookup bisects
them: about 2.5 MB where a set of the words took ~45 MB (the set's strings, and the
one string of them with a non-Latin word is 4 bytes a character).
"""

from __future__ import annotations

import importlib.util
import itertools
import re
from array import array
from collections.abc import Set
from functools import cache
from pathlib import Path

from repair.core.cache import cached, content_key

VOCABULARY_SIZE = 300_000  # the most frequent words in wordfreq's large English list
_NUMBER = re.compile(r"\d[\d.,]+")  # what wordfreq's top_n_list leaves out (its MULTI_DIGIT_RE)


class Vocabulary:
    """Known words: `missing(words)` is the words outside it."""

    def __init__(self, joined: bytes, starts: bytes) -> None:
        self._joined = joined  # the words' UTF-8 in sorted order, back to back
        self._starts = array("I")  # where each word starts, then len(joined)
        self._starts.frombytes(starts)

    @classmethod
    def of(cls, words: Set[str]) -> Vocabulary:
        encoded = sorted(w.encode() for w in words)  # UTF-8's byte order is the characters' order
        starts = array("I", itertools.accumulate(map(len, encoded), initial=0))
        return cls(b"".join(encoded), starts.tobytes())

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str):
            return False
        key, joined, starts = word.encode(), self._joined, self._starts
        lo, hi = 0, len(starts) - 1
        while lo < hi:
            mid = (lo + hi) // 2
            if joined[starts[mid] : starts[mid + 1]] < key:
                lo = mid + 1
            else:
                hi = mid
        return lo < len(starts) - 1 and joined[starts[lo] : starts[lo + 1]] == key

    def __len__(self) -> int:
        return len(self._starts) - 1

    def as_set(self) -> frozenset[str]:
        """Every word, as a set (for tests and tools: ~45 MB)."""
        joined, starts = self._joined, self._starts
        return frozenset(joined[starts[i] : starts[i + 1]].decode() for i in range(len(self)))

    def missing(self, words: Set[str]) -> set[str]:
        return {w for w in words if w not in self}

    def __bool__(self) -> bool:
        return True


@cache
def english() -> Vocabulary:
    """wordfreq's `top_n_list("en", VOCABULARY_SIZE, wordlist="large")`, read once per process."""
    source = wordfreq_list()
    if source is None:
        return Vocabulary(*_read())
    key = content_key([source, f"{VOCABULARY_SIZE} {_NUMBER.pattern} sorted-3"])
    return Vocabulary(*cached("vocabulary", key, _read))


def wordfreq_list() -> Path | None:
    """wordfreq's large English list, found without importing wordfreq (which takes a quarter of a second)."""
    spec = importlib.util.find_spec("wordfreq")
    if spec is None or spec.origin is None:
        return None
    path = Path(spec.origin).parent / "data" / "large_en.msgpack.gz"
    return path if path.is_file() else None


def _read() -> tuple[bytes, bytes]:
    """The words, read in C rather than word by word in Python (a test holds them equal to top_n_list)."""
    from wordfreq import get_frequency_list

    words = itertools.chain.from_iterable(get_frequency_list("en", "large"))
    top = set(itertools.islice(itertools.filterfalse(_NUMBER.match, words), VOCABULARY_SIZE))
    vocabulary = Vocabulary.of(top)
    return vocabulary._joined, vocabulary._starts.tobytes()
