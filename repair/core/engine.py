"""scan(text) -> findings; apply_edits(text, edits) -> text.

Pure functions over strings: no file I/O and no UI. The CLI and the TUI are thin
layers over `Engine.scan`, `select` and `apply_edits`.

How `Engine.scan` flows: the `Matcher` (repair.core.match) finds `Match`es in the
lowered text, asking `_Document.holds` whether each entry's conditions hold there
(`Holds.YES`, `NO`, or `VETOED`, which the match carries as `vetoed`); the scorer
(repair.core.score) turns each match into a `Scored` (confidence, safety, reason,
evidence) from the document-wide `DocumentContext`; `_finding` makes the `Finding`
a user sees (the text as written, suggestions in its case, line, column, context);
with `discover`, repair.core.discover adds thesaurus findings; last, what the
ignore list names is dropped.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from repair.core.match import Holds, Match, Matcher
from repair.core.model import CONTEXT_CHARS, Edit, Entry, Finding, Safety, StaleEditError
from repair.core.score import DocumentContext, LogisticScorer, Scored, Scorer, is_certain
from repair.core.text import (
    carry_apostrophes,
    carry_case,
    carry_span_whitespace,
    has_odd_whitespace,
    line_starts,
    lowered,
    phrase_key,
    phrase_search,
    words_between,
)
from repair.core.vocabulary import Vocabulary, english
from repair.core.wordlists import Wordlist, ignore_key, load_shipped


@dataclass(frozen=True, slots=True)
class Selection:
    """Which findings a batch fix applies."""

    threshold: float = 0.0  # minimum confidence
    safety: Safety = Safety.AUTO  # the least safe class applied
    # The classes applied, worked out once: `accepts` runs once per finding.
    _applied: tuple[Safety, ...] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        applied = tuple(s for s in Safety if s.rank <= self.safety.rank and s is not Safety.FLAG)
        object.__setattr__(self, "_applied", applied)

    def accepts(self, finding: Finding) -> bool:
        return bool(finding.suggestions) and finding.safety in self._applied and finding.confidence >= self.threshold


class _Document:
    """Per-scan lazily computed views of one text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.low = lowered(text)
        # Memos, each answer worked out once per document rather than per match:
        self._phrases: dict[str, bool] = {}  # whether a phrase occurs
        self._doc_conditions: dict[int, bool] = {}  # id(condition) -> whether a `doc=` condition's phrase occurs
        # (spun text, originals) -> suggestions with its case and the document's apostrophes
        self.suggestions: dict[tuple[str, tuple[str, ...]], tuple[str, ...]] = {}

    def contains(self, phrase: str) -> bool:
        """Whether the words of `phrase` (normalised, single-spaced) occur in a row in the document."""
        found = self._phrases.get(phrase)
        if found is None:
            # A plain substring search per word usually settles it (no); only then the
            # search that holds each word to a whole word of the text, as the scanner cuts it.
            low = self.low
            found = all(word in low for word in phrase.split(" ")) and phrase_search(phrase).search(low) is not None
            self._phrases[phrase] = found
        return found

    @cached_property
    def curly(self) -> bool:
        return self.text.count("\u2019") > self.text.count("'")

    @cached_property
    def lines(self) -> list[int]:
        return line_starts(self.text)

    def words_before(self, offset: int, n: int) -> list[str]:
        window = self.low[max(0, offset - 24 * n) : offset]
        return words_between(window)[-n:]

    def words_after(self, offset: int, n: int) -> list[str]:
        return words_between(self.low, offset, offset + 24 * n)[:n]

    def holds(self, entry: Entry, start: int, end: int, left: Sequence[str], right: Sequence[str]) -> Holds:
        """Whether all of an entry's conditions hold at start..end; `left`/`right` are the neighbouring words.

        A veto that fires on an `evidence` entry does not rule the match out: the
        answer is `Holds.VETOED`, and the scorer asks for strong evidence instead.
        """
        vetoed = False
        for cond in entry.conditions:
            kind = cond.base_kind
            if kind == "before":
                ok = bool(left) and left[-1] in cond.word_set
            elif kind == "after":
                ok = bool(right) and right[0] in cond.word_set
            elif kind == "near":
                before = left[-cond.window :] if cond.window <= len(left) else self.words_before(start, cond.window)
                after = right[: cond.window] if cond.window <= len(right) else self.words_after(end, cond.window)
                ok = not cond.word_set.isdisjoint(before) or not cond.word_set.isdisjoint(after)
                if not ok and cond.phrases:  # a phrase must lie wholly on one side of the match
                    sides = (" " + " ".join(before) + " ", " " + " ".join(after) + " ")
                    ok = any(f" {p} " in side for p in cond.phrases for side in sides)
            else:  # doc: the answer is the same at every match in the document
                ok = self._doc_conditions.get(id(cond))
                if ok is None:
                    ok = self._doc_conditions[id(cond)] = any(self.contains(w) for w in cond.words)
            if ok == cond.negated:
                if not cond.negated or not entry.ambiguous:
                    return Holds.NO
                vetoed = True
        return Holds.VETOED if vetoed else Holds.YES


def english_vocabulary() -> frozenset[str]:
    """wordfreq's `top_n_list("en", VOCABULARY_SIZE, wordlist="large")` as a set (repair.core.vocabulary)."""
    return english().as_set()


class Engine:
    """Finds spun phrasing with a fixed set of wordlists; immutable once built."""

    def __init__(
        self,
        wordlists: Sequence[Wordlist] | None = None,
        *,
        scorer: Scorer | None = None,
        ignore: Iterable[str] = (),
        near: bool = True,
        discover: bool = False,
    ) -> None:
        self.wordlists = tuple(load_shipped() if wordlists is None else wordlists)
        # Rule ids (`news:squaddie`) and spun phrases, compared normalised ("In Opposition To" too).
        self.ignore = ignored = frozenset(k for k in map(ignore_key, ignore) if k)
        entries = [e for wl in self.wordlists for e in wl.entries if e.rule_id not in ignored and e.spun not in ignored]
        self.entries: tuple[Entry, ...] = tuple(entries)
        self.matcher = Matcher(entries, near=near)
        self.scorer: Scorer = scorer or LogisticScorer()
        self.near = near
        self.discover = discover  # also offer thesaurus candidates for unlisted words (choices only)

    @property
    def vocabulary(self) -> Vocabulary | frozenset[str]:
        """Known English words: a token outside this set may be a near match (empty without near matching)."""
        return english() if self.near else frozenset()

    def scan(self, text: str) -> list[Finding]:
        doc = _Document(text)
        matches, words = self.matcher.find(doc.low, self.vocabulary, doc.holds)
        certain = tuple(m.start for m in matches if is_certain(m))
        scored = self.scorer.score(matches, DocumentContext(words, certain, doc.low)) if matches else []
        findings = [
            self._finding(doc, m, s)
            for m, s in zip(matches, scored, strict=True)
            if not m.vetoed or s.safety is Safety.AUTO  # a vetoed match counts only where it is sure
        ]
        if self.discover and words:
            from repair.core.discover import discover  # the thesaurus loads on first use

            taken = [(f.start, f.end) for f in findings]
            per_1000 = 1000.0 * len(certain) / words
            findings = sorted(
                [*findings, *discover(text, doc.low, taken, per_1000, min_probability=0.4)], key=lambda f: f.start
            )
        if self.ignore:  # what the entries left out cannot catch: inflected forms, thesaurus findings
            findings = [f for f in findings if not self.ignores(f)]
        return findings

    def ignores(self, finding: Finding) -> bool:
        """Whether the ignore list names the finding's rule or its spun phrase."""
        return finding.rule in self.ignore or " ".join(phrase_key(finding.spun)) in self.ignore

    def _finding(self, doc: _Document, m: Match, s: Scored) -> Finding:
        text = doc.text
        start, end, originals = m.start, m.end, m.variant.originals
        spun = text[start:end]
        suggestions = doc.suggestions.get((spun, originals))
        if suggestions is None:  # the same spun form recurs through a document: work it out once
            suggestions = tuple(dict.fromkeys(carry_apostrophes(carry_case(spun, o), doc.curly) for o in originals))
            doc.suggestions[(spun, originals)] = suggestions
        if has_odd_whitespace(spun):  # a phrase over a line break: the fix keeps it (and CRLF)
            suggestions = carry_span_whitespace(text, start, end, suggestions)
        line = bisect.bisect_right(doc.lines, start)
        return Finding(
            start=start,
            end=end,
            spun=spun,
            suggestions=suggestions,
            confidence=s.confidence,
            safety=s.safety,
            reason=s.reason,
            rule=m.variant.rule,
            line=line,
            column=start - doc.lines[line - 1] + 1,
            before=text[max(0, start - CONTEXT_CHARS) : start],
            after=text[end : end + CONTEXT_CHARS],
            evidence=s.evidence,
        )


def select(findings: Iterable[Finding], selection: Selection = Selection()) -> list[Finding]:
    return [f for f in findings if selection.accepts(f)]


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """Apply edits by span from the end of the text.

    Raises StaleEditError when an edit's span no longer reads what it expects,
    or when two edits overlap: a stale edit is refused, never guessed.
    """
    ordered = sorted(edits, key=lambda e: (e.start, e.end))
    for a, b in itertools.pairwise(ordered):
        if b.start < a.end:
            raise StaleEditError(f"edits overlap at {a.start}-{a.end} and {b.start}-{b.end}")
    pieces: list[str] = []
    cursor = len(text)
    for edit in reversed(ordered):
        if not 0 <= edit.start <= edit.end <= len(text) or text[edit.start : edit.end] != edit.expected:
            raise StaleEditError(f"text at {edit.start}-{edit.end} is no longer {edit.expected!r}")
        pieces.append(text[edit.end : cursor])
        pieces.append(edit.replacement)
        cursor = edit.start
    pieces.append(text[:cursor])
    return "".join(reversed(pieces))


def fix(text: str, engine: Engine, selection: Selection = Selection()) -> tuple[str, list[Finding]]:
    """Scan and apply what the selection accepts; returns the new text and the applied findings."""
    applied = select(engine.scan(text), selection)
    return apply_edits(text, (Edit.from_finding(f) for f in applied)), applied
