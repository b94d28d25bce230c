"""A review session without any UI: the queue of findings, decisions, undo, saving.

The Textual app (`repair.tui`) is a thin view over `ReviewSession`; everything it
can do is a method here, so the whole review can be driven and tested without a
terminal. This module imports no Textual (a test checks it).

Each decision is written to the document's decisions file the moment it is made
(see `repair.edge.decisions`), so a crash, a killed terminal or a quit loses nothing and
reopening the document resumes where the reviewer stopped.
"""

from __future__ import annotations

import bisect
import os
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from repair.core.engine import apply_edits
from repair.core.model import Edit, Entry, Finding, Safety
from repair.core.text import phrase_key
from repair.edge import decisions as store_mod
from repair.edge.decisions import Action, Decision, DecisionStore
from repair.edge.documents import Document, atomic_write_bytes, file_mode
from repair.edge.fixing import write_in_place
from repair.edge.userdata import UserData

SENTENCE_ENDS = ".!?\n"
PREVIEW_REACH = 240  # characters either side at most, for run-on "sentences"


class ReviewError(Exception):
    """An action that cannot be done right now; the message is shown to the reviewer."""


@dataclass(frozen=True, slots=True)
class ReviewFilter:
    """Which findings the queue shows."""

    min_confidence: float = 0.0
    safeties: frozenset[Safety] = frozenset(Safety)

    def accepts(self, finding: Finding) -> bool:
        return finding.safety in self.safeties and finding.confidence >= self.min_confidence

    def describe(self) -> str:
        parts = []
        if self.min_confidence > 0:
            parts.append(f"confidence ≥ {self.min_confidence:.2f}")
        if self.safeties != frozenset(Safety):
            parts.append("/".join(s.value for s in Safety if s in self.safeties) or "no safety class")
        return ", ".join(parts) or "all findings"


@dataclass(frozen=True, slots=True)
class Progress:
    total: int
    reviewed: int
    accepted: int
    edited: int
    rejected: int

    @property
    def remaining(self) -> int:
        return self.total - self.reviewed

    def __str__(self) -> str:
        text = f"{self.reviewed} of {self.total} reviewed · {self.accepted} accepted"
        if self.edited:
            text += f" · {self.edited} edited"
        return text + f" · {self.rejected} rejected"


@dataclass(frozen=True, slots=True)
class Change:
    line: int
    column: int
    spun: str
    replacement: str
    action: Action


@dataclass(frozen=True, slots=True)
class Preview:
    """The sentence around a finding with its fix (and other decided fixes) applied.

    `parts` are (text, kind): kind "text" is unchanged text, "fix" is the current
    finding's replacement (or its spun text when there is none), "fixed" another
    finding's accepted replacement.
    """

    parts: tuple[tuple[str, str], ...]

    @property
    def text(self) -> str:
        return "".join(t for t, _ in self.parts)


@dataclass(frozen=True, slots=True)
class SaveResult:
    path: Path
    changes: int
    backup: Path | None = None  # saving in place: where the original is kept (NAME.EXT.bak, never replaced)


@dataclass
class _Step:
    """One undoable action: the decisions it replaced and the user data it touched."""

    label: str
    previous: list[tuple[int, Decision | None]]
    cursor: int
    ignored: str | None = None  # added to the ignore list
    entry: tuple[str, Entry | None] | None = None  # (spun key, the user entry before) when one was saved


class ReviewSession:
    """One document under review."""

    def __init__(
        self,
        document: Document,
        findings: Iterable[Finding],
        *,
        store: DecisionStore | None = None,
        output: Path | None = None,
        in_place: bool = False,
        userdata: UserData | None = None,
        review_filter: ReviewFilter = ReviewFilter(),
    ) -> None:
        self.document = document
        self.text = document.text
        self.findings: tuple[Finding, ...] = tuple(sorted(findings, key=lambda f: (f.start, f.end)))
        self.starts = [f.start for f in self.findings]
        self.ends = [f.end for f in self.findings]
        self.slots = store_mod.slots(self.findings)
        self.store = store if store is not None else DecisionStore(None)
        self.output = output
        self.in_place = in_place
        self.userdata = userdata
        self.decisions: dict[int, Decision] = store_mod.match(self.findings, self.store.decisions)
        self._counts: Counter[Action] = Counter(d.action for d in self.decisions.values())
        self._undo: list[_Step] = []
        self.filter = review_filter
        self.queue: list[int] = self._build_queue()
        self.position = 0
        self.resumed = bool(self.decisions)
        self._resume()
        self.saved_to: Path | None = None
        self.backup: Path | None = None
        self._on_disk: bytes | None = None  # what an in-place save wrote last (None: the document as read)
        self.dirty = bool(self.decisions) and not self._output_is_current()

    # ------------------------------------------------------------ state

    @property
    def name(self) -> str:
        return self.document.path

    @property
    def current_index(self) -> int | None:
        return self.queue[self.position] if self.queue else None

    @property
    def current(self) -> Finding | None:
        index = self.current_index
        return None if index is None else self.findings[index]

    def decision(self, index: int) -> Decision | None:
        return self.decisions.get(index)

    @property
    def progress(self) -> Progress:
        c = self._counts
        return Progress(len(self.findings), len(self.decisions), c[Action.ACCEPT], c[Action.EDIT], c[Action.REJECT])

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    def findings_between(self, start: int, end: int) -> range:
        """Indices of the findings overlapping text[start:end] (findings never overlap each other)."""
        first = bisect.bisect_right(self.ends, start)
        last = bisect.bisect_left(self.starts, end, lo=first)
        return range(first, last)

    # ------------------------------------------------------------ moving

    def next(self) -> bool:
        if self.position + 1 >= len(self.queue):
            return False
        self.position += 1
        return True

    def previous(self) -> bool:
        if self.position == 0:
            return False
        self.position -= 1
        return True

    def goto(self, index: int) -> bool:
        """Make finding `index` current, if the filter shows it."""
        pos = bisect.bisect_left(self.queue, index)
        if pos < len(self.queue) and self.queue[pos] == index:
            self.position = pos
            return True
        return False

    def next_undecided(self) -> bool:
        """Move to the next undecided finding after the current one, wrapping round."""
        n = len(self.queue)
        for step in range(1, n + 1):
            pos = (self.position + step) % n
            if self.queue[pos] not in self.decisions:
                self.position = pos
                return True
        return False

    def set_filter(self, review_filter: ReviewFilter) -> None:
        """Show only what `review_filter` accepts, keeping the place as near as possible."""
        here = self.current_index
        self.filter = review_filter
        self.queue = self._build_queue()
        self.position = 0
        if here is not None and self.queue:
            self.position = min(bisect.bisect_left(self.queue, here), len(self.queue) - 1)

    def _build_queue(self) -> list[int]:
        accepts = self.filter.accepts
        return [i for i, f in enumerate(self.findings) if accepts(f)]

    def _resume(self) -> None:
        """Start after the most recent saved decision, at the next undecided finding."""
        if not self.decisions or not self.queue:
            return
        latest = max(self.decisions, key=lambda i: (self.decisions[i].time, i))
        self.position = min(bisect.bisect_left(self.queue, latest), len(self.queue) - 1)
        if self.queue[self.position] in self.decisions:
            self.next_undecided()

    # ------------------------------------------------------------ deciding

    def require_current(self) -> tuple[int, Finding]:
        """The current finding and its index; ReviewError (saying why) when there is none."""
        index = self.current_index
        if index is None:
            raise ReviewError("no finding to decide" if self.findings else "no spun phrasing was found")
        return index, self.findings[index]

    def accept(self, choice: int = 0) -> Finding:
        """Accept suggestion `choice` (0 = the first) for the current finding."""
        index, finding = self.require_current()
        if not finding.suggestions:
            raise ReviewError("this finding has no suggestion: press e to type a replacement, or r to reject")
        if not 0 <= choice < len(finding.suggestions):
            raise ReviewError(f"there is no suggestion {choice + 1} (this finding has {len(finding.suggestions)})")
        self._decide([index], Action.ACCEPT, [finding.suggestions[choice]], f"accept {finding.spun!r}")
        self.next_undecided()
        return finding

    def reject(self, always: bool = False) -> Finding:
        """Reject the current finding; `always` also adds its rule to the user ignore list
        and rejects every undecided finding of that rule in this document."""
        index, finding = self.require_current()
        indices = [index]
        ignored = None
        if always:
            if self.userdata is None:
                raise ReviewError("no user data folder: cannot remember the rejection")
            if self.userdata.add_ignore(finding.rule):
                ignored = finding.rule
            indices += [
                i
                for i, f in enumerate(self.findings)
                if f.rule == finding.rule and i != index and i not in self.decisions
            ]
        label = f"reject {finding.spun!r}" + (" always" if always else "")
        self._decide(indices, Action.REJECT, [""] * len(indices), label, ignored=ignored)
        self.next_undecided()
        return finding

    def edit(self, replacement: str, remember: bool = False) -> Finding:
        """Replace the current finding by the reviewer's own text; `remember` saves it to the user wordlist."""
        index, finding = self.require_current()
        if not replacement.strip():
            raise ReviewError("type a replacement (or press r to reject)")
        if replacement == finding.spun:
            raise ReviewError("that is the text as it stands: press r to reject instead")
        entry = None
        if remember:
            if self.userdata is None:
                raise ReviewError("no user data folder: cannot save the wordlist entry")
            key = " ".join(phrase_key(finding.spun))
            before = self.userdata.find_entry(finding.spun)
            if self.userdata.add_entry(finding.spun, replacement, finding.safety) is not None:
                entry = (key, before)
        self._decide([index], Action.EDIT, [replacement], f"edit {finding.spun!r}", entry=entry)
        self.next_undecided()
        return finding

    def accept_all_candidates(self) -> list[int]:
        """What `accept_all` would accept: undecided findings shown by the filter
        (so at or above its confidence threshold) that have a suggestion and are not flag-only."""
        return [
            i
            for i in self.queue
            if i not in self.decisions and self.findings[i].suggestions and self.findings[i].safety is not Safety.FLAG
        ]

    def accept_all(self) -> int:
        indices = self.accept_all_candidates()
        if indices:
            replacements = [self.findings[i].suggestions[0] for i in indices]
            self._decide(indices, Action.ACCEPT, replacements, f"accept {len(indices)} remaining")
            self.goto(indices[-1])
        return len(indices)

    def undo(self) -> str | None:
        """Undo the last action (one decision, or a whole batch); returns its label."""
        if not self._undo:
            return None
        step = self._undo.pop()
        cleared, restored = [], []
        for index, old in step.previous:
            self._set(index, old)
            if old is None:
                cleared.append(self.slots[index])
            else:
                restored.append(old)
        self.store.clear(cleared)
        self.store.record(restored)
        if step.ignored and self.userdata is not None:
            self.userdata.remove_ignore(step.ignored)
        if step.entry and self.userdata is not None:
            self.userdata.restore_entry(*step.entry)
        if not self.goto(step.cursor) and self.queue:
            self.position = min(bisect.bisect_left(self.queue, step.cursor), len(self.queue) - 1)
        self.dirty = True
        return step.label

    def _set(self, index: int, decision: Decision | None) -> None:
        old = self.decisions.pop(index, None)
        if old is not None:
            self._counts[old.action] -= 1
        if decision is not None:
            self.decisions[index] = decision
            self._counts[decision.action] += 1

    def _decide(
        self,
        indices: Sequence[int],
        action: Action,
        replacements: Sequence[str],
        label: str,
        *,
        ignored: str | None = None,
        entry: tuple[str, Entry | None] | None = None,
    ) -> None:
        at = store_mod.now()
        previous = [(i, self.decisions.get(i)) for i in indices]
        made = []
        for index, replacement in zip(indices, replacements, strict=True):
            _, n = self.slots[index]
            decision = store_mod.decide(self.findings[index], n, action, replacement, at)
            self._set(index, decision)
            made.append(decision)
        self._undo.append(_Step(label, previous, indices[0], ignored, entry))
        self.dirty = True
        self.store.record(made)  # last: the in-memory state is already right if the disk refuses

    # ------------------------------------------------------------ results

    def edits(self) -> list[Edit]:
        return [
            Edit(f.start, f.end, f.spun, d.replacement)
            for i, d in sorted(self.decisions.items())
            if d.changes_text
            for f in (self.findings[i],)
        ]

    def result_text(self) -> str:
        return apply_edits(self.text, self.edits())

    def changes(self) -> list[Change]:
        return [
            Change(f.line, f.column, f.spun, d.replacement, d.action)
            for i, d in sorted(self.decisions.items())
            if d.changes_text
            for f in (self.findings[i],)
        ]

    def preview(self, index: int | None = None) -> Preview:
        """The sentence around finding `index` (default: the current one) with fixes applied."""
        if index is None:
            index = self.current_index
        if index is None:
            return Preview(())
        finding = self.findings[index]
        text = self.text
        low = max(0, finding.start - PREVIEW_REACH)
        start = max(text.rfind(ch, low, finding.start) for ch in SENTENCE_ENDS) + 1
        start = max(start, low)
        high = min(len(text), finding.end + PREVIEW_REACH)
        ends = [p for p in (text.find(ch, finding.end, high) for ch in SENTENCE_ENDS) if p != -1]
        end = min(ends) + 1 if ends else high
        if end > start and text[end - 1] == "\n":
            end -= 1
        while start < finding.start and text[start] in " \t":
            start += 1
        parts: list[tuple[str, str]] = []
        cursor = start
        for i in self.findings_between(start, end):
            f = self.findings[i]
            if f.start < start or f.end > end:
                continue
            decision = self.decisions.get(i)
            if i == index:
                changed = decision is not None and decision.changes_text
                shown = decision.replacement if decision is not None and changed else f.replacement
                kind = "fix"
            elif decision is not None and decision.changes_text:
                shown, kind = decision.replacement, "fixed"
            else:
                continue
            parts.append((text[cursor : f.start], "text"))
            parts.append((shown, kind))
            cursor = f.end
        parts.append((text[cursor:end], "text"))
        return Preview(tuple(p for p in parts if p[0]))

    def _output_is_current(self) -> bool:
        """Whether the output file already holds exactly what saving would write."""
        if self.output is None:
            return False
        try:
            return self.output.read_bytes() == self.document.encoded(self.result_text())
        except (OSError, ValueError):
            return False

    def save(self, path: Path | None = None) -> SaveResult:
        """Write the clean copy atomically (never over the input unless in place).

        In place, the original is kept as NAME.EXT.bak (an existing backup is never
        replaced, so saving twice keeps the first), a symlink stays a link, and a
        document changed on disk since it was opened is not overwritten (InputError).
        Every output keeps the document's permission bits.
        """
        target = path if path is not None else self.output
        if target is None:
            raise ReviewError("no output path")
        source = Path(self.document.path)
        text = self.result_text()
        data = self.document.encoded(text, self.edits())
        if same_file(target, source):
            if not self.in_place:
                raise ReviewError(f"{target}: is the input; saving over it needs --in-place")
            expected = self._on_disk if self._on_disk is not None else self.document.encoded(self.document.text)
            done = write_in_place(source, data, expected=expected)
            self._on_disk, self.backup = data, done.backup
        else:
            mode, existing = file_mode(source), file_mode(target)
            atomic_write_bytes(target, data, mode=mode if mode is None or existing is None else mode & existing)
        self.store.compact()
        self.saved_to = target
        self.dirty = False
        return SaveResult(target, sum(1 for d in self.decisions.values() if d.changes_text), self.backup)

    def close(self) -> None:
        """Leave the decisions file in its sorted compact form."""
        self.store.compact()

    def summary(self, limit: int = 20) -> list[str]:
        progress = self.progress
        lines = [f"{self.name}: {progress}"]
        if self.saved_to is not None:
            lines[0] += f"; saved to {self.saved_to}"
            if self.backup is not None:
                lines[0] += f" (the original is in {self.backup})"
        elif progress.accepted or progress.edited:
            lines[0] += "; clean copy not saved (decisions are kept)"
        changes = self.changes()
        for change in changes[:limit]:
            lines.append(f"  {change.line}:{change.column}  {change.spun} -> {change.replacement}")
        if len(changes) > limit:
            lines.append(f"  … and {len(changes) - limit} more")
        return lines


def same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return a.resolve() == b.resolve()
