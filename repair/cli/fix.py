"""`repair fix PATH...`: apply the fixes that are safe without a reviewer (and saved review decisions).

Where the output goes is decided and checked (`_plan_fix`) before anything is scanned;
every write is atomic; inputs are never modified unless `--in-place`. A large plain-text
file (`repair.edge.batch`) is fixed and written a block at a time (`_Streamed`), by the
same rules, unless `--diff` or `--decisions` needs the whole of it.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from repair.cli.common import (
    OWN_DECISIONS,
    ExitCode,
    UsageError,
    batch_results,
    globs,
    recall_selection,
    require_paths,
    scan_options,
    walk_sources,
)
from repair.cli.report import (
    Style,
    diff_format_for,
    diff_text,
    error,
    plural,
    progress,
    report_problem,
    warning,
    write_stdout,
)
from repair.core.engine import Selection
from repair.core.model import Safety, StaleEditError
from repair.edge import decisions as decisions_mod
from repair.edge.batch import FileResult
from repair.edge.decisions import DecisionFile
from repair.edge.documents import AtomicWriter, Document, InputError, atomic_write_bytes, file_mode, remove_stale_temps
from repair.edge.fixing import (
    BlockFixer,
    FixedBlock,
    FixResult,
    apply_decisions,
    apply_selection,
    backup_exists,
    backup_path,
    replace_in_place,
    scan_least,
    write_in_place,
)
from repair.edge.inputs import STDIN, Source, mirror_path
from repair.edge.remote import is_url
from repair.edge.userdata import UserData

FIX = "repair fix"


def _encoded(doc: Document, outcome: FixResult, label: str) -> bytes:
    try:
        return doc.encoded(outcome.text, outcome.edits)
    except UnicodeEncodeError as exc:
        raise InputError(f"{label}: the fixed text cannot be written as {doc.encoding} ({exc.reason})") from None


@dataclass(frozen=True, slots=True)
class _Plan:
    """Where `fix` sends its output, decided and checked before anything is scanned."""

    mode: str  # stdout | file | dir | in-place | diff
    targets: dict[Source, Path]


def _plan_fix(args: argparse.Namespace, sources: list[Source]) -> _Plan:
    plan = _plan_outputs(args, sources)
    _refuse_inputs(plan.targets, sources)
    _refuse_existing(plan.targets.values(), args.force)
    return plan


def fix_where_scanned(args: argparse.Namespace, sources: list[Source]) -> int:
    """`fix --scheduler` or `--output-dir URL`: each file fixed and written below the output where it is scanned."""
    from repair.cli.fix_written import run_written

    return run_written(args, sources)


def _identity(path: str | Path) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return info.st_dev, info.st_ino


def _refuse_inputs(targets: dict[Source, Path], sources: list[Source]) -> None:
    """Writing over an input is for --in-place only (which keeps a backup), --force or not."""
    inputs = {key: s for s in sources if s.path != STDIN and (key := _identity(s.path)) is not None}
    for target in targets.values():
        source = inputs.get(_identity(target))  # type: ignore[arg-type]
        if source is not None:
            raise InputError(f"{target}: is the input {source.path}; writing over an input needs --in-place")


def _plan_outputs(args: argparse.Namespace, sources: list[Source]) -> _Plan:
    if args.diff:
        return _Plan("diff", {})
    if args.in_place:
        if any(s.path == STDIN for s in sources):
            raise UsageError("stdin cannot be fixed in place (use -o OUT or no output option)", FIX)
        if any(is_url(s.path) for s in sources):
            raise UsageError("a URL cannot be fixed in place (write below --output-dir DIR or URL)", FIX)
        return _Plan("in-place", {})
    if args.output_dir:
        folder = Path(args.output_dir)
        if not folder.is_dir():
            raise InputError(f"{args.output_dir}: output folder does not exist")
        if any(s.path == STDIN for s in sources):
            raise UsageError("stdin has no name to write below --output-dir (use -o OUT)", FIX)
        targets: dict[Source, Path] = {}
        claimed: dict[Path, Source] = {}
        for source in sources:
            target = mirror_path(source, folder)
            other = claimed.setdefault(target.resolve(), source)
            if other is not source:
                raise InputError(f"{target}: both {other.path} and {source.path} would be written here")
            targets[source] = target
        return _Plan("dir", targets)
    if len(sources) != 1 or sources[0].root is not None:
        if args.output:
            raise UsageError("-o writes one file; for several use --output-dir, --in-place or --diff", FIX)
        raise UsageError("several inputs need --output-dir, --in-place or --diff (one prints to stdout)", FIX)
    if args.output and args.output != "-":
        target = Path(args.output)
        if not target.parent.is_dir():
            raise InputError(f"{target}: folder {target.parent} does not exist")
        return _Plan("file", {sources[0]: target})
    return _Plan("stdout", {})


def _refuse_existing(targets: Iterable[Path], force: bool) -> None:
    if force:
        return
    existing = [t for t in targets if os.path.lexists(t)]  # a dangling symlink too: writing would go through it
    for target in existing[:-1]:
        error(f"{target}: already exists (use --force to overwrite)")
    if existing:
        raise InputError(f"{existing[-1]}: already exists (use --force to overwrite)")


def _write_in_place(source: Source, doc: Document, data: bytes, backup: bool, force: bool) -> None:
    """Overwrite the input, keeping NAME.bak; an existing backup is never replaced (see repair.edge.fixing)."""
    original = doc.encoded(doc.text)
    _refuse_backup(source, original, backup, force)
    done = write_in_place(source.path, data, expected=original, backup=backup)
    if done.backup_kept:
        warning(f"{source.path}: fixed in place; {done.backup} from an earlier run kept as it was")


def _refuse_backup(source: Source, original: bytes | str, backup: bool, force: bool) -> None:
    if backup and backup_exists(source.path, original) and not force:
        raise InputError(
            f"{backup_path(source.path)}: a backup from an earlier run exists and is never replaced; "
            "--force fixes in place and keeps it as it is"
        )


class _Streamed:
    """The output of a file fixed a block at a time: each block's bytes as they come, put in place at the end."""

    def __init__(self, args: argparse.Namespace, plan: _Plan, source: Source, cleaned: set[Path]) -> None:
        self.args, self.mode, self.source = args, plan.mode, source
        self.writer: AtomicWriter | None = None
        self.applied = self.remaining = 0
        if self.mode in ("file", "dir"):
            self.target = plan.targets[source]
            _make_parent(self.target)
            _clean_once(self.target, cleaned)
            self.writer = AtomicWriter(self.target, force=args.force)
        elif self.mode == "in-place":
            _clean_once(Path(source.path), cleaned)
            self.writer = AtomicWriter(source.path)

    def write(self, result: FileResult) -> None:
        fixed: FixedBlock = result.summary  # type: ignore[assignment]  # made by BlockFixer
        assert result.file is not None
        data = result.file.encode(fixed.text, first=result.part == 0)
        self.applied += fixed.applied
        self.remaining += fixed.remaining
        if self.writer is None:
            write_stdout(data)
        else:
            self.writer.write(data)

    def finish(self, result: FileResult) -> None:
        if self.writer is None:
            return
        if self.mode != "in-place":
            self.writer.commit(_output_mode(self.source, self.target))
            return
        if not self.applied:  # in place: unchanged files are not touched
            self.writer.abort()
            return
        assert result.file is not None and result.file.digest is not None  # set once the file was all read
        try:
            _refuse_backup(self.source, result.file.digest, not self.args.no_backup, self.args.force)
        except InputError:
            self.writer.abort()
            raise
        done = replace_in_place(
            self.source.path, self.writer, expected=result.file.digest, backup=not self.args.no_backup
        )
        if done.backup_kept:
            warning(f"{self.source.path}: fixed in place; {done.backup} from an earlier run kept as it was")

    def abort(self) -> None:
        if self.writer is not None:
            self.writer.abort()


def _output_mode(source: Source, target: Path) -> int | None:
    """An output gets its input's permission bits, never wider than those of the file it replaces."""
    mode = file_mode(source.path)
    existing = file_mode(target)
    if mode is None or existing is None:
        return mode
    return mode & existing


def _decisions_for(args: argparse.Namespace, sources: list[Source]) -> DecisionFile | None:
    """The one decisions file named by `--decisions FILE`, read before anything is scanned."""
    if args.decisions is None:
        if args.only_decisions:
            raise UsageError("--only-decisions needs --decisions [FILE]", FIX)
        return None
    if args.decisions == OWN_DECISIONS:
        if any(s.path == STDIN for s in sources):
            raise UsageError("stdin has no decisions file of its own (name one: --decisions FILE)", FIX)
        return None
    if len(sources) != 1 or sources[0].root is not None:
        raise UsageError("--decisions FILE holds one document's decisions; give one input (or a bare --decisions)", FIX)
    if not Path(args.decisions).is_file():
        raise InputError(f"{args.decisions}: no such decisions file")
    return decisions_mod.load(args.decisions)


def _own_decisions(source: Source) -> DecisionFile | None:
    """The decisions `repair review` saved for `source`: beside it, else in the user data folder."""
    beside = decisions_mod.path_for(source.path)
    user = decisions_mod.path_for(source.path, "user", UserData.from_env().home)
    found = [p for p in (beside, user) if p.is_file()]
    if len(found) == 2:
        warning(f"{source.path}: using the decisions in {beside}, not those in {user}")
    if found:
        return decisions_mod.load(found[0])
    if source.root is None:  # named on purpose: say so; for a walked folder, unreviewed files are normal
        warning(f"{source.path}: no saved review decisions ({beside} does not exist); fixing as usual")
    return None


def _fix_one(
    args: argparse.Namespace, result: FileResult, text: str, saved: DecisionFile | None, selection: Selection
) -> FixResult:
    """Apply saved decisions (if any) and the selection to one scanned document."""
    if args.decisions is None:
        return apply_selection(text, result.findings, selection)
    if args.decisions == OWN_DECISIONS:
        saved = _own_decisions(result.source)
    outcome = apply_decisions(
        text, result.findings, saved or DecisionFile(), None if args.only_decisions else selection
    )
    if outcome.unmatched:
        n = len(outcome.unmatched)
        warning(
            f"{result.source.label}: {plural(n, 'saved decision')} matched no finding and "
            f"{'was' if n == 1 else 'were'} not applied (already applied, or the text or the wordlists changed)"
        )
    return outcome


def run(args: argparse.Namespace) -> int:
    require_paths(args)
    sources = walk_sources(args, globs(args), skip=(args.output_dir,) if args.output_dir else ())
    if args.scheduler is not None or (args.output_dir and is_url(args.output_dir)):
        return fix_where_scanned(args, sources)
    plan = _plan_fix(args, sources)
    saved = _decisions_for(args, sources)
    selection = Selection(threshold=args.threshold, safety=Safety(args.safety))
    if args.recall_mode:  # an investigator's preset: choices too, where the evidence is at least even
        selection = recall_selection(args.threshold)
    options = replace(
        scan_options(args, keep_document=True), least=scan_least(selection, decisions=args.decisions is not None)
    )
    if plan.mode != "diff" and args.decisions is None:  # both need a file's findings all at once
        options = replace(options, stream=True, summarise_block=BlockFixer(selection))
    errors = scanned = applied = remaining = changed = decided = rejected = 0
    diff_format, colour = diff_format_for(args.diff_format, sys.stdout), Style(args.color, sys.stdout).on
    cleaned: set[Path] = set()  # folders cleared of temporary files left by killed runs
    streamed: _Streamed | None = None  # the file being written a block at a time
    try:
        for result in progress(batch_results(args, sources, options), len(sources), args.quiet):
            if report_problem(result):
                errors += result.error is not None
                if streamed is not None:
                    streamed.abort()
                    streamed = None
                continue
            if result.file is not None:  # a block of a file read a block at a time
                try:
                    if result.part == 0:
                        streamed = _Streamed(args, plan, result.source, cleaned)
                    if streamed is None:  # an earlier block of this file failed
                        continue
                    streamed.write(result)
                    if result.final:
                        streamed.finish(result)
                        scanned += 1
                        applied += streamed.applied
                        remaining += streamed.remaining
                        changed += streamed.applied > 0
                        streamed = None
                except InputError as exc:
                    error(str(exc))
                    errors += 1
                    if streamed is not None:
                        streamed.abort()
                    streamed = None
                continue
            doc = result.document
            assert doc is not None  # keep_document=True
            label = result.source.label
            try:
                outcome = _fix_one(args, result, doc.text, saved, selection)
            except InputError as exc:
                error(str(exc))
                errors += 1
                continue
            except StaleEditError as exc:  # cannot happen for findings scanned from this text; never write a guess
                error(f"{label}: cannot apply the fixes ({exc})")
                errors += 1
                continue
            try:
                if plan.mode == "diff":
                    sys.stdout.write(diff_text(label, doc.text, outcome.text, diff_format, colour))
                elif plan.mode == "stdout":
                    write_stdout(_encoded(doc, outcome, label))
                elif plan.mode in ("file", "dir"):
                    target = plan.targets[result.source]
                    _make_parent(target)
                    _clean_once(target, cleaned)
                    data = _encoded(doc, outcome, label)
                    atomic_write_bytes(target, data, force=args.force, mode=_output_mode(result.source, target))
                elif outcome.text != doc.text:  # in place: unchanged files are not touched
                    _clean_once(Path(result.source.path), cleaned)
                    _write_in_place(result.source, doc, _encoded(doc, outcome, label), not args.no_backup, args.force)
            except InputError as exc:
                error(str(exc))
                errors += 1
                continue
            scanned += 1
            applied += len(outcome.applied)
            remaining += len(outcome.remaining)
            decided += outcome.decided
            rejected += len(outcome.rejected)
            changed += outcome.text != doc.text
    except BaseException:  # Ctrl-C, or a bug: what was written of a file so far goes
        if streamed is not None:
            streamed.abort()
        raise
    sys.stdout.flush()
    if scanned and not args.quiet:
        verb = "to apply" if plan.mode == "diff" else "applied"
        fixes = f"{plural(applied, 'fix')} {verb}"
        if args.decisions is not None:
            fixes += f" ({decided} by review decisions), {rejected} rejected in review"
        summary_line(scanned, changed, fixes, remaining)
    if errors:
        return ExitCode.ERROR
    # A fix that wrote its output has done its job (what is left for review is in the
    # summary line); --diff is a check, so changes still to make exit 1.
    pending = plan.mode == "diff" and applied
    return ExitCode.FINDINGS if pending and not args.exit_zero else ExitCode.OK


def summary_line(scanned: int, changed: int, fixes: str, remaining: int) -> None:
    files = plural(scanned, "file") + (f" ({changed} changed)" if scanned > 1 else "")
    print(f"repair: {files}, {fixes}, {plural(remaining, 'finding')} left for review", file=sys.stderr)


def _clean_once(target: Path, cleaned: set[Path]) -> None:
    """Remove what a killed run left in the target's folder, once per folder."""
    folder = target.parent
    if folder not in cleaned:
        cleaned.add(folder)
        remove_stale_temps(folder)


def _make_parent(target: Path) -> None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"{target.parent}: cannot create folder ({exc.strerror or exc})") from None
