"""`repair fix --scheduler SPEC --output-dir DIR|URL`: each file fixed and written where it is scanned.

On a cluster the client must not be the bottleneck of a crawl's worth of text, so the
worker that scans a file also fixes it and writes it below the output (atomically: a
rename, or one put on an object store) through `repair.edge.fixing.FixWriter`; only
counts come back. The checks of `repair fix` are made first, here: an output over an
input is refused, so is an existing one without `--force` (one listing of a bucket).
What this mode does not do: `--in-place`, `-o`, `--diff`, stdout and `--decisions`,
which need the text back in this process (run them without `--scheduler`).
"""

from __future__ import annotations

import argparse
import os
from dataclasses import replace
from pathlib import Path

from repair.cli.common import (
    ExitCode,
    UsageError,
    batch_results,
    local_absolute,
    on_a_running_scheduler,
    recall_selection,
    scan_options,
)
from repair.cli.fix import FIX, _refuse_existing, _refuse_inputs, summary_line
from repair.cli.report import error, plural, progress, report_problem
from repair.core.engine import Selection
from repair.core.model import Safety
from repair.edge.documents import InputError, remove_stale_temps
from repair.edge.fixing import FixWriter, Written, scan_least
from repair.edge.inputs import STDIN, Source
from repair.edge.remote import is_url, list_below


def _writer(args: argparse.Namespace) -> FixWriter:
    if args.in_place or args.diff or args.output or not args.output_dir:
        why = "--scheduler" if args.scheduler is not None else "a URL output"
        raise UsageError(f"with {why} each fixed file is written below --output-dir DIR or URL", FIX)
    if args.decisions is not None:
        raise UsageError("--decisions needs the text back here: run it without --scheduler", FIX)
    selection = Selection(threshold=args.threshold, safety=Safety(args.safety))
    if args.recall_mode:
        selection = recall_selection(args.threshold)
    output = local_absolute(args.output_dir) if on_a_running_scheduler(args) else args.output_dir
    return FixWriter(output, selection)


def _check_targets(writer: FixWriter, sources: list[Source], force: bool) -> list[str]:
    """Where each source goes; refuses an output over an input, two inputs on one output, an existing one (no force)."""
    if any(s.path == STDIN for s in sources):
        raise UsageError("stdin has no name to write below --output-dir", FIX)
    url = is_url(writer.output)
    if not url and not Path(writer.output).is_dir():
        raise InputError(f"{writer.output}: output folder does not exist")
    targets = [writer.target(s) for s in sources]
    claimed: dict[str, Source] = {}
    for source, target in zip(sources, targets, strict=True):
        other = claimed.setdefault(target if url else os.path.realpath(target), source)
        if other is not source:
            raise InputError(f"{target}: both {other.path} and {source.path} would be written here")
        if target == source.path:
            raise InputError(f"{target}: is the input {source.path}; writing over an input needs --in-place")
    if url:
        if not force:
            existing = list_below(writer.output)
            taken = [t for t in targets if t in existing]
            for target in taken[:-1]:
                error(f"{target}: already exists (use --force to overwrite)")
            if taken:
                raise InputError(f"{taken[-1]}: already exists (use --force to overwrite)")
    else:
        paths = {s: Path(t) for s, t in zip(sources, targets, strict=True)}
        _refuse_inputs(paths, sources)
        _refuse_existing(paths.values(), force)
    return targets


def run_written(args: argparse.Namespace, sources: list[Source]) -> int:
    writer = _writer(args)
    targets = _check_targets(writer, sources, args.force)
    options = replace(scan_options(args, keep_document=True), summarise=writer, least=scan_least(writer.selection))
    errors = scanned = applied = remaining = changed = 0
    try:
        for result in progress(batch_results(args, sources, options), len(sources), args.quiet):
            if report_problem(result):
                errors += result.error is not None
                continue
            written: Written = result.summary  # type: ignore[assignment]  # made by the writer
            if written.error is not None:
                error(written.error)
                errors += 1
                continue
            scanned += 1
            applied += written.applied
            remaining += written.remaining
            changed += written.changed
    finally:  # a worker killed while writing leaves its temporary file: every write of this run is over now
        for folder in {os.path.dirname(t) for t in targets if not is_url(t)}:
            remove_stale_temps(folder or ".")
    if scanned and not args.quiet:
        summary_line(scanned, changed, f"{plural(applied, 'fix')} applied", remaining)
    return ExitCode.ERROR if errors else ExitCode.OK
