"""Judging applied edits against gold edits: which of ours are right, which gold edits are restored.

Definitions in repair.tools.evaluate's docstring. Gold edits and our edits that
overlap form a cluster; over a cluster the original's wording and the text our
fixes produce are compared word by word, ignoring case and punctuation.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

from repair.core.model import Finding
from repair.core.text import phrase_key
from repair.tools.align import Alignment, GoldEdit

SNIPPET_CHARS = 30  # context either side of an edit in a report line
Status = Literal["right", "wrong", "unjudged"]


@dataclass(frozen=True, slots=True)
class Verdict:
    """One applied edit of ours and how it was judged."""

    finding: Finding
    status: Status
    expected: str = ""  # what the original reads over the edit's cluster

    def to_dict(self, text: str) -> dict[str, object]:
        data = self.finding.to_dict()
        data.update(
            status=self.status,
            expected=self.expected,
            context=snippet(text, self.finding.start, self.finding.end, self.finding.replacement),
        )
        return data


@dataclass(frozen=True, slots=True)
class _Piece:
    start: int
    end: int
    replacement: str
    owner: int  # index into the cluster's golds or ours


@dataclass(frozen=True, slots=True)
class _Rendered:
    """text[lo:hi] with pieces applied, as words, and where each piece's *changed* words are."""

    tokens: list[str]
    where: dict[int, tuple[int, int]]  # owner -> its changed words, as token indices into `tokens`
    text: str


def _render(text: str, lo: int, hi: int, pieces: Sequence[_Piece]) -> _Rendered:
    tokens: list[str] = []
    where: dict[int, tuple[int, int]] = {}
    out: list[str] = []
    cursor = lo
    for p in sorted(pieces, key=lambda p: p.start):
        tokens.extend(phrase_key(text[cursor : p.start]))
        out.append(text[cursor : p.start])
        old, new = phrase_key(text[p.start : p.end]), phrase_key(p.replacement)
        # Only the words a piece changes are its own: "only a few" -> "very few" owns "very".
        head = 0
        while head < min(len(old), len(new)) and old[head] == new[head]:
            head += 1
        tail = 0
        while tail < min(len(old), len(new)) - head and old[-1 - tail] == new[-1 - tail]:
            tail += 1
        where[p.owner] = (len(tokens) + head, len(tokens) + len(new) - tail)
        tokens.extend(new)
        out.append(p.replacement)
        cursor = p.end
    tokens.extend(phrase_key(text[cursor:hi]))
    out.append(text[cursor:hi])
    return _Rendered(tokens, where, "".join(out))


def _touched(span: tuple[int, int], changes: Iterable[tuple[int, int]]) -> bool:
    """Whether any differing stretch meets the span; stretches that merely abut a non-empty span do not."""
    a, b = span
    return any(c <= b and a <= d and not (a < b and c < d and (c == b or d == a)) for c, d in changes)


def judge(
    text: str, alignment: Alignment, applied: Sequence[Finding]
) -> tuple[list[Verdict], list[tuple[GoldEdit, bool, str]]]:
    """Judge applied findings against the gold edits of `alignment`.

    Returns a verdict per finding (in the order given) and, per gold edit, whether it
    was restored and what our output reads over its cluster.
    """
    golds = list(alignment.edits)
    ours = [f for f in applied if alignment.judges(f.start, f.end)]
    items = sorted(
        [(g.start, g.end, "gold", i) for i, g in enumerate(golds)]
        + [(f.start, f.end, "ours", i) for i, f in enumerate(ours)]
    )
    right: dict[int, str] = {}
    wrong: dict[int, str] = {}
    gold_state: dict[int, tuple[bool, str]] = {}
    cluster: list[tuple[int, int, str, int]] = []
    reach = -1
    for item in [*items, None]:
        if item is not None and (not cluster or item[0] < reach):
            cluster.append(item)
            reach = max(reach, item[1])
            continue
        if cluster:
            _judge_cluster(text, cluster, golds, ours, right, wrong, gold_state)
        cluster = [item] if item is not None else []
        reach = item[1] if item is not None else -1
    by_id = {id(f): i for i, f in enumerate(ours)}
    verdicts = []
    for f in applied:
        i = by_id.get(id(f))
        if i is None:
            verdicts.append(Verdict(f, "unjudged"))
        elif i in right:
            verdicts.append(Verdict(f, "right", right[i]))
        else:
            verdicts.append(Verdict(f, "wrong", wrong[i]))
    return verdicts, [(g, *gold_state[i]) for i, g in enumerate(golds)]


def _judge_cluster(
    text: str,
    cluster: Sequence[tuple[int, int, str, int]],
    golds: Sequence[GoldEdit],
    ours: Sequence[Finding],
    right: dict[int, str],
    wrong: dict[int, str],
    gold_state: dict[int, tuple[bool, str]],
) -> None:
    lo = min(c[0] for c in cluster)
    hi = max(c[1] for c in cluster)
    gold_ids = [i for _, _, kind, i in cluster if kind == "gold"]
    our_ids = [i for _, _, kind, i in cluster if kind == "ours"]
    expected = _render(text, lo, hi, [_Piece(golds[i].start, golds[i].end, golds[i].original, i) for i in gold_ids])
    produced = _render(text, lo, hi, [_Piece(ours[i].start, ours[i].end, ours[i].replacement, i) for i in our_ids])
    opcodes = SequenceMatcher(None, expected.tokens, produced.tokens, autojunk=False).get_opcodes()
    on_expected = [(i1, i2) for tag, i1, i2, _, _ in opcodes if tag != "equal"]
    on_produced = [(j1, j2) for tag, _, _, j1, j2 in opcodes if tag != "equal"]
    restored = {i: not _touched(expected.where[i], on_expected) for i in gold_ids}
    for i in gold_ids:
        gold_state[i] = (restored[i], produced.text)
    for i in our_ids:
        # Right: the words it wrote are the original's words in that place. Gold spans often join two
        # neighbouring swaps ("additionally helps to keep" -> "also keeps"), so an edit fixing one of
        # them is right even though the gold edit is not restored until the other is fixed too.
        ok = bool(gold_ids) and not _touched(produced.where[i], on_produced)
        (right if ok else wrong)[i] = expected.text


def snippet(text: str, start: int, end: int, replacement: str) -> str:
    """One line: a little context either side of `[spun -> replacement]`."""
    before = " ".join(text[max(0, start - SNIPPET_CHARS) : start].split()[-5:])
    after = " ".join(text[end : end + SNIPPET_CHARS].split()[:5])
    spun = " ".join(text[start:end].split())
    return f"…{before} [{spun} → {' '.join(replacement.split())}] {after}…"
