"""scan(text) -> findings; apply_edits(text, edits) -> text.

Pure functions over strings: no file I/O and no UI. The CLI and the TUI are thin
layers over `Engine.scan`, `select` and `apply_edits`.

How `Engine.scan` flows: the `Matcher` (repair.core.match) finds `Match`es in the
lowered text, asking `_Document.holds` whether each entry's conditions hold there;
`repair.core.candidates` turns each match into a `Span` whose options are the
candidate originals with their evidence; `repair.core.score` scores the whole
document at once (its spin rate, each option's calibrated confidence; once the
document looks spun, the thesaurus adds spans for words no list has); `_finding`
makes the `Finding` a user sees (the text as written, suggestions in its case and
most confident first, line, column, context, reason); last, what the ignore list
names is dropped.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache, cached_property

from repair.core.candidates import FEATURES, ProposalMemo, Span, ThesaurusMemo, span_of, thesaurus_spans
from repair.core.frequencies import preload
from repair.core.match import Holds, Match, Matcher
from repair.core.model import CONTEXT_CHARS, Edit, Entry, Finding, Safety, StaleEditError
from repair.core.protect import protected_spans
from repair.core.reasons import explain
from repair.core.score import DocumentScore, ScoredSpan, score_spans
from repair.core.spinmodel import SpinModel, load_model
from repair.core.text import (
    Words,
    carry_apostrophes,
    carry_case,
    carry_span_whitespace,
    has_odd_whitespace,
    line_starts,
    lowered,
    phrase_key,
    phrase_search,
    words_between,
    words_of,
)
from repair.core.vocabulary import Vocabulary, english
from repair.core.wordlists import Wordlist, ignore_key, load_shipped

SETTLE_ROUNDS = 3  # chains of fixes folded at most this deep


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
    """Per-scan lazily computed views of one text.

    `earlier`: the document this one is a fixed version of (`Engine._settle`): its memos of pure answers,
    keyed by everything each answer depends on, are shared, so the words the fixes left alone cost a lookup.
    """

    def __init__(self, text: str, earlier: _Document | None = None) -> None:
        self.text = text
        self.low = lowered(text)
        # Memos, each answer worked out once per document rather than per match:
        self._phrases: dict[str, bool] = {}  # whether a phrase occurs
        self._doc_conditions: dict[int, bool] = {}  # id(condition) -> whether a `doc=` condition's phrase occurs
        # (spun text, originals) -> suggestions with its case and the document's apostrophes
        self.suggestions: dict[tuple[str, tuple[str, ...]], tuple[str, ...]] = {}
        self.lm_memo: dict[tuple[object, ...], float] = {}  # language-model gains by neighbours and words
        self.thesaurus_memo: ThesaurusMemo = {}  # a thesaurus word's options by word and LM contexts
        if earlier is not None:
            self.lm_memo, self.thesaurus_memo = earlier.lm_memo, earlier.thesaurus_memo

    @cached_property
    def words(self) -> Words:
        """The words of the lowered text, cut once for the matcher and the thesaurus pass."""
        return words_of(self.low)

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


@dataclass(frozen=True, slots=True)
class Analysis:
    """A document's suspect spans before scoring: what `repair.tools.train` learns from."""

    text: str
    low: str
    spans: tuple[Span, ...]
    words: int
    # The scan's memo of thesaurus answers and its word table (`thesaurus_spans`), when the engine has them.
    memo: ThesaurusMemo | None = field(default=None, compare=False, repr=False)
    table: Words | None = field(default=None, compare=False, repr=False)

    def thesaurus(self, taken: Sequence[tuple[int, int]]) -> list[Span]:
        return thesaurus_spans(self.text, self.low, taken, memo=self.memo, table=self.table)


class Engine:
    """Finds spun phrasing with a fixed set of wordlists and a scoring model; immutable once built."""

    def __init__(
        self,
        wordlists: Sequence[Wordlist] | None = None,
        *,
        model: SpinModel | None = None,
        ignore: Iterable[str] = (),
        near: bool = True,
        thesaurus: bool = True,
        discover: bool = False,
    ) -> None:
        self.wordlists = tuple(load_shipped() if wordlists is None else wordlists)
        # Rule ids (`news:squaddie`) and spun phrases, compared normalised ("In Opposition To" too).
        self.ignore = ignored = frozenset(k for k in map(ignore_key, ignore) if k)
        entries = [e for wl in self.wordlists for e in wl.entries if e.rule_id not in ignored and e.spun not in ignored]
        self.entries: tuple[Entry, ...] = tuple(entries)
        self.matcher = Matcher(entries, near=near)
        self._model = model
        self._frequencies_ready = False  # a cache of pure answers (repair.core.frequencies), not state
        self._proposals: ProposalMemo = {}  # span_of's memo for this matcher's variants: a cache
        self.near = near
        self.thesaurus = thesaurus  # consult the thesaurus for words no list has, where the document looks spun
        self.discover = discover  # recall mode: look closer at every document, however clean it looks

    def __getstate__(self) -> dict[str, object]:
        # The memo is keyed by the ids of this process's variants: a copy starts with its own.
        return {**self.__dict__, "_proposals": {}}

    @property
    def model(self) -> SpinModel:
        """The scoring model: the one given, else the shipped one (read when first needed)."""
        return self._model or load_model()

    @property
    def vocabulary(self) -> Vocabulary | frozenset[str]:
        """Known English words: a token outside this set may be a near match (empty without near matching)."""
        return english() if self.near else frozenset()

    def analyse(self, text: str) -> Analysis:
        """The document's suspect spans from the wordlists, each with its candidate originals."""
        doc = _Document(text)
        return self._analyse(doc)

    def _analyse(self, doc: _Document, found: tuple[list[Match], int] | None = None) -> Analysis:
        """`found`: the matcher's answer for this document, when the caller has it already."""
        matches, words = found or self.matcher.find(doc.low, self.vocabulary, doc.holds, doc.words)
        if matches and not self._frequencies_ready:
            # Every phrase the lists can propose, read from the cache in one go rather than from wordfreq.
            preload(
                p for v in self.matcher.variants for p in (v.spun_norm, *(" ".join(phrase_key(o)) for o in v.originals))
            )
            self._frequencies_ready = True
        spans = tuple(span_of(m, self._proposals) for m in matches)
        return Analysis(doc.text, doc.low, spans, words, doc.thesaurus_memo, doc.words)

    def score(
        self,
        analysis: Analysis,
        memo: dict[tuple[object, ...], float] | None = None,
        rate_floor: float = 0.0,
        *,
        auto_only: bool = False,
        thesaurus_floor: float = 0.0,
        least: float = 0.0,
    ) -> DocumentScore:
        """Score an analysed document: its spin rate and every span's options.

        The spans returned: all, or as `score_spans` leaves out with `auto_only`, `thesaurus_floor` and `least`.
        """
        model = self.model
        if self.discover:
            model = _looking_closer(model)
        more = analysis.thesaurus if self.thesaurus else None
        return score_spans(
            model,
            analysis.spans,
            analysis.words,
            analysis.low,
            more_spans=more,
            memo=memo,
            rate_floor=rate_floor,
            auto_only=auto_only,
            thesaurus_floor=thesaurus_floor,
            least=least,
        )

    def scan(self, text: str, *, rate_floor: float = 0.0, least: float = 0.0) -> list[Finding]:
        """Every finding in `text`; `rate_floor` is a spin rate the text is known to have at least.

        `least`: a span whose options all fall below both it and `auto` makes no finding (`check` passes its
        threshold), nor does a thesaurus span below THESAURUS_FLOOR. The findings are settled: fixing every `auto`
        one leaves a text with no `auto` finding (see `_settle`), so a second `fix` of fixed text changes nothing.
        """
        doc = _Document(text)
        scored = self.score(self._analyse(doc), doc.lm_memo, rate_floor, thesaurus_floor=THESAURUS_FLOOR, least=least)
        return self._settle(doc, self._findings(doc, scored), rate_floor)

    def _findings(self, doc: _Document, scored: DocumentScore, auto_only: bool = False) -> list[Finding]:
        """The findings of the scored spans; with `auto_only`, only the `auto` fixes (the rest are never made)."""
        spans = scored.spans
        if auto_only:
            spans = [s for s in spans if s.safety is Safety.AUTO and s.order]
        findings = [self._finding(doc, s) for s in spans if _worth_a_finding(s)]
        if self.ignore:  # what the entries left out cannot catch: inflected forms, thesaurus findings
            findings = [f for f in findings if not self.ignores(f)]
        return _unprotected(doc.text, findings)

    def _settle(
        self, doc: _Document, findings: list[Finding], rate_floor: float, rounds: int = SETTLE_ROUNDS
    ) -> list[Finding]:
        """Fold chains of fixes into single findings: "thru" -> "via" where the engine would then fix "via" -> "by".

        A fix can write a phrase that is itself a confident spin (the lists hold both "X -> via"
        and "via -> by"), or change a neighbour's context ("a very powerful enhance" -> "a crucial
        enhance", where "enhance" after "crucial" is "support"), or, through the document's spin
        rate and the density of swaps, any finding. The fixed text is scored as a second `fix` would
        score it (its own spin rate): each `auto` finding there that overlaps replacements becomes, with them, one
        finding of the original text that writes both; one beside them is placed back in the
        original text as it stands, replacing what was found there. Repeated until nothing changes
        (at most `rounds` times), so that fixing the fixed text changes nothing.
        """
        for _ in range(rounds):
            auto = sorted((f for f in findings if f.safety is Safety.AUTO and f.suggestions), key=lambda f: f.start)
            if not auto:
                return findings
            fixed = apply_edits(doc.text, [Edit.from_finding(f) for f in auto])
            placed = _placements(auto)  # (start, end) of each replacement in the fixed text
            fixed_doc = _Document(fixed, doc)
            found = self.matcher.find(fixed_doc.low, self.vocabulary, fixed_doc.holds, fixed_doc.words)
            scored = self.score(self._analyse(fixed_doc, found), fixed_doc.lm_memo, rate_floor, auto_only=True)
            later = self._findings(fixed_doc, scored, auto_only=True)
            if not later:
                return findings
            findings = _fold(doc, findings, auto, placed, fixed, later)
        return findings

    def scan_once(self, text: str, doc: _Document | None = None, rate_floor: float = 0.0) -> list[Finding]:
        """The findings of one scoring pass, unsettled."""
        doc = doc or _Document(text)
        return self._findings(doc, self.score(self._analyse(doc), doc.lm_memo, rate_floor))

    def ignores(self, finding: Finding) -> bool:
        """Whether the ignore list names the finding's rule or its spun phrase."""
        return finding.rule in self.ignore or " ".join(phrase_key(finding.spun)) in self.ignore

    def _finding(self, doc: _Document, s: ScoredSpan) -> Finding:
        text = doc.text
        span = s.span
        start, end = span.start, span.end
        spun = text[start:end]
        wordings = tuple(span.options[i].wording for i in s.order)
        suggestions = doc.suggestions.get((spun, wordings))
        if suggestions is None:  # the same spun form recurs through a document: work it out once
            suggestions = tuple(dict.fromkeys(carry_apostrophes(carry_case(spun, o), doc.curly) for o in wordings))
            doc.suggestions[(spun, wordings)] = suggestions
        if has_odd_whitespace(spun):  # a phrase over a line break: the fix keeps it (and CRLF)
            suggestions = carry_span_whitespace(text, start, end, suggestions)
        line = bisect.bisect_right(doc.lines, start)
        rule = span.options[s.order[0]].rule if s.order else (span.flag.rule if span.flag else span.spun)
        return Finding(
            start=start,
            end=end,
            spun=spun,
            suggestions=suggestions,
            confidence=s.confidence,
            safety=s.safety,
            reason=explain(s),
            rule=rule,
            line=line,
            column=start - doc.lines[line - 1] + 1,
            before=text[max(0, start - CONTEXT_CHARS) : start],
            after=text[end : end + CONTEXT_CHARS],
            evidence=s.evidence,
        )


def _unprotected(text: str, findings: list[Finding]) -> list[Finding]:
    """The findings that touch no URL, address, handle, code or path (`repair.core.protect`)."""
    if not findings:
        return findings
    spans = protected_spans(text)
    if not spans:
        return findings
    starts = [p.start for p in spans]
    kept = []
    for f in findings:
        k = bisect.bisect_left(starts, f.end) - 1  # the last protected span starting before the finding ends
        if k < 0 or spans[k].end <= f.start:
            kept.append(f)
    return kept


def _placements(auto: Sequence[Finding]) -> list[tuple[int, int]]:
    """Where each replacement of `auto` (sorted, not overlapping) stands in the fixed text."""
    out, delta = [], 0
    for f in auto:
        start = f.start + delta
        out.append((start, start + len(f.replacement)))
        delta += len(f.replacement) - (f.end - f.start)
    return out


def doc_line(doc: _Document, offset: int) -> int:
    """The 1-based line of `offset` in the document."""
    return bisect.bisect_right(doc.lines, offset)


def _fold(
    doc: _Document,
    findings: list[Finding],
    auto: Sequence[Finding],
    placed: Sequence[tuple[int, int]],
    fixed: str,
    later: Sequence[Finding],
) -> list[Finding]:
    """Each later finding and the earlier ones it touches, as one finding of the original text."""
    text = doc.text
    used: set[int] = set()
    merged: list[Finding] = []
    # The replacements are sorted and apart, so their starts and ends both ascend: the ones a finding
    # overlaps are a run found by bisection, and the ones before it a prefix.
    starts, ends = [s for s, _ in placed], [e for _, e in placed]
    shifts = list(
        itertools.accumulate((e - s - (f.end - f.start) for f, (s, e) in zip(auto, placed, strict=True)), initial=0)
    )
    for g in later:
        hit = list(range(bisect.bisect_right(ends, g.start), bisect.bisect_left(starts, g.end)))
        if not hit:  # beside the replacements: the same words stand in the original text, shifted
            shift = shifts[bisect.bisect_right(ends, g.start)]  # of the replacements ending by g.start
            start, end = g.start - shift, g.end - shift
            line = doc_line(doc, start)
            merged.append(
                replace(
                    g,
                    start=start,
                    end=end,
                    line=line,
                    column=start - doc.lines[line - 1] + 1,
                    before=text[max(0, start - CONTEXT_CHARS) : start],
                    after=text[end : end + CONTEXT_CHARS],
                )
            )
            continue
        if used.intersection(hit):
            continue
        used.update(hit)
        lo_fixed, hi_fixed = min(g.start, placed[hit[0]][0]), max(g.end, placed[hit[-1]][1])
        # The text outside replacements is the original's, shifted: map the ends back.
        lo = auto[hit[0]].start - (placed[hit[0]][0] - lo_fixed)
        hi = auto[hit[-1]].end + (hi_fixed - placed[hit[-1]][1])
        writes = fixed[lo_fixed : g.start] + g.replacement + fixed[g.end : hi_fixed]
        first = auto[hit[0]]
        merged.append(
            replace(
                g,
                start=lo,
                end=hi,
                spun=text[lo:hi],
                suggestions=(writes,),
                confidence=min(g.confidence, *(auto[k].confidence for k in hit)),
                reason=f"{first.reason}; then {g.reason}",
                line=first.line,
                column=first.column - (first.start - lo),
                before=text[max(0, lo - CONTEXT_CHARS) : lo],
                after=text[hi : hi + CONTEXT_CHARS],
            )
        )
    # The folded findings replace every finding they overlap (the fixes they fold, and any choice inside them).
    kept = [f for f in findings if not any(m.start < f.end and f.start < m.end for m in merged)]
    return sorted(kept + merged, key=lambda f: f.start)


_VETOED = FEATURES.index("vetoed")
THESAURUS_FLOOR = 0.3  # a thesaurus candidate less confident than this is noise, not a finding


def _worth_a_finding(s: ScoredSpan) -> bool:
    """Whether a scored span becomes a finding at all (every finding is listed by `check --all` and review)."""
    if not s.order:
        return True  # a `flag` entry: always shown
    if s.span.thesaurus:
        return s.confidence >= THESAURUS_FLOOR
    # a match whose veto fired counts only where it is sure
    return not (s.span.options[s.order[0]].features[_VETOED] and s.safety is not Safety.AUTO)


@cache
def _looking_closer(model: SpinModel) -> SpinModel:
    """Recall mode's model: the same, but every document is looked at closely."""
    from dataclasses import replace

    return replace(model, thesaurus_rate=0.0)


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
