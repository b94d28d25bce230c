"""`repair check PATH...`: report findings, one line (or JSON object) each, and a summary on stderr."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from dataclasses import replace

from repair.cli.common import ExitCode, globs, require_paths, scan_options
from repair.cli.report import CheckReport, CheckSummary, Style, plural, progress, report_problem
from repair.core.model import Safety
from repair.core.wordlists import TORTURED_PHRASES
from repair.edge.batch import scan_all
from repair.edge.inputs import walk


def run(args: argparse.Namespace) -> int:
    require_paths(args)
    options = scan_options(args, keep_document=False)
    # A manuscript screened with a tortured-phrase list gets its risk score without asking.
    risk = args.risk or any(wl.kind == TORTURED_PHRASES for wl in options.engine.wordlists)
    shown_classes = tuple(s for s in Safety if s.rank <= Safety(args.safety).rank)
    report = CheckReport(args.format, shown_classes, args.threshold, risk, Style(args.color, sys.stdout).on)
    options = replace(options, count_words=risk, summarise=report)
    sources = walk(args.paths, globs(args))
    errors = scanned = files_with_findings = 0
    by_safety: Counter[Safety] = Counter()
    fixable = 0
    for result in progress(scan_all(sources, options, jobs=args.jobs, tune_gc=True), len(sources), args.quiet):
        if report_problem(result):
            errors += result.error is not None
            continue
        scanned += 1
        summary: CheckSummary = result.summary  # type: ignore[assignment]  # made by `report`
        if summary.lines:
            sys.stdout.write("\n".join(summary.lines) + "\n")
        if not summary.by_safety:
            continue
        files_with_findings += 1
        by_safety.update(dict(summary.by_safety))
        fixable += summary.fixable
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
