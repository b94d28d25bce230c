"""`repair learn`: turn evidence of spinning into proposed wordlist entries.

Two kinds of evidence:

* spun copies next to their originals (`learn`): each pair is aligned by
  `repair.tools.align`, its phrase swaps (one to three words a side) are collected,
  counted across pairs and filtered of noise — names (a swap seen mostly
  capitalised inside a sentence), numbers, punctuation, and stretches too long
  to be a thesaurus swap;
* saved review decisions (`repair.tools.learn_decisions`): reviewers' own
  replacements become proposed entries (as a patch to the shipped lists), and
  rules that reviewers only ever reject become an ignore list.

Everything here is a pure function of texts; `repair learn` (repair.cli.learn) reads and writes.
A proposed list is for a reviewer: every entry keeps `count=` and one short
`example=` of the spun text it came from.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from repair.core.frequencies import zipf
from repair.core.lm import spoken_number
from repair.core.model import Entry
from repair.core.text import (
    AUXILIARIES,
    FUNCTION_WORDS,
    PRONOUNS_AND_DETERMINERS,
    Token,
    is_joiner,
    phrase_key,
    tokenize,
)
from repair.core.wordlists import format_entry, line_key, parse_line, sort_key
from repair.tools.align import Swap, align

CLOSED_CLASS = FUNCTION_WORDS | PRONOUNS_AND_DETERMINERS

MAX_WORDS = 3  # words a side of a learned swap
ORDINARY_ZIPF = 3.0  # a single spun word at least this common is ordinary English: fix on evidence
EXAMPLE_CHARS = 32  # characters either side of the swap in `example=`
HEADLINE_CAPITALISED = 0.75  # a short line with this share of capitalised words is a headline
HEADLINE_WORDS = 16
# Inflecting these makes nonsense ("can" -> "could" would shadow a learned "could"): learned as seen.


# ---------------------------------------------------------------- pairs


@dataclass(frozen=True, slots=True)
class Pair:
    name: str
    spun: str
    original: str
    story: str = ""  # which story it copies (pairs of one story spun twice count as one story); "" = its name

    @property
    def group(self) -> str:
        return self.story or self.name


@dataclass(frozen=True, slots=True)
class PairEvidence:
    """What one pair teaches, worked out once: its swaps, its noise, and how often each phrase occurs in it.

    `learn_from` combines any subset of these, so leave-one-story-out evaluation can
    learn a list per held-out story without aligning every pair again.
    """

    pair: Pair
    observations: tuple[Observation, ...]
    noise: tuple[tuple[Observation, str], ...]  # what a list for a reviewer leaves out, and why
    phrases: Counter[str]  # phrases of up to max_words words in the spun text's aligned sentences

    @property
    def dropped(self) -> tuple[Dropped, ...]:
        return tuple(Dropped(o.spun, o.original, 1, why) for o, why in self.noise)


@dataclass(frozen=True, slots=True)
class Observation:
    """One swap seen in one pair."""

    spun: str  # normalised key, single-spaced
    original: str  # normalised key of the original wording
    example: str  # a short window of the spun text around the swap
    pair: str
    case: str  # "name" (capitalised inside a sentence), "plain" (lower case) or "neutral" (sentence start, headline)
    start: int = 0  # the swap's span in the spun text
    end: int = 0
    mined: bool = False  # sighted by the LM on a page without its original (repair.tools.mine), not aligned


@dataclass(frozen=True, slots=True)
class Dropped:
    spun: str
    original: str
    count: int
    reason: str

    def __str__(self) -> str:
        return f"{self.spun} -> {self.original} (x{self.count}): {self.reason}"


@dataclass(frozen=True)
class Learned:
    """What `learn` proposes and what it set aside."""

    entries: tuple[Entry, ...]
    dropped: tuple[Dropped, ...]
    observations: int  # swaps kept as evidence
    pairs: int

    def dropped_by_reason(self) -> dict[str, int]:
        counts: Counter[str] = Counter()
        for d in self.dropped:
            counts[d.reason.split(":")[0]] += d.count
        return dict(counts.most_common())


def _line_around(text: str, offset: int) -> str:
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return text[start : len(text) if end == -1 else end]


def _is_headline(line: str) -> bool:
    """A short line of mostly capitalised words (function words aside)."""
    words = [w for w in re.findall(r"[^\W\d_]+", line) if len(w) > 3]
    if not words:
        return False
    capitalised = sum(1 for w in words if w[:1].isupper())
    short = len(line.split()) <= HEADLINE_WORDS
    return line.isupper() or (short and capitalised / len(words) >= HEADLINE_CAPITALISED)


def _sentence_start(text: str, offset: int) -> bool:
    before = text[:offset].rstrip(" \t\u00a0\"'“‘([")
    return not before or before[-1] in ".!?:\n…" or before.endswith(("—", "–"))


def _case_of(text: str, tokens: Sequence[Token], first: int, last: int) -> str:
    """How the words text[tokens[first:last]] are written: a name, plain lower case, or no telling.

    A capitalised word inside a sentence is a name ("Purple Lobster"); so is a
    capitalised word at a sentence start when the next word is capitalised too.
    Headlines (mostly capitalised lines) tell nothing.
    """
    words = [text[t.start : t.end] for t in tokens[first:last]]
    capitalised = [i for i, w in enumerate(words) if w[:1].isupper() and w != "I"]
    if not capitalised:
        return "plain"
    if _is_headline(_line_around(text, tokens[first].start)):
        return "neutral"
    for i in capitalised:
        if i > 0 or not _sentence_start(text, tokens[first].start):
            return "name"
    following = text[tokens[last].start : tokens[last].end] if last < len(tokens) else ""
    return "name" if following[:1].isupper() and following != "I" else "neutral"


def _token_range(tokens: Sequence[Token], start: int, end: int) -> tuple[int, int]:
    first = bisect.bisect_left([t.start for t in tokens], start)
    last = first
    while last < len(tokens) and tokens[last].end <= end:
        last += 1
    return first, last


def _same_lemma(a: str, b: str) -> bool:
    """ "approved" / "approves": an inflection change, not a thesaurus swap."""
    if " " in a or " " in b:
        return False
    import lemminflect

    lemmas_a = {x for v in lemminflect.getAllLemmas(a).values() for x in v} | {a}
    lemmas_b = {x for v in lemminflect.getAllLemmas(b).values() for x in v} | {b}
    return bool(lemmas_a & lemmas_b)


_CONTRACTIONS = (("n't", " not"), ("'re", " are"), ("'ve", " have"), ("'ll", " will"), ("'m", " am"), ("'s", " is"))


def _expand_contractions(key: str) -> str:
    for short, long in _CONTRACTIONS:
        key = re.sub(rf"{short}\b", long, key)
    return key.replace("can not", "cannot").replace("wo not", "will not")


def _example(text: str, start: int, end: int) -> str:
    lo = max(0, start - EXAMPLE_CHARS)
    hi = min(len(text), end + EXAMPLE_CHARS)
    while lo > 0 and not text[lo - 1].isspace() and lo > start - 2 * EXAMPLE_CHARS:
        lo -= 1
    while hi < len(text) and not text[hi].isspace() and hi < end + 2 * EXAMPLE_CHARS:
        hi += 1
    return " ".join(text[lo:hi].split()).replace('"', "'")


def observe(pair: Pair, *, max_words: int = MAX_WORDS) -> tuple[list[Observation], list[Dropped]]:
    """The swaps of one pair, split at punctuation, with what was dropped as noise."""
    evidence = study(pair, max_words=max_words)
    return list(evidence.observations), list(evidence.dropped)


def study(pair: Pair, *, max_words: int = MAX_WORDS) -> PairEvidence:
    """Align one pair: its swaps, its noise, and its spun text's phrase counts (where it aligns)."""
    kept: list[Observation] = []
    noise: list[tuple[Observation, str]] = []
    spun_tokens, orig_tokens = tokenize(pair.spun), tokenize(pair.original)
    alignment = align(pair.spun, pair.original, max_tokens=max(max_words, 4))
    for swap in alignment.swaps:
        for obs, problem in _pieces(pair, swap, max_words, spun_tokens, orig_tokens):
            if problem:
                noise.append((obs, problem))
            else:
                kept.append(obs)
    phrases: Counter[str] = Counter()
    for region in alignment.regions:
        words = [t.norm for t in spun_tokens if region.spun_start <= t.start and t.end <= region.spun_end]
        for n in range(1, max_words + 1):
            phrases.update(" ".join(words[i : i + n]) for i in range(len(words) - n + 1))
    return PairEvidence(pair, tuple(kept), tuple(noise), phrases)


def _pieces(
    pair: Pair, swap: Swap, max_words: int, spun_tokens: Sequence[Token], orig_tokens: Sequence[Token]
) -> Iterable[tuple[Observation, str]]:
    """One swap as observations: split where both sides have punctuation at the same places."""
    edit = swap.edit
    s_first, s_last = _token_range(spun_tokens, edit.start, edit.end)
    o_first, o_last = _token_range(orig_tokens, edit.orig_start, edit.orig_end)
    s_runs = _runs(pair.spun, s_first, s_last, spun_tokens)
    o_runs = _runs(pair.original, o_first, o_last, orig_tokens)

    def make(s_run: tuple[int, int], o_run: tuple[int, int]) -> tuple[Observation, str]:
        (a, b), (c, d) = _trim(spun_tokens, s_run, orig_tokens, o_run)
        s_key = " ".join(t.norm for t in spun_tokens[a:b])
        o_key = " ".join(t.norm for t in orig_tokens[c:d])
        start = spun_tokens[a].start if b > a else edit.start
        end = spun_tokens[b - 1].end if b > a else edit.end
        case = _case_of(pair.spun, spun_tokens, a, b) if b > a else "neutral"
        if d > c and _case_of(pair.original, orig_tokens, c, d) == "name":
            case = "name"  # "purple" in the spun text for "Red" in the original
        obs = Observation(s_key, o_key, _example(pair.spun, start, end), pair.name, case, start, end)
        return obs, _noise(s_key, o_key, max_words)

    if len(s_runs) == len(o_runs):
        for s_run, o_run in zip(s_runs, o_runs, strict=True):
            yield make(s_run, o_run)
    else:
        obs, _ = make((s_first, s_last), (o_first, o_last))
        yield obs, "punctuation: the swap spans punctuation that differs"


def _trim(
    spun: Sequence[Token], s_run: tuple[int, int], orig: Sequence[Token], o_run: tuple[int, int]
) -> tuple[tuple[int, int], tuple[int, int]]:
    """Drop words both sides share at the edges ("will helps to keep" / "will keep" -> "helps to keep" / "keep")."""
    (a, b), (c, d) = s_run, o_run
    while b - a > 1 and d - c > 1 and spun[a].norm == orig[c].norm:
        a, c = a + 1, c + 1
    while b - a > 1 and d - c > 1 and spun[b - 1].norm == orig[d - 1].norm:
        b, d = b - 1, d - 1
    return (a, b), (c, d)


def _runs(text: str, first: int, last: int, tokens: Sequence[Token]) -> list[tuple[int, int]]:
    """Token ranges inside [first, last) that one phrase entry can span (broken at punctuation)."""
    runs: list[tuple[int, int]] = []
    for i in range(first, last):
        if runs and is_joiner(text[tokens[i - 1].end : tokens[i].start]):
            runs[-1] = (runs[-1][0], i + 1)
        else:
            runs.append((i, i + 1))
    return runs


def _same_number(a: str, b: str) -> bool:
    """ "5" and "five": one number written two ways (spinners swap them)."""
    digits, words = (a, b) if a.isdigit() else (b, a)
    return digits.isdigit() and len(digits) <= 3 and " ".join(spoken_number(digits)) == words


def _noise(s_key: str, o_key: str, max_words: int) -> str:
    """Why a swap is not a thesaurus swap worth an entry ("" when it is)."""
    if not s_key or not o_key:
        return "punctuation: one side has no words"
    if s_key == o_key:
        return "punctuation: same words"
    s_digits, o_digits = re.sub(r"\D", "", s_key), re.sub(r"\D", "", o_key)
    if (o_digits or (s_digits and s_digits != o_digits)) and not _same_number(s_key, o_key):
        return "number"
    if len(s_key.split()) > max_words or len(o_key.split()) > max_words:
        return f"too long: more than {max_words} words a side (restructured)"
    if _expand_contractions(s_key) == _expand_contractions(o_key):
        return "style: a contraction"
    if f" {s_key} " in f" {o_key} ":
        return "not a swap: the original only adds words"
    if _same_lemma(s_key, o_key):
        return "not a swap: another form of the same word"
    return ""


# ---------------------------------------------------------------- counting


def _split_compounds(observations: list[Observation]) -> list[Observation]:
    """ "corporate mentioned" -> "company said" becomes two swaps when each word swap is seen on its own.

    Adjacent one-word swaps come out of the aligner as one phrase; splitting them
    lets each entry fire in other contexts. A phrase whose words are not all seen
    alone ("turns into tougher" -> "becomes more difficult") stays whole.
    """
    single = {(o.spun, o.original) for o in observations if " " not in o.spun and " " not in o.original}
    out = []
    for o in observations:
        s, t = o.spun.split(), o.original.split()
        if len(s) == len(t) > 1:
            pairs = [(a, b) for a, b in zip(s, t, strict=True) if a != b]
            if pairs and any(p in single for p in pairs) and not any(_noise(a, b, 1) for a, b in pairs):
                out.extend(replace(o, spun=a, original=b) for a, b in pairs)
                continue
        out.append(o)
    return out


def learn(pairs: Sequence[Pair], *, min_count: int = 1, max_words: int = MAX_WORDS, examples: bool = True) -> Learned:
    """Proposed entries from spun/original pairs; see the module docstring."""
    return learn_from([study(pair, max_words=max_words) for pair in pairs], min_count=min_count, examples=examples)


# What `learn_from(..., strict=False)` keeps that a list for a reviewer leaves out: the spinner swaps names
# ("Wall Street" -> "Wall Road") and contractions ("we're" -> "we are") as it swaps words, and a scorer can
# weigh them (the language model and the document decide), while a reviewer would rather not read them.
LENIENT = ("name", "style")


def learn_from(
    studied: Sequence[PairEvidence], *, min_count: int = 1, examples: bool = True, strict: bool = True
) -> Learned:
    """Entries from pairs already studied: a line per (spun phrase, original), with the counts the scorer reads.

    `count=` is how often the swap was seen, `stories=` in how many stories, `kept=` how
    often the spun phrase stood in the spun texts without being a swap (a word the
    spinner only sometimes writes for the original, like "customers", is kept often).
    Without `examples`, no text of the pairs is copied into the entries.
    """
    observations = [o for s in studied for o in s.observations]
    dropped: list[Dropped] = []
    for o, why in (item for s in studied for item in s.noise):
        if not strict and why.split(":")[0] in LENIENT:
            observations.append(replace(o, case="plain"))
        else:
            dropped.append(Dropped(o.spun, o.original, 1, why))
    observations = _split_compounds(observations)
    stories_of = {s.pair.name: s.pair.group for s in studied}
    phrases: Counter[str] = Counter()
    for s in studied:
        phrases.update(s.phrases)

    by_spun: dict[str, list[Observation]] = defaultdict(list)
    for o in observations:
        by_spun[o.spun].append(o)
    entries: list[Entry] = []
    for spun, seen in by_spun.items():
        mapping = Counter(o.original for o in seen)
        cases = Counter(o.case for o in seen)
        if strict and cases["name"] and cases["name"] >= cases["plain"]:
            for original, n in mapping.items():
                dropped.append(Dropped(spun, original, n, "name: seen capitalised inside sentences"))
            continue
        if all(w in CLOSED_CLASS for w in f"{spun} {' '.join(mapping)}".split()) and len(seen) < 2:
            for original, n in mapping.items():
                dropped.append(Dropped(spun, original, n, "function words: seen once, too little to go on"))
            continue
        if len(seen) < min_count:
            for original, n in mapping.items():
                dropped.append(Dropped(spun, original, n, f"rare: seen fewer than {min_count} times"))
            continue
        kept = max(0, phrases[spun] - len(seen))
        ordinary = kept > 0 or (" " not in spun and zipf(spun) >= ORDINARY_ZIPF)
        for original, n in sorted(mapping.items(), key=lambda kv: (-kv[1], kv[0])):
            if original == spun:
                continue
            own = [o for o in seen if o.original == original]
            example = next((o.example for o in own if o.case != "name"), own[0].example) if examples else ""
            auxiliary = any(w in AUXILIARIES for w in f"{spun} {original}".split())
            entries.append(
                Entry(
                    spun=spun,
                    originals=(original,),
                    ambiguous=ordinary or len(mapping) > 1,
                    inflect=not auxiliary,
                    count=n,
                    kept=kept,
                    stories=len({stories_of.get(o.pair, o.pair) for o in own}),
                    mined=sum(o.mined for o in own),
                    example=example,
                )
            )
    entries, conflicts = _drop_conflicts(entries)
    dropped.extend(conflicts)
    entries = _unchain(entries)
    kept_total = sum(e.count for e in entries)
    return Learned(tuple(sorted(entries, key=line_key)), _merge_dropped(dropped), kept_total, len(studied))


def _drop_conflicts(entries: list[Entry]) -> tuple[list[Entry], list[Dropped]]:
    """A phrase holding a learned word swap but rewritten to function words only is an editor's rewrite.

    "the corporate" -> "it" would hide "corporate" -> "company" as the longer match.
    """
    single = {e.spun: e for e in entries if " " not in e.spun}
    kept, dropped = [], []
    for e in entries:
        words = e.spun.split()
        original_words = {w for o in e.originals for w in phrase_key(o)}
        if not original_words <= CLOSED_CLASS:
            kept.append(e)
            continue
        clash = [
            w
            for w in words
            if len(words) > 1
            and w in single
            and not original_words & {x for o in single[w].originals for x in phrase_key(o)}
            and w not in original_words
        ]
        if clash:
            dropped.extend(
                Dropped(e.spun, o, e.count, f"not a swap: {clash[0]!r} is learned as a swap it does not agree with")
                for o in e.originals
            )
        else:
            kept.append(e)
    return kept, dropped


def _unchain(entries: list[Entry]) -> list[Entry]:
    """A fix that is itself a learned spun phrase ("could -> might", "might -> may") is ordinary English."""
    spun = {e.spun for e in entries}
    return [
        replace(e, ambiguous=True) if any(" ".join(phrase_key(o)) in spun for o in e.originals) else e for e in entries
    ]


def _merge_dropped(dropped: Iterable[Dropped]) -> tuple[Dropped, ...]:
    counts: Counter[tuple[str, str, str]] = Counter()
    for d in dropped:
        counts[(d.spun, d.original, d.reason)] += d.count
    return tuple(Dropped(s, o, n, r) for (s, o, r), n in sorted(counts.items()))


# ---------------------------------------------------------------- merging into a list


@dataclass(frozen=True)
class MergeResult:
    text: str
    added: tuple[Entry, ...]
    present: tuple[Entry, ...]  # learned entries the list already had (by spun phrase and conditions)


def merge_into(existing: str, entries: Iterable[Entry], *, name: str = "wordlist") -> MergeResult:
    """Insert new entries at their sorted places, leaving every existing line (and comment) as it is."""
    lines = existing.splitlines()
    keyed: list[tuple[int, tuple[str, str]]] = []
    for number, line in enumerate(lines, 1):
        entry = parse_line(line, source=name, path=name, lineno=number)
        if entry is not None:
            keyed.append((number - 1, sort_key(entry)))
    known = {key for _, key in keyed}
    added, present = [], []
    inserts: dict[int, list[str]] = defaultdict(list)
    for entry in sorted(entries, key=sort_key):
        key = sort_key(entry)
        if key in known:
            present.append(entry)
            continue
        known.add(key)
        added.append(entry)
        at = next((index for index, other in keyed if other > key), None)
        if at is None:  # after the last entry (comments that close the file stay last)
            at = keyed[-1][0] + 1 if keyed else len(lines)
        inserts[at].append(format_entry(entry))
    out: list[str] = []
    for index in range(len(lines) + 1):
        out.extend(inserts.get(index, ()))
        if index < len(lines):
            out.append(lines[index])
    return MergeResult("\n".join(out) + "\n", tuple(added), tuple(present))
