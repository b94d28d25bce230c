from __future__ import annotations

import random

import wordfreq

from repair.core import frequencies

ODD = ["the", "in opposition to", "don't", "covid-19", "2024", "3.14", "New York", "xqzzy", "", "  ", "café", "naïve"]
ODD += ["TikTok", "the 1990s", "e-mail", "rock'n'roll", "U.S.", "100%", "北京", "😀", "squaddies", "it's"]


def test_the_compact_table_answers_as_wordfreq_does() -> None:
    known = wordfreq.get_frequency_dict("en")
    words = random.Random(13).sample(sorted(known), 3000) + ODD
    table = frequencies.table()
    for word in words:
        assert table.get(word) == known.get(word), word
        assert frequencies.token_frequency(word) == known.get(word, 0.0), word
        assert frequencies.word_frequency(word) == wordfreq.word_frequency(word, "en"), word
        assert frequencies.zipf_frequency(word) == wordfreq.zipf_frequency(word, "en"), word
