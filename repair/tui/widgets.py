"""Widgets of the review app: the document view, the finding panel and the progress line."""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.cells import get_character_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Static

from repair.core.model import Finding
from repair.edge.decisions import Action
from repair.review.session import ReviewSession

# Control characters (tabs included) are shown as one space, so a character offset
# in the text is also a cell offset within its row on the fast path.
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")
# Characters that might not be exactly one cell wide; rows holding one are measured slowly.
_MAYBE_NOT_NARROW = re.compile(r"[^\n\x20-\x7e\u00a0-\u02ff\u0370-\u052f\u2010-\u2027\u2030-\u205e\u20a0-\u20c0]")

HIGH, MEDIUM = 0.8, 0.5  # confidence bands for colouring


def display_text(text: str) -> str:
    return _CONTROL.sub(" ", text)


def wrap_rows(text: str, width: int) -> tuple[list[int], list[int]]:
    """Soft-wrap `text` (as returned by display_text) into rows of at most `width` cells.

    Returns the start and end offsets of every row. Rows break after a space where
    one exists (the space is not shown) and mid-word otherwise. Only the rows on
    screen are ever rendered, so this is the one pass over the whole text.
    """
    width = max(1, width)
    starts: list[int] = []
    ends: list[int] = []
    size = len(text)
    pos = 0
    while True:
        newline = text.find("\n", pos)
        line_end = size if newline == -1 else newline
        if _MAYBE_NOT_NARROW.search(text, pos, line_end):
            _wrap_measured(text, pos, line_end, width, starts, ends)
        else:
            start = pos
            while line_end - start > width:
                cut = text.rfind(" ", start + 1, start + width + 1)
                if cut == -1:
                    starts.append(start)
                    ends.append(start + width)
                    start += width
                else:
                    starts.append(start)
                    ends.append(cut)
                    start = cut + 1
            starts.append(start)
            ends.append(line_end)
        if newline == -1 or newline + 1 == size:
            break
        pos = newline + 1
    return starts, ends


def _wrap_measured(text: str, pos: int, line_end: int, width: int, starts: list[int], ends: list[int]) -> None:
    """wrap_rows for one line holding characters that may be wide (or of zero width)."""
    start, used, last_space = pos, 0, -1
    i = pos
    while i < line_end:
        ch = text[i]
        cells = get_character_cell_size(ch)
        if used + cells > width and i > start:
            if ch == " ":  # the row is full just before a space: break there and hide it
                cut, resume = i, i + 1
            elif last_space > start:
                cut, resume = last_space, last_space + 1
            else:
                cut, resume = i, i
            starts.append(start)
            ends.append(cut)
            start, last_space = resume, -1
            used = sum(get_character_cell_size(c) for c in text[resume:i])
            i = max(i, resume)
            continue
        if ch == " ":
            last_space = i
        used += cells
        i += 1
    starts.append(start)
    ends.append(line_end)


class DocumentView(ScrollView, can_focus=False):
    """The document, soft-wrapped, with every finding highlighted in place.

    A Line API widget: it renders only the rows on screen, finding the highlights
    of a row by bisecting the session's sorted finding offsets.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "document-view--auto",
        "document-view--choose",
        "document-view--flag",
        "document-view--high",
        "document-view--medium",
        "document-view--low",
        "document-view--accepted",
        "document-view--edited",
        "document-view--rejected",
        "document-view--current",
    }

    @dataclass
    class FindingClicked(Message):
        """The reviewer clicked on a highlighted finding."""

        index: int

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.session: ReviewSession | None = None
        self.current: int | None = None
        self.colour_by = "safety"  # or "confidence"
        self._text = ""
        self._starts: list[int] = [0]
        self._ends: list[int] = [0]
        self._wrapped_at = -1

    # ------------------------------------------------------------ content

    def show(self, text: str, session: ReviewSession | None) -> None:
        """Display a document (and, once it is scanned, its session)."""
        if session is not None:
            text = session.text
        new_text = display_text(text)
        if new_text != self._text:
            self._text = new_text
            self._wrapped_at = -1
            self.scroll_to(0, 0, animate=False, immediate=True)
        self.session = session
        self.current = session.current_index if session is not None else None
        self._rewrap()
        self.refresh()

    @property
    def row_count(self) -> int:
        return len(self._starts)

    def row_of(self, offset: int) -> int:
        return max(0, bisect.bisect_right(self._starts, offset) - 1)

    def _rewrap(self) -> None:
        width = self.scrollable_content_region.width
        if width <= 0 or width == self._wrapped_at:
            return
        top_offset = self._starts[min(int(self.scroll_y), len(self._starts) - 1)] if self._wrapped_at > 0 else 0
        self._starts, self._ends = wrap_rows(self._text, width)
        self._wrapped_at = width
        self.virtual_size = Size(width, len(self._starts))
        if top_offset:
            self.scroll_to(y=self.row_of(top_offset), animate=False, immediate=True)

    def on_resize(self, event: events.Resize) -> None:
        self._rewrap()
        self.reveal()

    def set_current(self, index: int | None, *, full: bool = False) -> None:
        """Move the highlight to finding `index`, repainting only the rows that change
        unless `full` (many findings changed) or the view has to scroll."""
        previous, self.current = self.current, index
        if self.reveal() or full or self.session is None:
            self.refresh()
            return
        for i in {previous, index}:
            if i is not None and i < len(self.session.findings):
                first, last = self._rows_of(self.session.findings[i])
                self.refresh_lines(first, last - first + 1)

    def _rows_of(self, finding: Finding) -> tuple[int, int]:
        return self.row_of(finding.start), self.row_of(max(finding.start, finding.end - 1))

    def reveal(self) -> bool:
        """Scroll so the current finding is on screen (a third of the way down when it was not);
        True when it scrolled."""
        if self.session is None or self.current is None:
            return False
        first, last = self._rows_of(self.session.findings[self.current])
        top, height = int(self.scroll_y), self.scrollable_content_region.height
        if height <= 0 or (first >= top and last < top + height):
            return False
        self.scroll_to(y=max(0, first - height // 3), animate=False, immediate=True)
        return True

    # ------------------------------------------------------------ rendering

    def _style_for(self, index: int, finding: Finding, base: Style) -> Style:
        assert self.session is not None
        decision = self.session.decisions.get(index)
        if decision is not None:
            name = {Action.ACCEPT: "accepted", Action.EDIT: "edited", Action.REJECT: "rejected"}[decision.action]
        elif self.colour_by == "confidence":
            c = finding.confidence
            name = "high" if c >= HIGH else "medium" if c >= MEDIUM else "low"
        else:
            name = finding.safety.value
        style = base + self.get_component_rich_style(f"document-view--{name}", partial=True)
        if index == self.current:
            style += self.get_component_rich_style("document-view--current", partial=True)
        return style

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        row = int(self.scroll_y) + y
        if row >= len(self._starts):
            return Strip.blank(width, base)
        start, end = self._starts[row], self._ends[row]
        text = self._text
        segments: list[Segment] = []
        pos = start
        session = self.session
        if session is not None:
            findings = session.findings
            for index in session.findings_between(start, end):
                finding = findings[index]
                a, b = max(finding.start, start), min(finding.end, end)
                if a > pos:
                    segments.append(Segment(text[pos:a], base))
                segments.append(Segment(text[a:b], self._style_for(index, finding, base)))
                pos = b
        if pos < end:
            segments.append(Segment(text[pos:end], base))
        return Strip(segments).crop_extend(0, width, base)

    # ------------------------------------------------------------ mouse

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or self.session is None:
            return
        row = int(self.scroll_y) + offset.y
        if row >= len(self._starts):
            return
        position = self._starts[row] + offset.x
        if position >= self._ends[row]:
            return
        hits = self.session.findings_between(position, position + 1)
        if hits:
            self.post_message(self.FindingClicked(hits[0]))


def clip_parts(parts: Sequence[tuple[str, str]], capacity: int) -> list[tuple[str, str]]:
    """Cut (text, kind) parts to at most about `capacity` characters around the "fix" part, marking cuts with "…"."""
    total = sum(len(t) for t, _ in parts)
    if total <= capacity:
        return list(parts)
    fix_at = fix_len = 0
    position = 0
    for text, kind in parts:
        if kind == "fix":
            fix_at, fix_len = position, len(text)
            break
        position += len(text)
    low = max(0, min(fix_at - (capacity - fix_len) // 3, total - capacity))
    high = low + capacity
    clipped: list[tuple[str, str]] = []
    position = 0
    for text, kind in parts:
        start, end = max(low, position), min(high, position + len(text))
        if start < end:
            clipped.append((text[start - position : end - position], kind))
        position += len(text)
    if low > 0:
        clipped.insert(0, ("…", "text"))
    if high < total:
        clipped.append(("…", "text"))
    return clipped


class FindingPanel(Vertical, can_focus=False):
    """The current finding: spun text, numbered suggestions, confidence, safety, reason, and
    the sentence with the fix applied.

    Its two parts have sizes fixed by the stylesheet, never by their text, so a key press
    repaints them without a layout pass (which would cost more than everything else).
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._shown: ReviewSession | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="finding-body")
        yield Static(id="finding-preview")

    def on_resize(self, event: events.Resize) -> None:
        if self._shown is not None:  # the preview is clipped to the space it has
            self.show_finding(self._shown)

    def _set(self, body: Content, preview: Content | None = None) -> None:
        self.query_one("#finding-body", Static).update(body, layout=False)
        widget = self.query_one("#finding-preview", Static)
        widget.update(preview or "", layout=False)
        if widget.display != (preview is not None):
            widget.display = preview is not None

    @property
    def text(self) -> str:
        """What the panel says, as plain text."""
        return "\n".join(str(w.render()) for w in self.query(Static) if w.display)

    def show_message(self, message: str) -> None:
        self._shown = None
        self._set(Content(message))

    def show_finding(self, session: ReviewSession) -> None:
        self._shown = session
        index = session.current_index
        if index is None:
            if session.findings:
                self.show_message(f"No finding matches the filter ({session.filter.describe()}); press f to change it.")
            else:
                self.show_message("No spun phrasing was found in this document. Nothing to review.")
            return
        finding = session.findings[index]
        decision = session.decisions.get(index)
        lines = [
            Content.assemble(
                (f"{session.position + 1}/{len(session.queue)} ", "$text-muted"),
                (finding.spun, "bold"),
                (f"  line {finding.line}:{finding.column}", "$text-muted"),
            )
        ]
        if finding.suggestions:
            for number, suggestion in enumerate(finding.suggestions[:9], 1):
                chosen = decision is not None and decision.replacement == suggestion
                style = "bold $text-success underline" if chosen else "$text-success"
                lines.append(Content.assemble((f"{number} ", "$text-muted"), (suggestion, style)))
        else:
            lines.append(Content.styled("no suggestion (flag only): e to type one", "italic"))
        if decision is None:
            state = Content("undecided")
        elif decision.action is Action.REJECT:
            state = Content.styled("rejected", "bold")
        else:
            verb = "accepted" if decision.action is Action.ACCEPT else "edited"
            state = Content.assemble((verb, "bold"), f" → {decision.replacement}")
        lines.append(
            Content.assemble((f"confidence {finding.confidence:.2f} · {finding.safety.value} · ", "$text-muted"), state)
        )
        if finding.reason:
            lines.append(Content.styled(finding.reason, "italic $text-muted"))
        roomy = self.query_one("#finding-body").size.height >= 12  # tall: a blank line under the heading
        body = Content("\n").join(lines[:1] + ([Content("")] if roomy else []) + lines[1:])
        area = self.query_one("#finding-preview").size
        # word wrap wastes some of each row; before the first layout there is no size: clip nothing yet
        capacity = area.width * area.height * 4 // 5 if area.area else 10_000
        preview = Content.assemble(
            *(
                (text, {"fix": "bold reverse", "fixed": "underline"}.get(kind, ""))
                for text, kind in clip_parts(session.preview(index).parts, capacity)
            )
        )
        self._set(body, preview)


class ProgressLine(Static):
    """One line: the file, the progress counts and the filter."""

    def show(self, text: str) -> None:
        self.update(text, layout=False)  # always one line high: no layout pass needed
