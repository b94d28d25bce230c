"""Word frequencies on the Zipf scale, without paying for wordfreq's import at every start.

The scorer asks how common each spun phrase and each original is. wordfreq answers,
but importing it costs about a quarter of a second, more than the rest of a small
check. So the answers for an engine's own phrases (every key and original of its
lists) are worked out once, kept in the user's cache under a hash of wordfreq's list
and the phrases (repair.core.cache), and read back from there; only a phrase outside
them (a thesaurus candidate) imports wordfreq.
"""

from __future__ import annotations

from collections.abc import Iterable

from repair.core.cache import cached, content_key
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
    from wordfreq import zipf_frequency

    return float(zipf_frequency(phrase, "en"))
