"""Plain text, Markdown and HTML read as the prose a scanner should see, and fixed in place.

A `ProseDocument` pairs the file as read (`source`) with the text the scanner sees
(`text`), cut into segments that map one onto the other:

- TEXT: prose copied verbatim from the source (view offsets map one to one);
- ATOM: prose written differently in the source: an HTML entity (`&amp;` reads `&`),
  a Markdown escape (`\\*` reads `*`), a CRLF line break (reads `\\n`). An edit may
  swallow an atom whole but never start or end inside one;
- BARRIER: what must never change, shown to the scanner as `BARRIER` (U+FFFC, inline:
  code, a URL, an image) or as a line break (a block boundary, `<br>`); it ends any
  phrase (the engine joins words over spaces, a hyphen or one line break only), and no
  edit may cross it.

Markup that sits *inside* a sentence (`<em>`, `*`, a link's `](target)`) is left out of
the view without a barrier, so "in <em>opposition</em> to" reads "in opposition to":
the phrase is matched, but an edit over it is refused, because the source between
its words is not plain whitespace. A scanner reports such a finding as flag-only.

Scan `doc.text`; turn each finding into `Edit(start, end, spun, replacement)` in view
offsets; `doc.apply(edits)` returns the fixed source, bytes outside the edited spans
untouched, and the edits it refused with the reason. `doc.source_offset(i)` gives the
source offset of a view offset, for line and column numbers.
"""

from __future__ import annotations

import bisect
import enum
import html
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from repair.core.model import Edit, StaleEditError
from repair.core.protect import protected_spans
from repair.edge.prose import Format, format_for

__all__ = ["Format", "ProseDocument", "format_for", "protected_spans", "read", "read_plain"]

BARRIER = "\ufffc"  # stands in the view for protected inline content
LINE_BREAK = "\n"
BLOCK_BREAK = "\n\n"


class Kind(enum.Enum):
    TEXT = "text"
    ATOM = "atom"
    BARRIER = "barrier"


@dataclass(frozen=True, slots=True)
class Segment:
    """View [view_start, view_end) stands for source [src_start, src_end)."""

    view_start: int
    view_end: int
    src_start: int
    src_end: int
    kind: Kind


class EditRefused(ValueError):
    """The edit would touch markup, protected text or cut an entity."""


@dataclass(frozen=True, slots=True)
class MarkupFix:
    text: str  # the new source
    applied: tuple[Edit, ...]
    refused: tuple[tuple[Edit, str], ...]  # each with the reason


# ---------------------------------------------------------------------------------------
# The document


@dataclass(frozen=True, slots=True)
class Piece:
    src_start: int
    src_end: int
    text: str
    kind: Kind


class ProseDocument:
    """A file as read, the prose view of it, and the map between the two."""

    def __init__(self, source: str, pieces: Iterable[Piece], fmt: Format, skipped: Sequence[tuple[int, int]] = ()):
        self.source = source
        self.format: Format = fmt
        self.skipped = tuple(skipped)  # source ranges that could not be mapped, so are left alone
        self.segments, self.text = _finalize(pieces)
        self._starts = [s.view_start for s in self.segments]

    def __repr__(self) -> str:
        return f"ProseDocument({self.format}, {len(self.source)} chars, {len(self.segments)} segments)"

    def prose_spans(self) -> list[tuple[int, int]]:
        """Source ranges of the prose (TEXT and ATOM segments), merged where they touch."""
        spans: list[tuple[int, int]] = []
        for seg in self.segments:
            if seg.kind is Kind.BARRIER or seg.src_start == seg.src_end:
                continue
            if spans and spans[-1][1] == seg.src_start:
                spans[-1] = (spans[-1][0], seg.src_end)
            else:
                spans.append((seg.src_start, seg.src_end))
        return spans

    def _segment_at(self, view_offset: int) -> int:
        return bisect.bisect_right(self._starts, view_offset) - 1

    def source_offset(self, view_offset: int) -> int:
        """The source offset of a view offset (the start of an atom or barrier it falls in)."""
        if not self.segments or view_offset >= len(self.text):
            return len(self.source) if view_offset >= len(self.text) else 0
        seg = self.segments[self._segment_at(view_offset)]
        if seg.kind is Kind.TEXT:
            return seg.src_start + view_offset - seg.view_start
        return seg.src_start

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """The source range that view [start, end) was read from, markup between its ends included."""
        if start >= end:
            return self.source_offset(start), self.source_offset(start)
        seg = self.segments[self._segment_at(end - 1)]
        last = seg.src_start + end - seg.view_start if seg.kind is Kind.TEXT else seg.src_end
        return self.source_offset(start), last

    def locate(self, start: int, end: int) -> tuple[int, int]:
        """The source range an edit of view [start, end) replaces; raises EditRefused."""
        if not 0 <= start < end <= len(self.text):
            raise EditRefused(f"span {start}-{end} is empty or outside the text")
        first, last = self._segment_at(start), self._segment_at(end - 1)
        segs = self.segments[first : last + 1]
        if any(s.kind is Kind.BARRIER for s in segs):
            raise EditRefused("crosses protected text or a block boundary")
        a, b = segs[0], segs[-1]
        if (a.kind is Kind.ATOM and start != a.view_start) or (b.kind is Kind.ATOM and end != b.view_end):
            raise EditRefused("would cut an entity or escape")
        for left, right in itertools.pairwise(segs):
            gap = self.source[left.src_end : right.src_start]
            if gap and not gap.isspace():
                raise EditRefused(f"crosses markup {gap[:20]!r}")
        src_start = a.src_start + (start - a.view_start if a.kind is Kind.TEXT else 0)
        src_end = b.src_start + (end - b.view_start) if b.kind is Kind.TEXT else b.src_end
        if self.format == "html" and "<" in self.source[src_start:src_end]:
            raise EditRefused("would touch a '<'")  # belt and braces: never near a tag
        return src_start, src_end

    def escape(self, replacement: str) -> str:
        """The replacement as it must be written in this format."""
        if self.format == "html":
            return html.escape(replacement, quote=False)
        if self.format == "markdown":
            return MD_SPECIAL.sub(r"\\\g<0>", replacement)
        return replacement

    def apply(self, edits: Iterable[Edit]) -> MarkupFix:
        """Apply the edits that can be applied; stale or overlapping edits raise."""
        placed: list[tuple[int, int, str, Edit]] = []
        refused: list[tuple[Edit, str]] = []
        for edit in edits:
            if self.text[edit.start : edit.end] != edit.expected:
                raise StaleEditError(f"text at {edit.start}-{edit.end} is not {edit.expected!r}")
            try:
                s, e = self.locate(edit.start, edit.end)
            except EditRefused as exc:
                refused.append((edit, str(exc)))
                continue
            placed.append((s, e, self.escape(edit.replacement), edit))
        placed.sort(key=lambda p: (p[0], p[1]))
        for (_, e1, _, x), (s2, _, _, y) in itertools.pairwise(placed):
            if s2 < e1:
                raise ValueError(f"edits overlap: {x} and {y}")
        out: list[str] = []
        cursor = 0
        for s, e, rep, _ in placed:
            out += (self.source[cursor:s], rep)
            cursor = e
        out.append(self.source[cursor:])
        return MarkupFix("".join(out), tuple(p[3] for p in placed), tuple(refused))


def _finalize(pieces: Iterable[Piece]) -> tuple[tuple[Segment, ...], str]:
    runs: list[tuple[int, int, list[str], Kind]] = []  # texts kept in lists: merging is linear
    for p in pieces:
        if not p.text:
            continue
        if runs:
            start, end, texts, kind = runs[-1]
            if p.kind is Kind.TEXT and kind is Kind.TEXT and end == p.src_start:
                texts.append(p.text)
                runs[-1] = (start, p.src_end, texts, kind)
                continue
            if p.kind is Kind.BARRIER and kind is Kind.BARRIER:
                strongest = max(texts[0], p.text, key=lambda t: (t.count("\n"), len(t)))
                runs[-1] = (start, p.src_end, [strongest], kind)
                continue
        runs.append((p.src_start, p.src_end, [p.text], p.kind))
    segments: list[Segment] = []
    view: list[str] = []
    pos = 0
    for start, end, texts, kind in runs:
        text = "".join(texts)
        segments.append(Segment(pos, pos + len(text), start, end, kind))
        view.append(text)
        pos += len(text)
    return tuple(segments), "".join(view)


def _mask(doc: ProseDocument) -> list[Piece]:
    """The document's pieces with the protected spans of its view turned into barriers."""
    spans = protected_spans(doc.text)
    pieces: list[Piece] = []
    k = 0
    for seg in doc.segments:
        text = doc.text[seg.view_start : seg.view_end]
        while k < len(spans) and spans[k].end <= seg.view_start:
            k += 1
        cuts = [(max(s.start, seg.view_start), min(s.end, seg.view_end)) for s in spans[k:] if s.start < seg.view_end]
        if not cuts or seg.kind is Kind.BARRIER:
            pieces.append(Piece(seg.src_start, seg.src_end, text, seg.kind))
            continue
        if seg.kind is Kind.ATOM:
            pieces.append(Piece(seg.src_start, seg.src_end, BARRIER, Kind.BARRIER))
            continue
        at = seg.view_start
        for a, b in cuts:
            if a > at:
                pieces.append(
                    Piece(
                        seg.src_start + at - seg.view_start,
                        seg.src_start + a - seg.view_start,
                        doc.text[at:a],
                        Kind.TEXT,
                    )
                )
            src_a = seg.src_start + a - seg.view_start
            pieces.append(Piece(src_a, seg.src_start + b - seg.view_start, BARRIER, Kind.BARRIER))
            at = b
        if at < seg.view_end:
            pieces.append(
                Piece(seg.src_start + at - seg.view_start, seg.src_end, doc.text[at : seg.view_end], Kind.TEXT)
            )
    return pieces


def protect(
    source: str, pieces: Iterable[Piece], fmt: Format, skipped: Sequence[tuple[int, int]] = ()
) -> ProseDocument:
    raw = ProseDocument(source, pieces, fmt, skipped)
    return ProseDocument(source, _mask(raw), fmt, skipped)


# ---------------------------------------------------------------------------------------
# Plain text: URLs, e-mail addresses, handles, code and paths are protected


MD_SPECIAL = re.compile(r"[\\`*_\[\]<>&|~]")


def read_plain(source: str) -> ProseDocument:
    return protect(source, [Piece(0, len(source), source, Kind.TEXT)], "text")


# ---------------------------------------------------------------------------------------


def read(source: str, fmt: Format) -> ProseDocument:
    """The prose view of `source` read as `fmt` (the Markdown parser loads only for Markdown)."""
    if fmt == "html":
        from repair.edge.markup_html import read_html

        return read_html(source)
    if fmt == "markdown":
        from repair.edge.markup_markdown import read_markdown

        return read_markdown(source)
    return read_plain(source)
