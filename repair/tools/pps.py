"""The tortured-phrase catalogue of the Problematic Paper Screener, and a risk score for manuscripts.

The catalogue (Cabanac, Labbé & Magazinov) lists fingerprints of "tortured
phrases" — thesaurus swaps of scientific terms, such as "counterfeit
consciousness" for "artificial intelligence" — with the expected term. It
circulates in two forms, both read here:

* the CSV export, header ``tortured_phrase,expected_phrase,num_papers``, whose
  fingerprints are search queries: quoted phrases, ``AND`` co-terms (which must
  occur in the same paper), ``NOT`` exclusions, ``OR`` alternatives (also in
  parentheses), ``"a b"~N`` proximity and a trailing ``*`` wildcard;
* the plain pairs JSON, ``{"phrases": [{"tortured": ..., "correct": ...}]}``,
  with the operators removed.

`import_rows` turns rows into wordlist entries that keep what the query says:
an ``AND`` co-term becomes ``doc=``, a ``NOT`` phrase ``not-doc=`` (or
``not-after=``/``not-before=`` when it extends the phrase), a proximity query
an entry on the tortured words with ``near=`` and ``window=``, an ``OR`` of
phrases several entries. The expected text is cleaned of notes ("(?)",
links, "[context]"); slashes and ``OR`` in it become alternative originals.
Rows that cannot be converted, or whose phrase is a legitimate term (the
expected term of another row, a co-term, or contained in its own expected
text), are returned as `Skipped` with a reason, never silently dropped.

The query syntax and the cleaning of expected texts are `repair.tools.pps_catalogue`;
the risk score of a manuscript is `repair.core.risk`.
"""

from __future__ import annotations

import difflib
import itertools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cache

from repair.core.frequencies import top_words, zipf
from repair.core.model import Condition, Entry, Safety
from repair.core.text import FUNCTION_WORDS, is_joiner, phrase_key, tokenize
from repair.core.wordlists import sort_key
from repair.tools.pps_catalogue import (
    SPACES_RE,
    URL_RE,
    CatalogueRow,
    QueryError,
    Term,
    clean_expected,
    parse_query,
    tidy,
)

MAX_WINDOW = 50  # the wordlist format's largest window=
ORDINARY_ZIPF = 3.0  # a single word at least this common is ordinary English: fix on evidence only
WILDCARD_FORMS = 12  # how many known words a trailing * expands to in a condition

HEADER = """\
# kind: tortured-phrases
# Tortured phrases imported from the Problematic Paper Screener catalogue
# (Cabanac, Labbé & Magazinov; https://dbrech.irit.fr/pls/apex/f?p=9999:24 , arXiv:2107.06751).
# Source file: {source}
# Redistribution terms of the catalogue are unverified: keep this list local, do not ship it.
# count= is the number of papers the catalogue retrieved with the fingerprint.
"""


# ---------------------------------------------------------------- rows and conversion


@dataclass(frozen=True, slots=True)
class Skipped:
    row: CatalogueRow
    reason: str

    def __str__(self) -> str:
        return f"line {self.row.line}: {self.row.fingerprint} -> {self.row.expected}: {self.reason}"


@dataclass(frozen=True)
class ImportResult:
    entries: tuple[Entry, ...]
    skipped: tuple[Skipped, ...]
    rows: int
    converted_rows: int

    @property
    def rate(self) -> float:
        return self.converted_rows / self.rows if self.rows else 1.0

    def reasons(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for s in self.skipped:
            head = s.reason.split(":")[0]
            counts[head] = counts.get(head, 0) + 1
        return dict(sorted(counts.items(), key=lambda kv: -kv[1]))


class RowSkipped(Exception):
    """Raised inside conversion; becomes a `Skipped`."""


@cache
def _known_words() -> tuple[str, ...]:
    return tuple(top_words(100_000))


def expand_wildcard(prefix: str) -> tuple[str, ...]:
    """The most common known words starting with `prefix` (for "optimiz*" in a co-term)."""
    stem = " ".join(phrase_key(prefix))
    head, _, last = stem.rpartition(" ")
    forms = [w for w in _known_words() if w.startswith(last)][:WILDCARD_FORMS]
    return tuple(f"{head} {w}".strip() for w in forms) or (stem,)


def _segments(text: str) -> list[tuple[int, int]]:
    """Runs of tokens the matcher can span as one phrase, as token index ranges."""
    tokens = tokenize(text)
    runs: list[tuple[int, int]] = []
    start = 0
    for i in range(1, len(tokens) + 1):
        if i == len(tokens) or not is_joiner(text[tokens[i - 1].end : tokens[i].start]):
            runs.append((start, i))
            start = i
    return runs


def _case_like(original: str, fingerprint: str) -> str:
    """Title Case expected text ("Machine Learning") in lower case when the fingerprint is lower case.

    Acronyms and words the fingerprint capitalises too stay; text that is not
    Title Case ("Hall effect") keeps its case, which may be a name's.
    """
    words = [w for w in re.findall(r"[^\W\d_]+", original) if len(w) > 3]
    if not fingerprint[:1].islower() or len(words) < 2 or not all(w[:1].isupper() for w in words):
        return original
    shared = {w for w in re.findall(r"[^\W\d_]+", fingerprint) if w[:1].isupper()}

    def fix(m: re.Match[str]) -> str:
        word = m.group()
        if word in shared or sum(c.isupper() for c in word) > 1 or word[1:] != word[1:].lower():
            return word
        return word.lower()

    return re.sub(r"[^\W\d_]+", fix, original)


@dataclass(frozen=True, slots=True)
class _Target:
    """One entry to be made from a row: spun phrase, originals and context conditions."""

    spun: tuple[str, ...]
    originals: tuple[str, ...]
    conditions: tuple[Condition, ...] = ()


def _condition_words(words: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(w for w in words if w and w not in FUNCTION_WORDS))


def _proximity_target(term: Term, originals: tuple[str, ...], context_keys: set[str]) -> _Target:
    """ "a b c"~N: words of the expected term (or acronyms) are context, the rest is the tortured phrase.

    "disappearing gradient problem"~5 -> disappearing -> vanishing ; near=gradient ; near=problem ; window=5
    (every context word within N words, as the query asks). Without such a split the phrase itself is used.
    """
    words = list(term.key)
    window = min(term.proximity or 6, MAX_WINDOW)
    acronyms = {w.lower() for w in re.findall(r"[^\W_]+", term.text) if len(w) >= 2 and w.isupper()}
    best = originals[0]
    best_words = list(phrase_key(best))
    expected = set(best_words) | context_keys
    context = [w in expected or w in acronyms for w in words]
    tortured = [i for i, c in enumerate(context) if not c]
    contiguous = bool(tortured) and tortured == list(range(tortured[0], tortured[-1] + 1))
    near = _condition_words(w for w, c in zip(words, context, strict=True) if c)
    if not (contiguous and near):
        return _Target(tuple(words), originals)  # the phrase itself, contiguous
    t0, t1 = tortured[0], tortured[-1] + 1
    spun = words[t0:t1]
    new = _proximity_original(words, t0, t1, best, originals)
    conditions = tuple(Condition("near", (w,), window) for w in near)
    return _Target(tuple(spun), new, conditions)


def _proximity_original(words: list[str], t0: int, t1: int, best: str, originals: tuple[str, ...]) -> tuple[str, ...]:
    """What words[t0:t1] stands for: the aligned words of the expected term, else the rest of it, else its gloss."""
    tokens = tokenize(best)
    best_words = [t.norm for t in tokens]
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, words, best_words, autojunk=False).get_opcodes():
        if tag == "replace" and (i1, i2) == (t0, t1):
            return (best[tokens[j1].start : tokens[j2 - 1].end],)
    rest = [w for w in best_words if w not in set(words)]
    if rest and not set(words[t0:t1]) & set(best_words):
        return (" ".join(rest),)
    expected = set(best_words)
    after = list(itertools.takewhile(lambda w: w in expected, words[t1:]))
    before = list(itertools.takewhile(lambda w: w in expected, reversed(words[:t0])))[::-1]
    gloss = after or before  # "gatherings clustering" -> clustering, "vanishing slope gradient" -> gradient
    return (" ".join(gloss),) if gloss else originals


def _segment_targets(main: str, expected_text: str) -> list[_Target]:
    """A fingerprint with punctuation inside ("Web of Things (IoT)", "exactness, review")."""
    tokens = tokenize(main)
    segs = _segments(main)
    keys = [tuple(t.norm for t in tokens[a:b]) for a, b in segs]
    cleaned = clean_expected(expected_text, keep_parens="(" in main, slashes="/" not in main)
    if not cleaned.originals:
        raise RowSkipped("no expected text")
    best = _case_like(cleaned.originals[0], main)
    etoks = tokenize(best)
    esegs = _segments(best)
    targets: list[_Target] = []

    def context(i: int) -> tuple[Condition, ...]:
        if i + 1 < len(keys):
            return (Condition("after", (keys[i + 1][0],)),)
        return (Condition("before", (keys[i - 1][-1],)),) if i > 0 else ()

    if len(esegs) == len(segs):
        for i, ((a, b), key) in enumerate(zip(esegs, keys, strict=True)):
            ekey = tuple(t.norm for t in etoks[a:b])
            if ekey == key:
                continue
            if _contains(ekey, key):
                continue  # an elaboration ("this" -> "this study examines"), not a swap
            targets.append(_Target(key, (best[etoks[a].start : etoks[b - 1].end],), context(i)))
        if targets:
            return targets
        raise RowSkipped("the expected text equals the fingerprint")
    single = [i for i, k in enumerate(keys) if len(k) > 1 or not _is_acronym_segment(main, tokens, segs[i])]
    plain = clean_expected(expected_text)
    originals = tuple(_case_like(o, main) for o in plain.originals)
    if len(single) == 1:  # "hazard ratio (RR)": the acronym is context
        i = single[0]
        if phrase_key(originals[0]) == keys[i]:
            raise RowSkipped("the expected text equals the fingerprint")
        return [_Target(keys[i], originals, context(i))]
    # Word by word: each differing stretch must sit inside one segment of the fingerprint.
    words = [t.norm for t in tokens]
    seg_of = [n for n, (a, b) in enumerate(segs) for _ in range(a, b)]
    etokens = tokenize(originals[0])
    ewords = [t.norm for t in etokens]
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, words, ewords, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        if i2 == i1 or j2 == j1 or seg_of[i1] != seg_of[i2 - 1]:
            raise RowSkipped("punctuation inside the phrase that no entry can span")
        s = seg_of[i1]
        a, b = segs[s]
        if i2 < b:
            conditions: tuple[Condition, ...] = (Condition("after", (words[i2],)),)
        elif i1 > a:
            conditions = (Condition("before", (words[i1 - 1],)),)
        else:
            conditions = context(s)
        new = originals[0][etokens[j1].start : etokens[j2 - 1].end]
        targets.append(_Target(tuple(words[i1:i2]), (new,), conditions))
    if not targets:
        raise RowSkipped("the expected text equals the fingerprint")
    return targets


def _is_acronym_segment(text: str, tokens: Sequence, seg: tuple[int, int]) -> bool:
    a, b = seg
    if b - a != 1:
        return False
    start, end = tokens[a].start, tokens[a].end
    return text[:start].rstrip().endswith("(") and text[end:].lstrip().startswith(")")


def _contains(haystack: Sequence[str], needle: Sequence[str]) -> bool:
    n = len(needle)
    return n > 0 and any(tuple(haystack[i : i + n]) == tuple(needle) for i in range(len(haystack) - n + 1))


def _term_condition(term: Term, main_key: tuple[str, ...], negated: bool, expand: Callable[[str], tuple[str, ...]]):
    """The condition for one co-term or exclusion (None when it adds nothing)."""
    prefix = "not-" if negated else ""
    key = term.key
    if not key:
        return None
    if term.wildcard:
        return Condition(f"{prefix}doc", expand(term.text.rstrip("* ")))
    if _contains(key, main_key):
        at = next(i for i in range(len(key)) if key[i : i + len(main_key)] == main_key)
        before, after = key[:at], key[at + len(main_key) :]
        if term.proximity:
            words = _condition_words(before + after)
            return Condition(f"{prefix}near", words, min(term.proximity, MAX_WINDOW)) if words else None
        if after and not before:
            return Condition(f"{prefix}after", (after[0],))
        if before and not after:
            return Condition(f"{prefix}before", (before[-1],))
    return Condition(f"{prefix}doc", (" ".join(key),))


def _merge_conditions(conditions: Iterable[Condition]) -> tuple[Condition, ...]:
    """Drop duplicates; all near conditions of one entry share the widest window (the format has one)."""
    out = list(dict.fromkeys(conditions))
    windows = [c.window for c in out if c.base_kind == "near"]
    if windows:
        widest = max(windows)
        out = [replace(c, window=widest) if c.base_kind == "near" else c for c in out]
    return tuple(dict.fromkeys(out))


def convert_row(
    row: CatalogueRow,
    legitimate: frozenset[str] = frozenset(),
    expand: Callable[[str], tuple[str, ...]] = expand_wildcard,
) -> list[Entry]:
    """Entries for one catalogue row; raises RowSkipped with the reason."""
    try:
        query = parse_query(row.fingerprint)
    except QueryError as exc:
        raise RowSkipped(f"unreadable query: {exc}") from None
    raw_expected = tidy(row.expected)
    co_terms: list[Condition] = []
    context_keys = {w for inner in re.findall(r"\[([^\]]*)\]", raw_expected) for w in phrase_key(inner)}
    entries: list[Entry] = []
    for term in query.main:
        main_key = term.key
        if not main_key:
            continue
        conditions: list[Condition] = []
        for group in query.required:
            made = [_term_condition(t, main_key, False, expand) for t in group]
            made = [c for c in made if c is not None]
            if len(made) == 1:
                conditions.append(made[0])
            elif made:
                conditions.append(Condition("doc", tuple(w for c in made for w in c.words)))
            for t in group:
                context_keys.update(t.key)
        for t in query.excluded:
            c = _term_condition(t, main_key, True, expand)
            if c is not None:
                conditions.append(c)
        co_terms = conditions
        joined = " ".join(main_key)
        if not co_terms and joined in legitimate:
            raise RowSkipped("legitimate term: it is the expected term of another row or a co-term")
        if _contains(phrase_key(raw_expected), main_key):
            raise RowSkipped("legitimate term: the phrase is part of its own expected text")
        expected = clean_expected(raw_expected)
        if not expected.originals:
            reason = expected.note if expected.note and len(expected.note) > 3 else ""
            reason = f"tortured phrase; expected wording unknown{': ' + reason if reason else ''}"
            spun_key = main_key if len(_segments(term.text)) == 1 else phrase_key(term.text.split("(")[0])
            if not spun_key:
                raise RowSkipped("no expected text and no matchable phrase")
            entries.append(
                Entry(
                    spun=" ".join(spun_key),
                    originals=(),
                    safety=Safety.FLAG,
                    conditions=tuple(co_terms),
                    reason=reason,
                    count=row.papers,
                )
            )
            continue
        originals = tuple(_case_like(o, term.text) for o in expected.originals)
        if term.proximity:
            targets = [_proximity_target(term, originals, context_keys)]
        elif len(_segments(term.text)) > 1:
            targets = _segment_targets(term.text, raw_expected)
        else:
            targets = [_Target(main_key, originals)]
        for target in targets:
            originals_ok = tuple(
                o.replace(",", " ").replace("  ", " ").strip() for o in target.originals if phrase_key(o) != target.spun
            )
            if not originals_ok:
                raise RowSkipped("the expected text equals the fingerprint")
            if not target.spun:
                raise RowSkipped("no matchable words in the fingerprint")
            safety = Safety.CHOOSE if expected.unsure or len(originals_ok) > 1 else Safety.AUTO
            all_conditions = _merge_conditions((*target.conditions, *co_terms))
            ordinary = len(target.spun) == 1 and not all_conditions and zipf(target.spun[0]) >= ORDINARY_ZIPF
            entries.append(
                Entry(
                    spun=" ".join(target.spun),
                    originals=originals_ok,
                    safety=safety,
                    ambiguous=ordinary,
                    conditions=all_conditions,
                    reason=_short_note(expected.note),
                    count=row.papers,
                )
            )
    if not entries:
        raise RowSkipped("no matchable words in the fingerprint")
    return entries


def _short_note(note: str) -> str:
    note = URL_RE.sub(" ", note)
    note = SPACES_RE.sub(" ", note).strip()
    if not note:
        return ""
    return f"catalogue note: {note}" if len(note) <= 100 else f"catalogue note: {note[:97]}..."


def legitimate_terms(rows: Iterable[CatalogueRow]) -> frozenset[str]:
    """Terms the catalogue itself treats as correct: expected texts and co-terms of every row."""
    terms: set[str] = set()
    for row in rows:
        for original in clean_expected(row.expected).originals:
            terms.add(" ".join(phrase_key(original)))
        try:
            query = parse_query(row.fingerprint)
        except QueryError:
            continue
        for group in query.required:
            terms.update(" ".join(t.key) for t in group if not t.wildcard)
        terms.update(" ".join(t.key) for t in query.excluded)
    terms.discard("")
    return frozenset(terms)


def _merge(entries: Iterable[Entry]) -> list[Entry]:
    """One entry per (spun, conditions): originals joined (most papers first), counts added."""
    grouped: dict[tuple[str, str], list[Entry]] = {}
    for entry in entries:
        grouped.setdefault(sort_key(entry), []).append(entry)
    merged = []
    for group in grouped.values():
        group.sort(key=lambda e: -e.count)
        first = group[0]
        originals = tuple(dict.fromkeys(o for e in group for o in e.originals))
        folded = tuple(dict.fromkeys(" ".join(phrase_key(o)) for o in originals))
        unique = tuple(next(o for o in originals if " ".join(phrase_key(o)) == k) for k in folded)
        safety = max((e.safety for e in group), key=lambda s: s.rank)
        if len(unique) > 1 and safety is Safety.AUTO:
            safety = Safety.CHOOSE
        if unique and safety is Safety.FLAG:
            safety = Safety.CHOOSE  # one row knows the expected text
        merged.append(
            replace(
                first,
                originals=unique,
                safety=safety,
                ambiguous=any(e.ambiguous for e in group),
                reason=next((e.reason for e in group if e.reason), "") if safety is not Safety.AUTO else "",
                count=sum(e.count for e in group),
            )
        )
    return merged


def import_rows(
    rows: Sequence[CatalogueRow], *, min_papers: int = 0, expand: Callable[[str], tuple[str, ...]] = expand_wildcard
) -> ImportResult:
    """Convert catalogue rows into sorted, merged wordlist entries, reporting what was skipped."""
    legitimate = legitimate_terms(rows)
    entries: list[Entry] = []
    skipped: list[Skipped] = []
    converted = 0
    for row in rows:
        if row.papers < min_papers:
            skipped.append(Skipped(row, f"below --min-papers: {row.papers} papers"))
            continue
        try:
            made = convert_row(row, legitimate, expand)
        except RowSkipped as exc:
            skipped.append(Skipped(row, str(exc)))
            continue
        converted += 1
        entries.extend(made)
    merged = _merge(entries)
    merged = _resolve_chains(merged)
    return ImportResult(tuple(sorted(merged, key=sort_key)), tuple(skipped), len(rows), converted)


def _resolve_chains(entries: list[Entry]) -> list[Entry]:
    """An original that is itself an unconditional tortured phrase elsewhere makes both sides doubtful.

    The entry keeps its fix but only as a choice on evidence, so lint's
    "fix is itself listed as a spun phrase" holds and nothing is chained.
    """
    spun = {e.spun for e in entries if not e.conditions}
    out = []
    for entry in entries:
        if any(" ".join(phrase_key(o)) in spun for o in entry.originals):
            safety = entry.safety if entry.safety is not Safety.AUTO else Safety.CHOOSE
            entry = replace(entry, ambiguous=True, safety=safety)
        out.append(entry)
    return out
