from __future__ import annotations

import pytest

from repair.core.packed import SortedMap, SortedStrings

WORDS = ["b", "d", "dd", "café", "cafe", "😀", "北京", "z z"]


def test_sorted_strings_find_every_string_and_nothing_else() -> None:
    strings = SortedStrings.of([*WORDS, "b"])
    assert len(strings) == len(WORDS)
    assert list(strings) == sorted(WORDS)  # UTF-8 order is the characters' order
    for rank, word in enumerate(sorted(WORDS)):
        assert strings.index(word) == rank and strings[rank] == word
    for other in ("", "a", "c", "ddd", "e", "caf", "zz", "😁", "北"):
        assert strings.index(other) is None
    assert SortedStrings(*strings.parts()).index("dd") == strings.index("dd")


def test_sorted_map_answers_as_a_dict_does() -> None:
    items = [(w, f"{i} {w!a}") for i, w in enumerate(WORDS)] + [("b", "last")]
    plain = dict(items)
    packed = SortedMap(items)
    assert packed == plain and len(packed) == len(plain) and sorted(packed) == sorted(plain)
    for key in [*WORDS, "", "a", "ddd"]:
        assert packed.get(key) == plain.get(key) and (key in packed) == (key in plain)
    with pytest.raises(KeyError):
        packed["a"]
    with pytest.raises(TypeError):
        packed["b"] = "x"  # type: ignore[index]
    with pytest.raises(ValueError):
        SortedMap([("k", "é")])
