"""A tortured-phrase risk score for a manuscript: tortured phrases per 1,000 words, graded.

`repair check` prints it for a wordlist of kind `tortured-phrases` (as `repair wordlist
import-pps` writes) or with `--risk`, scored from the findings it shows.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from repair.core.model import Finding
from repair.core.text import tokenize

# Tortured phrases per 1,000 words and distinct phrases: (level, at least per 1,000, at least distinct).
# A paper of 5,000 words with five distinct tortured phrases scores 1.0 and is "high": the catalogue's
# phrases are rare in honest writing, so several different ones in one text are a strong signal, while
# a single phrase (even repeated, or in a short abstract) may be a legitimate term and only reaches "elevated".
RISK_THRESHOLDS: tuple[tuple[str, float, int], ...] = (
    ("high", 1.0, 3),
    ("elevated", 0.0, 2),
    ("elevated", 1.0, 1),
    ("low", 0.0, 1),
)
RISK_LEVELS = ("none", "low", "elevated", "high")


@dataclass(frozen=True, slots=True)
class RiskScore:
    """How strongly a text looks like it went through a paraphrasing tool."""

    phrases: int  # tortured-phrase occurrences
    distinct: int  # different phrases (by rule)
    words: int
    per_1000: float
    level: str  # one of RISK_LEVELS
    rules: tuple[str, ...] = field(default=())

    def summary(self) -> str:
        plural = "" if self.phrases == 1 else "s"
        return (
            f"tortured-phrase risk: {self.level} — {self.phrases} tortured phrase{plural} "
            f"({self.distinct} distinct) in {self.words:,} words = {self.per_1000:.2f} per 1,000 words "
            f"(high: ≥ 1.0 per 1,000 and ≥ 3 distinct; elevated: ≥ 2 distinct or ≥ 1.0 per 1,000)"
        )

    def to_dict(self) -> dict[str, object]:
        return {
            "phrases": self.phrases,
            "distinct": self.distinct,
            "words": self.words,
            "per_1000_words": round(self.per_1000, 3),
            "level": self.level,
        }


def count_words(text: str) -> int:
    """Word tokens, as the engine counts them (numbers left out)."""
    return sum(1 for t in tokenize(text) if not t.norm.isdigit())


def risk_score(findings: Iterable[Finding], words: int) -> RiskScore:
    """Tortured phrases per 1,000 words, graded by `RISK_THRESHOLDS`.

    Pass the findings of the science (tortured-phrase) lists only; flagged
    phrases whose expected text is unknown count too.
    """
    return risk_of(Counter(f.rule for f in findings), words)


def risk_of(phrases: Mapping[str, int], words: int) -> RiskScore:
    """`risk_score` from how many findings each rule gave (what a long file's blocks add up to)."""
    found = sum(phrases.values())
    rules = tuple(sorted(rule for rule, n in phrases.items() if n))
    per_1000 = 1000.0 * found / words if words > 0 else 0.0
    level = "none"
    for name, rate, distinct in RISK_THRESHOLDS:
        if found and per_1000 >= rate and len(rules) >= distinct:
            level = name
            break
    return RiskScore(found, len(rules), words, per_1000, level, rules)
