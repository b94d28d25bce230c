"""Where long texts are cut into blocks; blocks are the same however the text arrives (repair.edge.blocks)."""

from __future__ import annotations

import bisect
import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from repair.core.text import line_starts
from repair.edge.blocks import Block, blocks, cut, lookahead, text_blocks
from repair.edge.reporting import region_open_after

# Texts with what cuts look for: paragraph and line breaks (CRLF too), sentence ends, spaces, code fences,
# suppression markers, and characters outside ASCII.
_PIECES = st.sampled_from(
    [
        "word ",
        "spun ",
        "end. ",
        "Why? ",
        "\n",
        "\r\n",
        "\n\n",
        "\n  \n",
        "```\n",
        "~~~~\n",
        "repair: off\n",
        "repair: on\n",
        "x repair: ignore\n",
        "é",
        "’",
        "longwordwithoutspaces",
    ]
)
TEXTS = st.lists(_PIECES, max_size=60).map("".join)


def test_a_short_text_is_one_block() -> None:
    assert list(text_blocks("one line\n", 100)) == [Block("one line\n", 0)]
    assert list(text_blocks("", 100)) == [Block("", 0)]
    assert next(iter(text_blocks("x" * 100, 100))).whole


def test_cuts_prefer_paragraphs_then_lines_then_sentences_then_spaces() -> None:
    size = 40
    filler = "a" * 25
    assert cut(f"{filler}\n\nbb\ncc {'d' * 60}", size) == len(filler) + 2  # after the blank line
    assert cut(f"{filler} x\nbb. cc {'d' * 60}", size) == len(filler) + 3  # after the line break
    assert cut(f"{filler} x. bb cc{'d' * 60}", size) == len(filler) + 4  # after the sentence's space
    assert cut(f"{filler} xx bb{'d' * 60}", size) == len(filler) + 4  # after the last space
    assert cut("d" * 100, size) == size  # no space in the second half: cut at the size
    # a paragraph break in the first half is not taken: the block would be too small
    assert cut(f"aa\n\n{'b' * 20} {'c' * 60}", size) == 25


def test_a_cut_never_falls_inside_a_fence_that_starts_in_the_block_if_it_can_be_helped() -> None:
    size = 40
    text = "intro line\n```\n" + "code\n" * 10 + "```\nafter " + "x " * 40
    assert cut(text, size) == text.index("```")  # before the fence, which does not end in the block
    closed = "a" * 21 + "\n```\ncode\n```\n" + "y " * 40
    end = cut(closed, size)
    assert end >= closed.index("```\ny")  # not inside the closed fence
    long_fence = "```\n" + "code\n" * 30
    assert 0 < cut(long_fence, size) <= size  # a fence longer than a block: cut inside it after all


def test_the_last_block_of_a_long_text_gets_half_a_block_at_least() -> None:
    size = 40
    text = ("word " * 9 + "\n") * 2 + "tail\n"  # 105 characters: a cut at 40 would leave 25, then 25 more...
    parts = [b.text for b in text_blocks(text, size)]
    assert "".join(parts) == text
    assert all(len(p) >= size // 2 for p in parts)


@settings(max_examples=300, deadline=None)
@given(text=TEXTS, size=st.integers(4, 40))
def test_a_cut_reads_only_its_lookahead(text: str, size: int) -> None:
    assert cut(text, size) == cut(text[: lookahead(size)], size) if len(text) > size else cut(text, size) == len(text)
    assert 0 < cut(text, size) <= size or len(text) == 0


@settings(max_examples=300, deadline=None)
@given(text=TEXTS, size=st.integers(4, 40), splits=st.lists(st.integers(0, 2000), max_size=8))
def test_blocks_are_the_same_however_the_text_is_pieced_and_stand_where_they_are_in_it(
    text: str, size: int, splits: list[int]
) -> None:
    bounds = sorted({0, len(text), *(s % (len(text) + 1) for s in splits)})
    pieces = [text[a:b] for a, b in itertools.pairwise(bounds)]
    whole = list(text_blocks(text, size))
    assert list(blocks(pieces, size)) == whole
    assert "".join(b.text for b in whole) == text
    assert [b.index for b in whole] == list(range(len(whole)))
    assert [b.last for b in whole] == [False] * (len(whole) - 1) + [True]
    starts = line_starts(text)
    region_open, at_lines = False, True
    for b in whole:
        assert text[b.start : b.start + len(b.text)] == b.text
        assert b.text or len(whole) == 1
        line = bisect.bisect_right(starts, b.start)
        assert (b.line, b.column) == (line, b.start - starts[line - 1])
        assert b.before == text[max(0, b.start - 40) : b.start]
        assert b.after == text[b.start + len(b.text) : b.start + len(b.text) + 40]
        # A `repair: off` region runs across blocks. Markers are looked for block by block, so one cut in
        # two (only in a line longer than half a block) is not seen; at a line break the state is the whole text's.
        assert b.silenced == region_open
        at_lines = at_lines and b.column == 0
        if at_lines:  # every cut so far at a line break
            assert b.silenced == region_open_after(text[: b.start])
        region_open = region_open_after(b.text, region_open)
