"""`repair check PATH...`: report findings, one line (or JSON object, SARIF result, annotation, table row) each.

Findings are written as they are made: a file read a block at a time (`repair.edge.batch`)
has each block's findings written when that block is scanned, SARIF included
(`formats.SarifStream`), so memory does not grow with the number of findings.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from repair import __version__
from repair.cli import formats
from repair.cli.common import (
    ExitCode,
    UsageError,
    batch_results,
    globs,
    report_threshold,
    require_paths,
    scan_options,
    walk_sources,
)
from repair.cli.report import (
    JSON_SCHEMA,
    CheckReport,
    CheckSummary,
    Style,
    plural,
    progress,
    report_problem,
    statistics_lines,
)
from repair.core.model import Safety
from repair.core.risk import risk_of
from repair.core.wordlists import TORTURED_PHRASES
from repair.edge.batch import FileResult, ScanOptions
from repair.edge.inputs import Source

if TYPE_CHECKING:  # the Parquet table is imported only for --format parquet (start-up time otherwise)
    from repair.edge.table import ParquetSink


def _check_output(args: argparse.Namespace) -> None:
    """-o is where a Parquet table goes (and only that: text formats go to stdout, to redirect as usual)."""
    if args.format == "parquet" and not args.output:
        raise UsageError("--format parquet writes a file: give -o FILE (or a URL)", "repair check")
    if args.output and args.format != "parquet":
        raise UsageError("-o is for --format parquet; other formats go to stdout (redirect it)", "repair check")


@dataclass
class _File:
    """What the parts of one file have added up to so far."""

    findings: int = 0
    phrases: Counter[str] = field(default_factory=Counter)  # findings shown, by rule (the risk score)
    confidence: float = 0.0  # their confidences added up (a Parquet document row's spin score)
    words: int = 0
    sarif: bool = False  # SARIF results were written for it


@dataclass(frozen=True)
class _Outputs:
    format: str
    risk: bool
    style: Style  # for the risk line
    sarif: formats.SarifStream | None
    sink: ParquetSink | None


def run(args: argparse.Namespace) -> int:
    require_paths(args)
    _check_output(args)
    options = scan_options(args, keep_document=False)
    # A manuscript screened with a tortured-phrase list gets its risk score without asking.
    risk = args.risk or any(wl.kind == TORTURED_PHRASES for wl in options.engine.wordlists)
    shown_classes = tuple(s for s in Safety if s.rank <= Safety(args.safety).rank)
    style = Style(args.color, sys.stdout)
    colour = style.on and args.format == "human"
    report = CheckReport(args.format, shown_classes, report_threshold(args), colour, args.statistics)
    options = replace(
        options, count_words=risk or args.format == "parquet", summarise=report, stream=True, least=report.threshold
    )
    sources = walk_sources(args, globs(args))
    if args.output:
        from repair.edge.table import ParquetSink
    with ParquetSink(args.output, force=args.force) if args.output else contextlib.nullcontext() as sink:
        sarif = formats.SarifStream(sys.stdout, version=__version__) if args.format == "sarif" else None
        outputs = _Outputs(args.format, risk, style if colour else Style("never", sys.stdout), sarif, sink)
        return _report(args, sources, options, outputs)


def _report(args: argparse.Namespace, sources: list[Source], options: ScanOptions, out: _Outputs) -> int:
    errors = scanned = files_with_findings = fixable = 0
    by_safety: Counter[Safety] = Counter()
    by_rule: Counter[tuple[str, Safety]] = Counter()
    current = _File()
    for result in progress(batch_results(args, sources, options), len(sources), args.quiet):
        if report_problem(result):
            errors += result.error is not None
            if out.sink is not None:
                from repair.edge.table import document_row

                out.sink.add([document_row(result.source.label, error=result.error, warning=result.warning)])
            current = _File()
            continue
        summary: CheckSummary = result.summary  # type: ignore[assignment]  # made by `report`
        if out.sink is not None:
            out.sink.add(summary.rows)
        if summary.lines:
            sys.stdout.write("\n".join(summary.lines) + "\n")
        if out.sarif is not None and summary.sarif:
            out.sarif.results(summary.sarif)
            current.sarif = True
        current.findings += sum(n for _, n in summary.by_safety)
        current.words += result.words or 0
        current.confidence += summary.confidence
        current.phrases.update({rule: n for rule, _, n in summary.by_rule})
        by_safety.update(dict(summary.by_safety))
        by_rule.update({(rule, safety): n for rule, safety, n in summary.by_rule})
        fixable += summary.fixable
        if result.final:
            scanned += 1
            files_with_findings += current.findings > 0
            _end_of_file(result, current, out)
            current = _File()
    if out.sarif is not None:
        out.sarif.close(successful=not errors)
    elif args.statistics and by_rule:
        sys.stdout.write("\n".join(statistics_lines(by_rule, args.format)) + "\n")
    sys.stdout.flush()
    total = sum(by_safety.values())
    if total and not args.quiet:
        kinds = ", ".join(f"{by_safety[s]} {s.value}" for s in Safety if by_safety[s])
        hint = f"; {fixable} can be applied by `repair fix`" if fixable else ""
        files = f"{files_with_findings} of {scanned} files" if scanned > 1 else plural(scanned, "file")
        print(f"repair: {plural(total, 'finding')} in {files} ({kinds}){hint}", file=sys.stderr)
    if errors:
        return ExitCode.ERROR
    return ExitCode.FINDINGS if total and not args.exit_zero else ExitCode.OK


def _end_of_file(result: FileResult, done: _File, out: _Outputs) -> None:
    """A file's last words: its risk score, its artifact in a SARIF log, its row in a table."""
    label = result.source.label
    if out.sink is not None:  # the risk grade and spin score are columns of the document's row
        from repair.edge.table import summary_row

        grade = risk_of(done.phrases, done.words).level
        out.sink.add([summary_row(label, done.words, done.findings, done.confidence, grade)])
        return
    score = risk_of(done.phrases, done.words) if out.risk else None
    if out.sarif is not None:
        if done.sarif or score is not None:
            out.sarif.file(label, {"risk": score.to_dict()} if score is not None else None)
    elif score is not None:
        if out.format == "github":
            line = formats.github_notice(label, score.summary())
        elif out.format == "json":
            line = json.dumps({"schema": JSON_SCHEMA, "path": label, "risk": score.to_dict()}, ensure_ascii=False)
        else:
            line = f"{out.style('path', label)}: {score.summary()}"
        sys.stdout.write(line + "\n")
