"""What is worth reporting: the reporting threshold, and findings silenced in the document itself.

`REPORT_THRESHOLD` is the one place the default of `repair check --threshold` (and of
`repair report` and `repair.scan`) is set: findings less confident than this are the
engine's doubts, not a person's work, so a clean article passes a CI gate. `--all`
shows everything; `--threshold F` overrides it.

Inline suppression works in any file format, because only the marker text is looked
for on a line (in a `#`, `//`, `<!-- -->` or `%` comment, or in plain text):

    a line with spun wording   <!-- repair: ignore -->     silences that line
    repair: off                                          silences every line up to
    ...                                                  the next `repair: on`
    repair: on                                           (or the end of the file)
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence

from repair.core.model import Finding

# Findings below this confidence are not reported by default. The scorer decides what a
# confidence means, so whoever changes the scorer sets this value (see docs/usage.md).
REPORT_THRESHOLD = 0.5

_MARKER = re.compile(r"\brepair:\s*(ignore|off|on)\b", re.IGNORECASE)


def suppressed_lines(text: str, region_open: bool = False) -> frozenset[int]:
    """The 1-based numbers of the lines whose findings are silenced by a marker.

    `region_open`: the text starts inside a `repair: off` region (the text before it,
    a previous block of a long file, opened one).
    """
    return _suppression(text, region_open)[0]


def region_open_after(text: str, region_open: bool = False) -> bool:
    """Whether a `repair: off` region is open at the end of `text` (given whether one was at its start)."""
    if "repair:" not in text.lower():
        return region_open
    return _suppression(text, region_open)[1]


def _suppression(text: str, region_open: bool) -> tuple[frozenset[int], bool]:
    if "repair:" not in text.lower():  # the usual case: nothing to look at
        return (frozenset(range(1, text.count("\n") + 2)) if region_open else frozenset()), region_open
    silenced: set[int] = set()
    for number, line in enumerate(text.split("\n"), start=1):
        markers = [m.group(1).lower() for m in _MARKER.finditer(line)]
        if region_open or "ignore" in markers:
            silenced.add(number)
        for marker in markers:
            if marker == "off" and not region_open:
                region_open = True
                silenced.add(number)
            elif marker == "on" and region_open:
                region_open = False
    return frozenset(silenced), region_open


def unsuppressed(text: str, findings: Sequence[Finding], region_open: bool = False) -> list[Finding]:
    """The findings that no `repair: ignore` line or `repair: off` region covers.

    A finding is silenced when any line it touches is (a phrase may run over a line break).
    """
    silenced = suppressed_lines(text, region_open)
    if not silenced:
        return list(findings)
    starts = _line_starts(text)
    return [f for f in findings if not _touches(silenced, starts, f)]


def _line_starts(text: str) -> list[int]:
    return [0, *(m.end() for m in re.finditer("\n", text))]


def _touches(silenced: frozenset[int], starts: list[int], finding: Finding) -> bool:
    first = bisect.bisect_right(starts, finding.start)
    last = bisect.bisect_right(starts, max(finding.start, finding.end - 1))
    return any(n in silenced for n in range(first, last + 1))


# The scorer states the LM's preference for the original in nats, but not its preference for the text as written.
_UNITLESS_LM = re.compile(r"(LM prefers it as written by \d+(?:\.\d+)?)(?![\d.]|\s*nats)")


def worded_reason(reason: str) -> str:
    """A finding's reason as every output shows it: with its units (the scorer's words are otherwise kept)."""
    return _UNITLESS_LM.sub(r"\1 nats", reason)


def reportable(findings: Iterable[Finding], threshold: float = REPORT_THRESHOLD) -> list[Finding]:
    """The findings at least `threshold` confident (what `repair check` shows by default)."""
    return [f for f in findings if f.confidence >= threshold]
