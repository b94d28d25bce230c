"""`repair check PATH...`: report findings, one line (or JSON object, SARIF result, annotation) each, and a summary."""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections import Counter
from dataclasses import replace
from typing import Any

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
from repair.cli.report import CheckReport, CheckSummary, Style, plural, progress, report_problem, statistics_lines
from repair.core.model import Safety
from repair.core.wordlists import TORTURED_PHRASES
from repair.edge.batch import ScanOptions
from repair.edge.inputs import Source
from repair.edge.table import ParquetSink, document_row


def _check_output(args: argparse.Namespace) -> None:
    """-o is where a Parquet table goes (and only that: text formats go to stdout, to redirect as usual)."""
    if args.format == "parquet" and not args.output:
        raise UsageError("--format parquet writes a file: give -o FILE (or a URL)", "repair check")
    if args.output and args.format != "parquet":
        raise UsageError("-o is for --format parquet; other formats go to stdout (redirect it)", "repair check")


def run(args: argparse.Namespace) -> int:
    require_paths(args)
    _check_output(args)
    options = scan_options(args, keep_document=False)
    # A manuscript screened with a tortured-phrase list gets its risk score without asking.
    risk = args.risk or any(wl.kind == TORTURED_PHRASES for wl in options.engine.wordlists)
    shown_classes = tuple(s for s in Safety if s.rank <= Safety(args.safety).rank)
    colour = Style(args.color, sys.stdout).on and args.format == "human"
    report = CheckReport(args.format, shown_classes, report_threshold(args), risk, colour, args.statistics)
    options = replace(options, count_words=risk or args.format == "parquet", summarise=report)
    sources = walk_sources(args, globs(args))
    with ParquetSink(args.output, force=args.force) if args.output else contextlib.nullcontext() as sink:
        return _report(args, sources, options, sink)


def _report(args: argparse.Namespace, sources: list[Source], options: ScanOptions, sink: ParquetSink | None) -> int:
    errors = scanned = files_with_findings = 0
    by_safety: Counter[Safety] = Counter()
    by_rule: Counter[tuple[str, Safety]] = Counter()
    sarif_files: list[tuple[str, tuple[dict[str, Any], ...], dict[str, object] | None]] = []
    fixable = 0
    for result in progress(batch_results(args, sources, options), len(sources), args.quiet):
        if report_problem(result):
            errors += result.error is not None
            if sink is not None:
                sink.add([document_row(result.source.label, error=result.error, warning=result.warning)])
            continue
        scanned += 1
        summary: CheckSummary = result.summary  # type: ignore[assignment]  # made by `report`
        if sink is not None:
            sink.add(summary.rows)
        if summary.lines:
            sys.stdout.write("\n".join(summary.lines) + "\n")
        if summary.sarif or summary.risk is not None:
            sarif_files.append((result.source.label, summary.sarif, {"risk": summary.risk} if summary.risk else None))
        if not summary.by_safety:
            continue
        files_with_findings += 1
        by_safety.update(dict(summary.by_safety))
        by_rule.update({(rule, safety): n for rule, safety, n in summary.by_rule})
        fixable += summary.fixable
    if args.format == "sarif":
        log = formats.sarif_log(sarif_files, version=__version__, successful=not errors)
        sys.stdout.write(json.dumps(log, indent=1, ensure_ascii=False) + "\n")
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
