"""The English vocabulary near matching leaves alone, read lazily: a small check never builds the whole set.

The 300,000 words come from wordfreq's large English list once, then from the user's
cache as one string (repair.core.cache, keyed by the hash of wordfreq's list file).
A few lookups search that string; past LOOKUPS_BEFORE_SET the set is built, once.
"""

from __future__ import annotations

import importlib.util
import itertools
import re
from collections.abc import Set
from functools import cache
from pathlib import Path

from repair.core.cache import cached, content_key

VOCABULARY_SIZE = 300_000  # the most frequent words in wordfreq's large English list
_NUMBER = re.compile(r"\d[\d.,]+")  # what wordfreq's top_n_list leaves out (its MULTI_DIGIT_RE)
LOOKUPS_BEFORE_SET = 64


class Vocabulary:
    """Known words: `missing(words)` is the words outside it."""

    def __init__(self, joined: str) -> None:
        self._joined = joined  # "\nword\nword\n...\n"
        self._set: frozenset[str] | None = None
        self._lookups = 0

    def as_set(self) -> frozenset[str]:
        if self._set is None:
            self._set = frozenset(self._joined.strip("\n").split("\n"))
        return self._set

    def missing(self, words: Set[str]) -> set[str]:
        if self._set is None and self._lookups + len(words) <= LOOKUPS_BEFORE_SET:
            self._lookups += len(words)
            joined = self._joined
            return {w for w in words if f"\n{w}\n" not in joined}
        return set(words) - self.as_set()

    def __bool__(self) -> bool:
        return True


@cache
def english() -> Vocabulary:
    """wordfreq's `top_n_list("en", VOCABULARY_SIZE, wordlist="large")`, read once per process."""
    source = wordfreq_list()
    if source is None:
        return Vocabulary(_read())
    return Vocabulary(
        cached("vocabulary", content_key([source, f"{VOCABULARY_SIZE} {_NUMBER.pattern} joined-2"]), _read)
    )


def wordfreq_list() -> Path | None:
    """wordfreq's large English list, found without importing wordfreq (which takes a quarter of a second)."""
    spec = importlib.util.find_spec("wordfreq")
    if spec is None or spec.origin is None:
        return None
    path = Path(spec.origin).parent / "data" / "large_en.msgpack.gz"
    return path if path.is_file() else None


def _read() -> str:
    """The words, read in C rather than word by word in Python (a test holds them equal to top_n_list)."""
    from wordfreq import get_frequency_list

    words = itertools.chain.from_iterable(get_frequency_list("en", "large"))
    return "\n" + "\n".join(itertools.islice(itertools.filterfalse(_NUMBER.match, words), VOCABULARY_SIZE)) + "\n"
