"""Frozen value types shared by the engine, the CLI, the TUI and saved decisions.

One `Finding` flows from the matcher to every consumer; nothing downstream
re-derives what the engine already knew.
"""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace


class Safety(enum.Enum):
    """What may be done with a fix without a reviewer (ordered: safest first)."""

    AUTO = "auto"  # safe to apply in batch
    CHOOSE = "choose"  # offered as a choice; a reviewer picks
    FLAG = "flag"  # shown with a reason, never applied

    @property
    def rank(self) -> int:
        return _SAFETY_RANK[self._value_]  # keyed by value: an Enum member hashes in Python, a str in C

    @classmethod
    def parse(cls, value: str) -> Safety:
        try:
            return cls(value.strip().lower())
        except ValueError:
            names = ", ".join(s.value for s in cls)
            raise ValueError(f"unknown safety {value!r} (expected one of {names})") from None


_SAFETY_RANK = {Safety.AUTO.value: 0, Safety.CHOOSE.value: 1, Safety.FLAG.value: 2}
CONTEXT_CHARS = 40  # the text a finding keeps either side of its span (`before`, `after`): its key and display


@dataclass(frozen=True, slots=True)
class Evidence(Mapping[str, float | None]):
    """What a finding's confidence was worked out from, by name (read-only).

    `names` is one tuple shared by every finding of a kind (the scorer's EVIDENCE),
    `values` the finding's own; None stands for "not measured" (the language model
    was not consulted), so equal evidence compares equal, before and after pickling.
    """

    names: tuple[str, ...] = ()
    values: tuple[float | None, ...] = ()

    def __post_init__(self) -> None:
        if len(self.names) != len(self.values):
            raise ValueError(f"{len(self.names)} evidence names for {len(self.values)} values")

    def __getitem__(self, name: str) -> float | None:
        try:
            return self.values[self.names.index(name)]
        except ValueError:
            raise KeyError(name) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self.names)

    def __len__(self) -> int:
        return len(self.names)

    def __repr__(self) -> str:
        return f"Evidence({dict(self)!r})"


@dataclass(frozen=True, slots=True)
class Condition:
    """A context condition on an entry; all of an entry's conditions must hold.

    kind is one of:
      before / after       the token right before / after the match is one of `words`
      near                 one of `words` occurs within `window` tokens either side
      doc                  one of `words` (phrases) occurs anywhere in the document
      not-before / not-after / not-near / not-doc   the negations (vetoes)

    A fired veto rules a match out, except on an `evidence` entry: there it marks
    the match as vetoed, and the scorer keeps it only on strong evidence (a
    densely spun document and a language model that prefers the original).
    """

    kind: str
    words: tuple[str, ...]
    window: int = 6
    # Derived once, because conditions are checked in the scanner's inner loop.
    negated: bool = field(init=False, compare=False, repr=False)
    base_kind: str = field(init=False, compare=False, repr=False)
    word_set: frozenset[str] = field(init=False, compare=False, repr=False)
    phrases: tuple[str, ...] = field(init=False, compare=False, repr=False)  # the multi-word ones

    def __post_init__(self) -> None:
        object.__setattr__(self, "negated", self.kind.startswith("not-"))
        object.__setattr__(self, "base_kind", self.kind.removeprefix("not-"))
        object.__setattr__(self, "word_set", frozenset(self.words))
        object.__setattr__(self, "phrases", tuple(w for w in self.words if " " in w))


@dataclass(frozen=True, slots=True)
class Entry:
    """One line of a reversal wordlist: a spun phrase and the original wording(s)."""

    spun: str  # normalised, lower-case, single-spaced
    originals: tuple[str, ...]  # best first
    safety: Safety = Safety.AUTO
    ambiguous: bool = False  # the spun side is ordinary English: fix only on evidence
    conditions: tuple[Condition, ...] = ()
    reason: str = ""  # shown for flag entries and in reasons
    inflect: bool = True  # generate inflected variants of both sides
    pos: str = ""  # which inflections: "noun", "verb", "noun+verb"; "" = what both sides allow
    count: int = 0  # how often the swap was observed (learned lists)
    kept: int = 0  # how often the spun phrase was seen left as it was in spun text (learned lists)
    stories: int = 0  # in how many different stories the swap was observed (learned lists)
    mined: int = 0  # how many of `count` were mined from pages without their originals (learned lists)
    example: str = ""  # one observed example (learned lists)
    source: str = ""  # wordlist name, e.g. "news"
    line: int = 0  # line number in its wordlist file

    @property
    def rule_id(self) -> str:
        return f"{self.source}:{self.spun}" if self.source else self.spun


@dataclass(frozen=True, slots=True)
class Finding:
    """A span of the text that looks spun, with what it probably was.

    Offsets are character offsets into the scanned text (str indices, not bytes);
    `line` and `column` are 1-based for humans.
    """

    start: int
    end: int
    spun: str  # the text exactly as it stands in the document
    suggestions: tuple[str, ...]  # replacements with the case of `spun` carried over
    confidence: float  # in [0, 1]
    safety: Safety
    reason: str
    rule: str  # Entry.rule_id (or a generated id for non-wordlist sources)
    line: int = 1
    column: int = 1
    before: str = ""  # up to CONTEXT_CHARS of text before the span (for keys and display)
    after: str = ""  # and after it
    evidence: Evidence = field(default=Evidence())

    @property
    def replacement(self) -> str:
        return self.suggestions[0] if self.suggestions else self.spun

    @property
    def key(self) -> str:
        """A stable id keyed by content and context, not by position.

        It survives edits elsewhere in the document, so saved review decisions
        still apply after the text around them has moved.
        """
        material = "\x1f".join((self.rule, self.spun, self.before[-24:], self.after[:24]))
        return hashlib.blake2b(material.encode("utf-8"), digest_size=8).hexdigest()

    def with_confidence(self, confidence: float, safety: Safety, reason: str) -> Finding:
        return replace(self, confidence=confidence, safety=safety, reason=reason)

    def to_dict(self, path: str | None = None) -> dict[str, object]:
        """The JSON form (schema version 1); `path` is added when given."""
        data: dict[str, object] = {}
        if path is not None:
            data["path"] = path
        data.update(
            line=self.line,
            column=self.column,
            start=self.start,
            end=self.end,
            spun=self.spun,
            suggestions=list(self.suggestions),
            confidence=round(self.confidence, 4),
            safety=self.safety.value,
            reason=self.reason,
            rule=self.rule,
            key=self.key,
        )
        return data


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace text[start:end], which must still read `expected`, by `replacement`."""

    start: int
    end: int
    expected: str
    replacement: str

    @classmethod
    def from_finding(cls, finding: Finding, choice: int = 0) -> Edit:
        return cls(start=finding.start, end=finding.end, expected=finding.spun, replacement=finding.suggestions[choice])


class StaleEditError(ValueError):
    """An edit's span no longer holds the text it was made for."""
