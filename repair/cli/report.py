"""What the command line prints: findings (human or JSON), check's per-file report, summaries, diffs, problems.

`CheckReport` is how `repair check` reports one file (or one block of a long file). It is
handed to the batch as `ScanOptions.summarise` and runs where the file was scanned (in a
worker process with `-j N`), so only the formatted lines travel back to the parent.
"""

from __future__ import annotations

import json
import os
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, ClassVar, TextIO

from repair.cli import formats
from repair.cli.common import error, warning
from repair.cli.worddiff import render_diff
from repair.core.engine import Selection
from repair.core.model import Finding, Safety
from repair.edge.batch import FileResult

FIX_DEFAULT = Selection()  # what `repair fix` applies (repair.edge.fixing.SAFE, not imported here: start-up time)
JSON_SCHEMA = 1  # the "schema" field of every `check --format json` line
CLEAR_LINE = "\r\x1b[K"  # back to the start of the terminal line, and erase it


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}es" if word.endswith("x") else f"{n} {word}s"


def report_problem(result: FileResult) -> bool:
    """Print a result's error or warning; True when there was one (and so nothing to report)."""
    if result.error is not None:
        error(result.error)
    elif result.warning is not None:
        warning(result.warning)
    return not result.scanned


class Style:
    """ANSI colour when wanted; otherwise every method returns its text unchanged."""

    CODES: ClassVar[dict[str, str]] = {
        "path": "1",
        "spun": "31",
        "fix": "32",
        "dim": "2",
        "auto": "32",
        "choose": "33",
        "flag": "35",
    }

    def __init__(self, choice: str, stream: TextIO) -> None:
        # NO_COLOR (any non-empty value) wins even over --color always: it is the user's standing wish.
        wanted = choice == "always" or (choice == "auto" and stream.isatty())
        self.on = wanted and not os.environ.get("NO_COLOR")

    def __call__(self, kind: str, text: str) -> str:
        return f"\x1b[{self.CODES[kind]}m{text}\x1b[0m" if self.on else text


def format_finding(path: str, finding: Finding, style: Style | None = None) -> str:
    """`path:line:col: spun → original (confidence 0.93, auto, reason)`."""
    spun = " ".join(finding.spun.split())  # a phrase may run over a line break
    fixes, arrow, safety, reason = finding.suggestions, "→", finding.safety.value, formats.worded_reason(finding.reason)
    if style is not None and style.on:  # plain text (the common case: a pipe or a file) skips the styling calls
        path, spun, arrow, safety = style("path", path), style("spun", spun), style("dim", arrow), style(safety, safety)
        fixes = tuple(style("fix", x) for x in fixes)
        reason = style("dim", reason) if reason else reason
    suggested = f" {arrow} {' | '.join(fixes)}" if fixes else ""
    details = f"confidence {finding.confidence:.2f}, {safety}{f', {reason}' if reason else ''}"
    return f"{path}:{finding.line}:{finding.column}: {spun}{suggested} ({details})"


def finding_json(path: str, finding: Finding) -> str:
    data = finding.to_dict(path)
    data["reason"] = formats.worded_reason(finding.reason)
    return json.dumps({"schema": JSON_SCHEMA, **data}, ensure_ascii=False)


@dataclass(frozen=True, slots=True)
class CheckSummary:
    """What `repair check` reports of one file, or of one block of a file read a block at a time."""

    lines: tuple[str, ...]  # the findings shown, formatted
    by_safety: tuple[tuple[Safety, int], ...]  # the findings shown, by safety class (none: no finding shown)
    fixable: int  # how many of them `repair fix` would apply
    by_rule: tuple[tuple[str, Safety, int], ...] = ()  # the findings shown, by rule and safety (--statistics)
    sarif: tuple[dict[str, Any], ...] = ()  # --format sarif: the file's results
    rows: tuple[tuple[object, ...], ...] = ()  # --format parquet: its finding rows (repair.edge.table)
    confidence: float = 0.0  # the findings shown, their confidences added up (a document row's spin score)


@dataclass(frozen=True, slots=True)
class CheckReport:
    """`repair check`'s report of one file or block, made where it was scanned (ScanOptions.summarise).

    A file's risk score is added up from its blocks' `by_rule` by the command (repair.cli.check).
    """

    format: str  # human, json, sarif, github or parquet
    shown_classes: tuple[Safety, ...]
    threshold: float
    colour: bool  # worked out in the parent, which owns the terminal
    statistics: bool = False  # counts only: no line per finding

    def __call__(self, result: FileResult) -> CheckSummary:
        shown = [f for f in result.findings if f.safety in self.shown_classes and f.confidence >= self.threshold]
        label = result.source.label
        style = Style("always" if self.colour else "never", sys.stdout)
        lines: list[str] = []
        sarif: tuple[dict[str, Any], ...] = ()
        rows: tuple[tuple[object, ...], ...] = ()
        if self.format == "sarif":
            sarif = formats.sarif_results(label, shown)
        elif self.format == "parquet":  # the document's row (its risk grade, spin score) is added by the command
            from repair.edge import table  # only for this format: start-up time otherwise

            rows = tuple(table.finding_row(label, f) for f in shown)
        elif self.statistics:
            pass
        elif self.format == "json":
            lines = [finding_json(label, f) for f in shown]
        elif self.format == "github":
            lines = [formats.github_line(label, f) for f in shown]
        else:
            lines = [format_finding(label, f, style) for f in shown]
        counts = tuple(Counter(f.safety for f in shown).items())
        by_rule = tuple((rule, safety, n) for (rule, safety), n in Counter((f.rule, f.safety) for f in shown).items())
        fixable = sum(FIX_DEFAULT.accepts(f) for f in shown)
        return CheckSummary(tuple(lines), counts, fixable, by_rule, sarif, rows, sum(f.confidence for f in shown))


def statistics_lines(by_rule: Counter[tuple[str, Safety]], fmt: str) -> list[str]:
    """`--statistics`: how many findings each rule gave, most first (like ruff's)."""
    ordered = sorted(by_rule.items(), key=lambda item: (-item[1], item[0][0], item[0][1].rank))
    if fmt == "json":
        rows = [{"rule": rule, "safety": safety.value, "count": n} for (rule, safety), n in ordered]
        return [json.dumps({"schema": JSON_SCHEMA, "statistics": rows}, ensure_ascii=False)]
    width = max((len(str(n)) for n in by_rule.values()), default=1)
    rule_width = max((len(rule) for rule, _ in by_rule), default=1)
    return [f"{n:>{width}}  {rule:<{rule_width}}  {safety.value}" for (rule, safety), n in ordered]


def progress(results: Iterable[FileResult], total: int, quiet: bool) -> Iterator[FileResult]:
    """A progress line on stderr (`scanning 12/272 files`), only on a terminal and for several files.

    The line is cleared before each result is handed on, so what the caller prints to a
    terminal stdout is never mixed into it; it is redrawn after. A file read a block at a
    time counts once it is all done.
    """
    if quiet or total < 2 or not sys.stderr.isatty():
        yield from results
        return
    err = sys.stderr
    done = 0
    try:
        for result in results:
            err.write(CLEAR_LINE)
            err.flush()
            yield result
            sys.stdout.flush()
            done += result.final
            err.write(f"{CLEAR_LINE}scanning {done}/{total} files")
            err.flush()
    finally:
        err.write(CLEAR_LINE)
        err.flush()


def write_stdout(data: bytes) -> None:
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # a text-only stream (some embedding hosts): fall back to text
        sys.stdout.write(data.decode("utf-8", "surrogateescape"))
    else:
        buffer.write(data)
        buffer.flush()


def diff_text(path: str, old: str, new: str, diff_format: str, colour: bool) -> str:
    """`fix --diff`: unified (a patch; `\\ No newline at end of file` where needed) or words (to read)."""
    return render_diff(old, new, diff_format=diff_format, color=colour, fromfile=f"a/{path}", tofile=f"b/{path}")  # type: ignore[arg-type]


def diff_format_for(choice: str | None, stream: TextIO) -> str:
    """--diff-format, or by default words on a terminal and unified when redirected (a patch)."""
    return choice or ("words" if stream.isatty() else "unified")
