"""Long texts are scanned a block at a time: where a text is cut, and the blocks of a text arriving in pieces.

Why: the engine's memory grows with the text it scans (every candidate, its evidence and
its finding are held until the text is scored), so a 50 MB file scanned whole took
gigabytes. Cut into blocks of at most `BLOCK_CHARS` characters, a file costs one block's
memory, its findings are written as each block is done, and the blocks of one large file
can be shared among worker processes (`-j N`).

What is guaranteed (tests/edge/test_blocks.py):

- A text of at most `BLOCK_CHARS` characters is one block: its findings are exactly those
  of scanning it whole. Every article, the seeds and the development pages are far shorter.
- A longer text is cut at the last paragraph break (a line holding only whitespace) in
  the second half of the block, else at the last line break there, else after the last
  sentence end, else after the last whitespace, else (no whitespace in half a block) at
  `BLOCK_CHARS`; never inside a fenced code block (```) that starts in the block, if that
  can be helped. Near the end of the text the cut leaves at least half a block for the
  last one, so every block holds at least half a block (but where a fence forbids it).
  Where the cuts fall depends on the text alone, not on how it was read, nor on the
  number of processes: the output of `-j N` is that of one process, byte for byte.
- Each block is scanned as a document of its own: its spin rate, the thesaurus gate,
  `doc=` conditions and the words around a match are the block's. A block holds 11,000 to
  22,000 words, longer than nearly any article or paper, so its spin rate is estimated
  from plenty of evidence; findings near the thresholds can still differ from a
  whole-file scan, which docs/benchmarks.md measures. Findings are then placed in the
  whole text: offsets, line, column, the context either side (and so the key) are the
  whole text's, and `repair: off` regions run across blocks as they run across lines.
  (Markers are looked for a block at a time: in a line longer than half a block, cut in
  two, one marker cut in two is not seen, and `repair: ignore` silences the part of the
  line in its own block.)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from repair.core.model import CONTEXT_CHARS
from repair.edge.reporting import region_open_after

BLOCK_CHARS = 1 << 17  # characters: the most a block holds (131,072: about 22,000 words, 50 pages)

_PARAGRAPH = re.compile(r"\n[^\S\n]*\n")
_LINE = re.compile(r"\n")
_SENTENCE = re.compile(r"[.!?][\"'\u2019\u201d)\]]*\s")
_SPACE = re.compile(r"\s")
_FENCE = re.compile(r"(?m:^[ \t]*(`{3,}|~{3,})[^\n]*\n)(?s:.*?)(?:(?P<close>(?m:^[ \t]*\1[ \t]*$))|\Z)")


@dataclass(frozen=True, slots=True)
class Block:
    """A piece of a text scanned as a document of its own, and where it stands in the whole text."""

    text: str
    start: int  # offset of its first character in the whole text
    line: int = 1  # the 1-based line its first character is on
    column: int = 0  # how many characters of that line come before it (0 unless cut inside a line)
    before: str = ""  # up to CONTEXT_CHARS of the whole text before it
    after: str = ""  # and after it
    silenced: bool = False  # it starts inside a `repair: off` region
    index: int = 0  # 0 for the first block of a text
    last: bool = True  # the text's last block

    @property
    def whole(self) -> bool:
        """The block is the whole text."""
        return self.index == 0 and self.last


def _fences(text: str, end: int) -> list[tuple[int, int]]:
    """Fenced code blocks in text[:end] as (start, end); one not closed there runs on (end = a huge number)."""
    head = text[:end]
    if "```" not in head and "~~~" not in head:
        return []
    return [(m.start(), m.end() if m.group("close") else 1 << 62) for m in _FENCE.finditer(text, 0, end)]


def lookahead(size: int) -> int:
    """How much of what is left of a text `cut` reads."""
    return size + size // 2 + 1


def cut(text: str, size: int) -> int:
    """How many characters of `text` the block starting at its beginning takes (see the module's rules).

    Only text[:lookahead(size)] is read: `text` may be the start of what is left of a
    longer text, as long as it holds that much of it (or all of it).
    """
    if len(text) <= size:
        return len(text)
    low = max(1, size // 2)
    high = min(size, min(len(text), lookahead(size)) - size // 2)  # leave the last block half a block at least
    fences = _fences(text, high)
    for pattern in (_PARAGRAPH, _LINE, _SENTENCE, _SPACE):
        ends = [m.end() for m in pattern.finditer(text, low, high)]
        for end in reversed(ends):
            if not any(a < end < b for a, b in fences):
                return end
    # Nothing outside a fence in the second half: cut where the fence that holds the end starts.
    holding = [a for a, b in fences if a < high < b]
    if holding and holding[0] > 0:
        return holding[0]
    return high


def blocks(pieces: Iterable[str], size: int | None = None) -> Iterator[Block]:
    """The blocks of the text that `pieces` make up when joined, read as they come (`size`: BLOCK_CHARS).

    At most one and a half blocks and one piece of text are held at a time, so a file read
    a piece at a time is never held whole. An empty text is one empty block.
    """
    size = size or BLOCK_CHARS
    feed = iter(pieces)
    held: list[str] = []
    pending = ""
    ended = False
    start, line, column, before, silenced, index = 0, 1, 0, "", False, 0
    while True:
        length = len(pending) + sum(map(len, held))
        while not ended and length < lookahead(size) + CONTEXT_CHARS:
            piece = next(feed, None)
            if piece is None:
                ended = True
            else:
                held.append(piece)
                length += len(piece)
        if held:
            pending = "".join([pending, *held])
            held.clear()
        end = cut(pending, size)
        text = pending[:end]
        last = ended and end == len(pending)
        yield Block(text, start, line, column, before, pending[end : end + CONTEXT_CHARS], silenced, index, last)
        if last:
            return
        breaks = text.count("\n")
        line += breaks
        column = len(text) - text.rfind("\n") - 1 if breaks else column + len(text)
        before = (before + text)[-CONTEXT_CHARS:] if len(text) < CONTEXT_CHARS else text[-CONTEXT_CHARS:]
        silenced = region_open_after(text, silenced)
        start += end
        index += 1
        pending = pending[end:]


def text_blocks(text: str, size: int | None = None) -> Iterator[Block]:
    """The blocks of a text held whole: the same blocks as `blocks` gives however the text is pieced."""
    return blocks((text,), size)
