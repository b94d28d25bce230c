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
from collections.abc import Set
from functools import cache
from pathlib import Path

from repair.core.cache import cached, content_key
from repair.core.packed import SortedStrings

VOCABULARY_SIZE = 300_000  # the most frequent words in wordfreq's large English list
_NUMBER = re.compile(r"\d[\d.,]+")  # what wordfreq's top_n_list leaves out (its MULTI_DIGIT_RE)


class Vocabulary:
    """Known words: `missing(words)` is the words outside it."""

    def __init__(self, joined: bytes, starts: bytes) -> None:
        self._words = SortedStrings(joined, starts)

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
    return SortedStrings.of(itertools.islice(itertools.filterfalse(_NUMBER.match, words), VOCABULARY_SIZE)).parts()
