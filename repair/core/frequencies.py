"""Word frequencies on the Zipf scale, without paying for wordfreq's import at every start.

The scorer asks how common each spun phrase and each original is. wordfreq answers,
but importing it costs about a quarter of a second, more than the rest of a small
check. So the answers for an engine's own phrases (every key and original of its
lists) are worked out once, kept in the user's cache under a hash of wordfreq's list
and the phrases (repair.core.cache), and read back from there.

Any other word (a thesaurus candidate, a word outside the language model) is looked
up in a compact copy of wordfreq's English list, also kept in the cache, by
wordfreq's own steps for English (`word_frequency`): wordfreq's dict of the list
takes ~35 MB, the copy ~5 MB. A test holds both to wordfreq's answers.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterable
from functools import cache

from repair.core.cache import cached, content_key
from repair.core.packed import SortedStrings
from repair.core.vocabulary import wordfreq_list

_known: dict[str, float] = {}  # a memo of pure answers, filled from the cache or from wordfreq


def zipf(phrase: str) -> float:
    """How common a phrase is: wordfreq's Zipf frequency (0 = unseen, 7 = "the")."""
    value = _known.get(phrase)
    if value is None:
        value = _known[phrase] = _ask(phrase)
    return value


def preload(phrases: Iterable[str]) -> None:
    """Make `zipf` of these phrases cheap: read their frequencies from the cache, working them out once."""
    wanted = sorted(set(phrases) - _known.keys())
    if not wanted:
        return
    source = wordfreq_list()
    if source is None:
        return
    key = content_key([source, "zipf-1\n", "\n".join(wanted)])
    values = cached("frequencies", key, lambda: [_ask(p) for p in wanted])
    _known.update(zip(wanted, values, strict=True))


def _ask(phrase: str) -> float:
    return float(zipf_frequency(phrase))


class _Table:
    """wordfreq's English frequencies, compact: sorted words (repair.core.packed) and each one's bucket.

    wordfreq's own dict of the large list, and the list it keeps, take ~35 MB; this ~5 MB.
    Bucket i of wordfreq's list holds the words of frequency `cB_to_freq(-i)`.
    """

    def __init__(self, joined: bytes, starts: bytes, buckets: bytes, freqs: tuple[float, ...]) -> None:
        self._words = SortedStrings(joined, starts)
        self._buckets = array("H")
        self._buckets.frombytes(buckets)
        self._freqs = freqs

    def get(self, token: str) -> float | None:
        """What `wordfreq.get_frequency_dict("en").get(token)` gives."""
        i = self._words.index(token)
        return None if i is None else self._freqs[self._buckets[i]]


def source_key() -> str:
    """A digest of the frequency data every answer here comes from: a cache of answers is named by it."""
    return content_key([wordfreq_list() or b"", "frequencies-1"])


@cache
def table() -> _Table:
    """The compact table, from the user's cache (made once from wordfreq's list, ~2 s)."""
    from wordfreq import cB_to_freq

    source = wordfreq_list()
    key = content_key([source or b"", "table-1"])
    joined, starts, buckets, count = _make_table() if source is None else cached("wordfreq-table", key, _make_table)
    return _Table(joined, starts, buckets, tuple(cB_to_freq(-i) for i in range(count)))


def _make_table() -> tuple[bytes, bytes, bytes, int]:
    from wordfreq import get_frequency_list

    bucket_of = {}
    buckets = get_frequency_list("en")
    for index, bucket in enumerate(buckets):
        for word in bucket:
            bucket_of[word] = index  # a word in two buckets: the last, as in wordfreq's dict
    words = SortedStrings.of(bucket_of)
    return (*words.parts(), array("H", (bucket_of[w] for w in words)).tobytes(), len(buckets))


def token_frequency(token: str) -> float:
    """`wordfreq.get_frequency_dict("en").get(token, 0.0)`, from the compact table."""
    return table().get(token) or 0.0


def word_frequency(word: str, minimum: float = 0.0) -> float:
    """`wordfreq.word_frequency(word, "en", minimum=minimum)`, its steps for English, on the compact table."""
    from wordfreq import digit_freq, lossy_tokenize, smash_numbers

    tokens = lossy_tokenize(word, "en")
    if not tokens:
        return minimum
    freqs = table()
    one_over_result = 0.0
    for token in tokens:
        smashed = smash_numbers(token)
        freq = freqs.get(smashed)
        if freq is None:
            return minimum
        if smashed != token:
            freq *= digit_freq(token)
        one_over_result += 1.0 / freq
    unrounded = max(1.0 / one_over_result, minimum)
    if unrounded == 0.0:
        return 0.0
    return round(unrounded, math.floor(-math.log(unrounded, 10)) + 3)


def zipf_frequency(word: str) -> float:
    """`wordfreq.zipf_frequency(word, "en")` on the compact table."""
    from wordfreq import freq_to_zipf, zipf_to_freq

    return round(freq_to_zipf(word_frequency(word, zipf_to_freq(0.0))), 2)
