"""The shipped copy of wordfreq's list and the steps rewritten from wordfreq answer as wordfreq does.

wordfreq is a test- and build-time dependency only: without it these tests skip.
"""

from __future__ import annotations

import gzip
import random
from collections.abc import Callable, Iterable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from repair.core import frequencies, thesaurus
from repair.core.engine import Engine
from repair.core.text import phrase_key

wordfreq = pytest.importorskip("wordfreq")

ODD = ["the", "in opposition to", "don't", "covid-19", "2024", "3.14", "New York", "xqzzy", "", "  ", "café", "naïve"]
ODD += ["TikTok", "the 1990s", "e-mail", "rock'n'roll", "U.S.", "100%", "北京", "😀", "squaddies", "it's", "’tis"]
ODD += ["l'arc", "qu'un", "@s", "tod@s", "١٩٨٤", "１２３", "1,000,000", "2050", "0007", "ＡＢＣ", "İstanbul", "ǅemal"]
ODD += [
    "straße",
    "ǰ",
    "ẗ",
    "naïve café",
    "ﬁne",
    "x\u0301",
    "ภาษาไทย",
    "カタカナー",
    "a.b.c",
    "--",
    "'quoted'",
    "“quoted”",
]


def _outcome(ask: Callable[[], object]) -> object:
    """An answer, or the kind of error raised: the two must fail alike where they fail."""
    try:
        return ask()
    except Exception as error:  # compared, not hidden
        return type(error)


def _agree(words: Iterable[str]) -> None:
    for word in words:
        ours = _outcome(lambda w=word: frequencies.tokens(w))
        assert ours == _outcome(lambda w=word: wordfreq.lossy_tokenize(w, "en")), word
        ours = _outcome(lambda w=word: frequencies.word_frequency(w))
        assert ours == _outcome(lambda w=word: wordfreq.word_frequency(w, "en")), word
        ours = _outcome(lambda w=word: frequencies.zipf_frequency(w))
        assert ours == _outcome(lambda w=word: wordfreq.zipf_frequency(w, "en")), word


def test_the_shipped_list_is_the_installed_wordfreqs() -> None:
    # Stale when wordfreq's list changes: run scripts/build_frequencies.py (its --check says the same).
    assert frequencies.read_list() == wordfreq.get_frequency_list("en", "large"), "run scripts/build_frequencies.py"
    text = gzip.decompress(frequencies.data_path().read_bytes()).decode()
    assert text.startswith("# wordfreq ") and "CC BY-SA 4.0" in text.split("\n")[0]  # what and whose it is


def test_the_compact_table_answers_as_wordfreq_does() -> None:
    known = wordfreq.get_frequency_dict("en")
    words = random.Random(13).sample(sorted(known), 3000) + ODD
    table = frequencies.table()
    for word in words:
        assert table.get(word) == known.get(word), word
        assert frequencies.token_frequency(word) == known.get(word, 0.0), word
    _agree(words)
    assert frequencies.top_words(50_000) == wordfreq.top_n_list("en", 50_000)


@pytest.mark.slow
def test_every_word_of_the_list_and_every_phrase_repair_asks_about() -> None:
    table = thesaurus.load()
    engine = Engine()
    phrases = {v.spun_norm for v in engine.matcher.variants}
    phrases |= {" ".join(phrase_key(o)) for v in engine.matcher.variants for o in v.originals}
    phrases |= {" ".join(phrase_key(form)) for form in table.forms} | set(table.cells)
    words = [w for line in wordfreq.get_frequency_list("en", "large") for w in line]
    _agree([*words, *sorted(phrases)])


# Strings from the characters that make wordfreq's steps differ: digits of several scripts, apostrophes and
# curly quotes, hyphens and other joiners, accented and combining letters, scripts written without spaces.
_PARTS = [*"aeiouhlnstyAEIOUZ019", *"٠١٢٣٤٥٦٧٨٩０１２３", *"'’‘ʼ‚‛“”„‟\"", *"-‐–—_.,:;/@%&+", " ", "\u00a0", "\t", "\n"]
_PARTS += [*"éÉïÏœŒßİıǅﬁǰΐẗ", "\u0301", "\u0308", "\u200d", *"北京の日本語カタカナーภาษาไทย😀👍🏽"]
_PARTS += ["l'", "qu'", "@s", "ing", "the "]
_PARTS += ["1984", "2024", "2050", "0007", "3.14", "1,000", "covid-19", "n't", "'s", "rock'n'roll", "e-mail"]
_STRINGS = st.lists(st.sampled_from(_PARTS) | st.characters(), max_size=12).map("".join)


@settings(max_examples=400, deadline=None)
@given(_STRINGS)
def test_odd_strings_answer_as_wordfreq_does(text: str) -> None:
    _agree([text])
