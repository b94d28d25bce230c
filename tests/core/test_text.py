from __future__ import annotations

import pytest
import regex
from hypothesis import example, given
from hypothesis import strategies as st

from repair.core.text import (
    WORD_PATTERN,
    WORD_RE,
    carry_apostrophes,
    carry_case,
    carry_whitespace,
    is_joiner,
    line_starts,
    lowered,
    phrase_key,
    phrase_search,
    split_words,
    tokenize,
)


def test_tokens_carry_offsets_into_the_original_text() -> None:
    text = "Kyiv’s  face-to-face talks\r\nresumed."
    tokens = tokenize(text)
    assert [text[t.start : t.end] for t in tokens] == ["Kyiv’s", "face", "to", "face", "talks", "resumed"]
    assert tokens[0].norm == "kyiv's"  # curly apostrophe normalised, lower case


@given(st.text())
def test_every_token_is_a_slice_of_the_text(text: str) -> None:
    for token in tokenize(text):
        assert 0 <= token.start < token.end <= len(text)
        assert token.norm == text[token.start : token.end].lower().replace("’", "'").replace("‘", "'")


@given(st.text(alphabet=st.sampled_from("aZ9 _-'’é\t\u0301"), max_size=12))
@example("Would Possibly")
@example("a  b")
def test_phrase_keys_shortcut_for_plain_words_agrees_with_the_tokenizer(phrase: str) -> None:
    assert phrase_key(phrase) == tuple(t.norm for t in tokenize(phrase))


def test_phrase_key_treats_hyphens_like_spaces() -> None:
    assert phrase_key("Face-to-Face") == phrase_key("face to face") == ("face", "to", "face")


@pytest.mark.parametrize(
    ("gap", "ok"),
    [
        (" ", True),
        ("-", True),
        (" - ", True),
        ("\n", True),
        ("\r\n", True),
        (", ", False),
        ("\n\n", False),
        (". ", False),
    ],
)
def test_phrase_gaps(gap: str, ok: bool) -> None:
    assert is_joiner(gap) is ok


@given(st.text())
def test_the_scanner_on_lowered_text_cuts_as_tokenize_does(text: str) -> None:
    low = lowered(text)
    assert len(low) == len(text)
    fast = [(m.start(), m.end(), m.group()) for m in WORD_RE.finditer(low)]
    assert fast == [(t.start, t.end, t.norm) for t in tokenize(text)]


@given(st.text())
@example("cafe\u0301 au lait")  # a combining mark: a word character for `regex` only
@example("x\u00b2 + y\u00b2")  # superscript two: a word character for `re` only
@example("naïve “quotes” — and dashes, 東京, straße")
@example("a\ud800b c")  # a lone surrogate
@example("".join(map(chr, range(128))))
def test_split_words_agrees_with_the_regex_engine(text: str) -> None:
    low = lowered(text)
    assert split_words(low) == regex.split(f"({WORD_PATTERN})", low)


_TRICKY = st.text(alphabet="ab '’-_.\n\u0301\u00b2é1", max_size=30)


@given(_TRICKY, st.data())
@example("a'b b_a", None)
@example("ab ''ab", None)
def test_phrase_search_finds_whole_words_in_a_row(text: str, data: st.DataObject | None) -> None:
    low = lowered(text)
    words = WORD_RE.findall(low)
    joined = " " + " ".join(words) + " "
    phrases = {" ".join(words[i : i + n]) for i in range(len(words)) for n in (1, 2, 3) if i + n <= len(words)}
    if data is not None:
        phrases.add(" ".join(data.draw(st.lists(st.sampled_from(["a", "b", "ab", "a'b", "a'", "1", "é"]), min_size=1))))
    for phrase in phrases:
        assert (phrase_search(phrase).search(low) is not None) == (f" {phrase} " in joined), phrase


@pytest.mark.parametrize(
    ("source", "replacement", "expected"),
    [
        ("would possibly", "may", "may"),
        ("Would possibly", "may", "May"),
        ("SPHERICAL", "round", "ROUND"),
        ("Would Possibly Be", "may be", "May Be"),
        ("fingers", "US", "US"),
        ("Spherical", "round", "Round"),
        ("a", "x", "x"),
        # An acronym stands for a name: its expansion is written as one, not shouted ("EU officials").
        ("EU", "european", "European"),
        ("US", "united states", "United States"),
        ("USA", "us", "US"),
        ("SPHERICAL TALKS", "round talks", "ROUND TALKS"),
    ],
)
def test_carry_case(source: str, replacement: str, expected: str) -> None:
    assert carry_case(source, replacement) == expected


def test_carry_apostrophes_follows_the_document() -> None:
    assert carry_apostrophes("don't", curly=True) == "don’t"
    assert carry_apostrophes("don't", curly=False) == "don't"


def test_line_starts() -> None:
    assert line_starts("ab\ncd\n") == [0, 3, 6]
    assert line_starts("") == [0] and line_starts("\n\n") == [0, 1, 2]


@given(st.text(alphabet="a\n\r"))
def test_each_line_starts_after_a_line_break(text: str) -> None:
    assert line_starts(text) == [0, *(i + 1 for i, c in enumerate(text) if c == "\n")]


# ---------------------------------------------------------------- carry_whitespace (issue 12 point 6)

_GAPS = st.sampled_from([" ", "\n", "\r\n", "\t", "  ", "\u00a0", " \n", "\n  "])
_WORDS = st.lists(st.sampled_from(["in", "Opposition", "to", "may", "well-being", "o'clock"]), min_size=1, max_size=5)


@st.composite
def _phrase(draw: st.DrawFn, gaps: st.SearchStrategy[str] = _GAPS) -> str:
    words = draw(_WORDS)
    return words[0] + "".join(draw(gaps) + w for w in words[1:])


def _breaks(text: str) -> int:
    return len(text.splitlines()) - 1 + text.endswith(("\n", "\r"))


@pytest.mark.parametrize(
    ("spun", "replacement", "flags", "expected"),
    [
        ("in opposition to", "against", {}, "against"),
        ("in opposition\nto", "against", {}, "\nagainst"),
        ("in opposition\nto", "against", {"at_line_start": True}, "against\n"),
        ("in opposition\r\nto", "against", {}, "\r\nagainst"),
        ("in\nopposition to", "against the odds", {}, "against\nthe odds"),
        ("a b\r\nc", "x y", {}, "x\r\ny"),
        ("would\npossibly", "may", {"at_line_start": True, "at_line_end": True}, "may"),
        ("a\tb", "x  y", {}, "x\ty"),
        ("a b", "x  y", {}, "x  y"),  # single spaces: the replacement as it is
    ],
)
def test_carry_whitespace(spun: str, replacement: str, flags: dict[str, bool], expected: str) -> None:
    assert carry_whitespace(spun, replacement, **flags) == expected


@given(_phrase(), _phrase(st.just(" ")), st.booleans(), st.booleans())
def test_carry_whitespace_keeps_words_and_line_breaks(spun: str, replacement: str, first: bool, last: bool) -> None:
    carried = carry_whitespace(spun, replacement, at_line_start=first, at_line_end=last)
    assert carried.split() == replacement.split()  # never a word changed
    lost = _breaks(spun) - _breaks(carried)
    slots = len(replacement.split()) - 1
    assert 0 <= lost <= max(0, _breaks(spun) - slots - (not first) - (not last))  # only a line of its own loses one
    if "\n" not in spun.replace("\r\n", ""):
        assert "\n" not in carried.replace("\r\n", "")  # CRLF stays CRLF
    assert not (first and carried[:1] in "\r\n" and carried)  # no blank line before a span that starts a line
    assert not (last and carried[-1:] in "\r\n" and carried)
    assert carry_whitespace(spun, carried, at_line_start=first, at_line_end=last) == carried  # stable
