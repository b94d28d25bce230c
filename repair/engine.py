"""scan(text) -> findings; apply_edits(text, edits) -> text.

Pure functions over strings: no file I/O and no UI. The CLI and the TUI are thin
layers over `Engine.scan`, `select` and `apply_edits`.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from repair.match import Matcher
from repair.model import Edit, Entry, Finding, Safety, StaleEditError
from repair.score import Candidate, DocumentContext, LogisticScorer, Scored, Scorer, is_certain
from repair.text import WORD_RE, carry_apostrophes, carry_case, line_starts, lowered, phrase_search
from repair.wordlists import Wordlist, load_shipped

CONTEXT_CHARS = 40
VOCABULARY_SIZE = 300_000  # the most frequent words in wordfreq's large English list
_NUMBER = re.compile(r"\d[\d.,]+")  # what wordfreq's top_n_list leaves out (its MULTI_DIGIT_RE)


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
        self.vetoed: set[tuple[int, int, int]] = set()  # (start, end, id(entry)): an `evidence` entry's veto fired
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
        return WORD_RE.findall(window)[-n:]

    def words_after(self, offset: int, n: int) -> list[str]:
        return WORD_RE.findall(self.low, offset, offset + 24 * n)[:n]

    def holds(self, entry: Entry, start: int, end: int, left: Sequence[str], right: Sequence[str]) -> bool:
        """Whether all of an entry's conditions hold at start..end; `left`/`right` are the neighbouring words.

        A veto that fires on an `evidence` entry does not rule the match out: it is
        recorded in `vetoed`, and the scorer asks for strong evidence instead.
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
                    return False
                vetoed = True
        if vetoed:
            self.vetoed.add((start, end, id(entry)))
        return True


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
        ignored = frozenset(ignore)
        entries = [e for wl in self.wordlists for e in wl.entries if e.rule_id not in ignored and e.spun not in ignored]
        self.entries: tuple[Entry, ...] = tuple(entries)
        self.matcher = Matcher(entries, near=near)
        self.scorer: Scorer = scorer or LogisticScorer()
        self.near = near
        self.discover = discover  # also offer thesaurus candidates for unlisted words (choices only)

    @cached_property
    def vocabulary(self) -> frozenset[str]:
        """Known English words: a token outside this set may be a near match.

        wordfreq's `top_n_list("en", VOCABULARY_SIZE, wordlist="large")`, read
        from the same frequency list in C rather than word by word in Python
        (it loads at every start; a test holds the two equal).
        """
        if not self.near:
            return frozenset()
        from wordfreq import get_frequency_list

        words = itertools.chain.from_iterable(get_frequency_list("en", "large"))
        return frozenset(itertools.islice(itertools.filterfalse(_NUMBER.match, words), VOCABULARY_SIZE))

    def scan(self, text: str) -> list[Finding]:
        doc = _Document(text)
        matches, words = self.matcher.find(doc.low, self.vocabulary if self.near else frozenset(), doc.holds)
        candidates: list[Candidate] = []
        rules: list[str] = []
        vetoed = doc.vetoed
        for match in matches:
            variant = match.variant
            entry = variant.entry
            # Arguments by position, in field order, here and in `_finding`: by keyword they
            # cost ~1 µs more per finding.
            candidates.append(
                Candidate(
                    match.start,
                    match.end,
                    variant.spun_norm,
                    variant.originals,
                    entry.safety,
                    entry.ambiguous,
                    variant.conditional,
                    match.similarity,
                    entry.reason,
                    match.left,
                    match.right,
                    bool(vetoed) and (match.start, match.end, id(entry)) in vetoed,
                )
            )
            rules.append(variant.rule)
        certain = tuple(c.start for c in candidates if is_certain(c))
        scored = self.scorer.score(candidates, DocumentContext(words, certain, doc.low)) if candidates else []
        findings = [
            self._finding(doc, c, s, r)
            for c, s, r in zip(candidates, scored, rules, strict=True)
            if not c.vetoed or s.safety is Safety.AUTO  # a vetoed match counts only where it is sure
        ]
        if self.discover and words:
            from repair.discover import discover  # the thesaurus loads on first use

            taken = [(f.start, f.end) for f in findings]
            per_1000 = 1000.0 * len(certain) / words
            findings = sorted(
                [*findings, *discover(text, doc.low, taken, per_1000, min_probability=0.4)], key=lambda f: f.start
            )
        return findings

    def _finding(self, doc: _Document, c: Candidate, s: Scored, rule: str) -> Finding:
        text = doc.text
        start, end = c.start, c.end
        spun = text[start:end]
        suggestions = doc.suggestions.get((spun, c.originals))
        if suggestions is None:  # the same spun form recurs through a document: work it out once
            suggestions = tuple(dict.fromkeys(carry_apostrophes(carry_case(spun, o), doc.curly) for o in c.originals))
            doc.suggestions[(spun, c.originals)] = suggestions
        line = bisect.bisect_right(doc.lines, start)
        column = start - doc.lines[line - 1] + 1
        return Finding(
            start,
            end,
            spun,
            suggestions,
            s.confidence,
            s.safety,
            s.reason,
            rule,
            line,
            column,
            text[max(0, start - CONTEXT_CHARS) : start],  # before
            text[end : end + CONTEXT_CHARS],  # after
            s.evidence,
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
