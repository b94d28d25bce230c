"""Applying a selection, and saved review decisions, to one scanned document; writing it back in place.

The backup rule (`write_in_place`): NAME.EXT.bak holds the text as it was before the
first in-place fix, and is never replaced afterwards, by any command. A later in-place
write keeps the existing backup as it is (callers ask the user first, see `backup_exists`).

A file read a block at a time (`repair.edge.batch`) is fixed a block at a time
(`BlockFixer`, run where the block was scanned) and written through a temporary file
(`AtomicWriter`) by the same rules: `replace_in_place` checks the file still holds the
bytes that were read (by their SHA-256), keeps the backup, then renames.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from repair.core.engine import Selection, apply_edits, select
from repair.core.model import Edit, Finding, Safety, StaleEditError
from repair.edge import decisions
from repair.edge.batch import FileResult
from repair.edge.decisions import Decision, DecisionFile
from repair.edge.documents import (
    MAX_BYTES,
    AtomicWriter,
    InputError,
    atomic_write_bytes,
    file_mode,
    read_limited,
    read_problem,
    write_target,
)
from repair.edge.inputs import Source
from repair.edge.remote import is_url, join_url, write_url
from repair.edge.reporting import REPORT_THRESHOLD
from repair.edge.streams import file_digest

SAFE = Selection()  # what a batch fix applies without a reviewer


@dataclass(frozen=True, slots=True)
class FixResult:
    """The outcome of applying a selection (and saved review decisions) to one document."""

    text: str
    applied: tuple[Finding, ...]
    edits: tuple[Edit, ...] = ()  # what turned the text as read into `text`
    remaining: tuple[Finding, ...] = ()  # left for a reviewer
    rejected: tuple[Finding, ...] = ()  # a reviewer decided to keep the text as it is
    decided: int = 0  # how many of `applied` a saved accept/edit decision made
    unmatched: tuple[Decision, ...] = ()  # saved decisions that match no finding any more


def scan_least(selection: Selection = SAFE, decisions: bool = False) -> float:
    """The least confidence a finding needs for `fix` to make it (`ScanOptions.least`).

    What `selection` may apply, and what a reviewer is shown by default (REPORT_THRESHOLD), which
    is what fix counts as left for review. Fainter spans are still scored (they weigh on the
    document's spin rate) but make no `Finding`, reason or context. An `auto` fix is made whatever
    this is. With saved decisions every finding is made: a reviewer may have decided on any.
    """
    if decisions:
        return 0.0
    applied = REPORT_THRESHOLD if selection.safety is Safety.AUTO else selection.threshold
    return min(REPORT_THRESHOLD, applied)


def apply_selection(text: str, findings: Sequence[Finding], selection: Selection = SAFE) -> FixResult:
    """Apply what `selection` accepts, by span; the rest stays for a reviewer."""
    applied = select(findings, selection)
    chosen = {id(f) for f in applied}
    edits = tuple(Edit.from_finding(f) for f in applied)
    new_text = apply_edits(text, edits)
    return FixResult(new_text, tuple(applied), edits, tuple(f for f in findings if id(f) not in chosen))


def apply_decisions(
    text: str, findings: Sequence[Finding], saved: DecisionFile, selection: Selection | None = SAFE
) -> FixResult:
    """Apply saved review decisions, then `selection` to the findings nobody decided.

    An accept or edit decision is applied whatever the finding's safety and confidence;
    a rejected finding is never applied; an undecided one is applied when `selection`
    accepts it (never when `selection` is None). Raises StaleEditError only if the
    findings were not scanned from `text`.
    """
    decided = decisions.match(findings, saved.decisions)
    undecided = [f for i, f in enumerate(findings) if i not in decided]
    chosen = select(undecided, selection) if selection is not None else []
    edits = (*decisions.decisions_to_edits(text, findings, saved), *(Edit.from_finding(f) for f in chosen))
    new_text = apply_edits(text, edits)
    by_decision = [findings[i] for i in sorted(decided) if decided[i].changes_text]
    picked = {id(f) for f in chosen}
    return FixResult(
        text=new_text,
        applied=tuple(sorted([*by_decision, *chosen], key=lambda f: f.start)),
        edits=tuple(sorted(edits, key=lambda e: e.start)),
        remaining=tuple(f for f in undecided if id(f) not in picked),
        rejected=tuple(findings[i] for i in sorted(decided) if not decided[i].changes_text),
        decided=len(by_decision),
        unmatched=tuple(decisions.unmatched(findings, saved)),
    )


def backup_path(path: str | Path) -> Path:
    """Where `fix --in-place` keeps the original: NAME.EXT.bak beside it."""
    p = Path(path)
    return p.with_name(p.name + ".bak")


@dataclass(frozen=True, slots=True)
class InPlace:
    """What an in-place write did: where the text went, and the backup made or kept."""

    path: Path  # the file written (the one a symlink points to)
    backup: Path | None  # NAME.EXT.bak, or None with no backup asked for
    backup_kept: bool = False  # the backup existed already and was left as it was


def backup_exists(path: str | Path, original: bytes | str) -> bool:
    """Whether NAME.EXT.bak exists and holds other than `original` (the file's current bytes, or their SHA-256).

    A backup holding exactly the current bytes is what a new one would be (a run
    killed between backing up and writing leaves one), so it does not count.
    """
    bak = backup_path(path)
    if not os.path.lexists(bak):
        return False
    digest = original if isinstance(original, str) else hashlib.sha256(original).hexdigest()
    try:
        return file_digest(bak, MAX_BYTES, "backup") != digest
    except InputError:
        return True


def write_in_place(path: str | Path, data: bytes, *, expected: bytes, backup: bool = True) -> InPlace:
    """Replace the file at `path` with `data`, atomically, keeping its original as NAME.EXT.bak.

    Through a symlink the file it points to is written (the link stays a link); the
    backup sits beside the name given. An existing backup is never replaced. The
    file must still hold `expected` (the bytes the new text was made from): if it was
    changed meanwhile, nothing is written (InputError), so no one's edit is lost.
    The new file keeps the old one's permission bits; so does a new backup.
    """
    target = write_target(path)
    try:
        current = read_limited(target, max(MAX_BYTES, len(expected)))
        mode = os.stat(target).st_mode & 0o7777
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if current != expected:
        raise InputError(f"{path}: changed on disk since it was read; not written (run again)")
    bak = backup_path(path) if backup else None
    kept = bak is not None and os.path.lexists(bak)
    if bak is not None and not kept:
        atomic_write_bytes(bak, current, force=False, mode=mode)
    atomic_write_bytes(target, data, mode=mode)
    return InPlace(target, bak, kept)


@dataclass(frozen=True, slots=True)
class Written:
    """What `FixWriter` did with one document: all that travels back from where it was scanned."""

    target: str
    applied: int = 0
    remaining: int = 0
    changed: bool = False
    error: str | None = None  # the fixed text could not be written (one line naming the file)


@dataclass(frozen=True, slots=True)
class FixWriter:
    """Apply `selection` to a scanned document and write it below `output` (a folder or a URL), where it was scanned.

    The `ScanOptions.summarise` of `fix --scheduler` (and of `fix --output-dir URL`): on a
    Dask worker the text is fixed and written there, atomically (a rename, or one put on an
    object store), and only a `Written` comes back. Writing the same bytes twice (a
    partition run again after its worker died) leaves the same file.
    """

    output: str
    selection: Selection = SAFE

    def target(self, source: Source) -> str:
        if is_url(self.output):
            return join_url(self.output, source.relative.replace(os.sep, "/"))
        return str(Path(self.output, source.relative))

    def __call__(self, result: FileResult) -> Written:
        document, target = result.document, self.target(result.source)
        assert document is not None, "FixWriter needs ScanOptions(keep_document=True)"
        try:
            outcome = apply_selection(document.text, result.findings, self.selection)
            try:
                data = document.encoded(outcome.text, outcome.edits)
            except UnicodeEncodeError as exc:
                message = f"the fixed text cannot be written as {document.encoding} ({exc.reason})"
                raise InputError(f"{result.source.label}: {message}") from None
            _write(result.source.path, target, data)
        except (InputError, StaleEditError) as exc:
            return Written(target, error=str(exc))
        return Written(target, len(outcome.applied), len(outcome.remaining), outcome.text != document.text)


def _write(source: str, target: str, data: bytes) -> None:
    if is_url(target):
        write_url(target, data)
        return
    try:
        os.makedirs(os.path.dirname(target) or ".", exist_ok=True)
    except OSError as exc:
        raise InputError(f"{os.path.dirname(target)}: cannot create folder ({exc.strerror or exc})") from None
    mode, existing = file_mode(source), file_mode(target)  # the input's bits, never wider than the file replaced
    atomic_write_bytes(target, data, mode=mode & existing if mode is not None and existing is not None else mode)


def replace_in_place(path: str | Path, written: AtomicWriter, *, expected: str, backup: bool = True) -> InPlace:
    """`write_in_place` for a file written a piece at a time: `written` (in its folder) replaces it.

    `expected` is the SHA-256 of the bytes the new text was made from; the file must still
    hold them, or nothing is written (InputError) and `written` is dropped.
    """
    target = write_target(path)
    try:
        current = file_digest(target, max_bytes=1 << 62)
        mode = os.stat(target).st_mode & 0o7777
    except InputError:
        written.abort()
        raise
    except OSError as exc:
        written.abort()
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if current != expected:
        written.abort()
        raise InputError(f"{path}: changed on disk since it was read; not written (run again)")
    bak = backup_path(path) if backup else None
    kept = bak is not None and os.path.lexists(bak)
    if bak is not None and not kept:
        try:
            _copy(target, bak, mode, expected)
        except BaseException:
            written.abort()
            raise
    written.commit(mode)
    return InPlace(target, bak, kept)


def _copy(source: Path, copy: Path, mode: int, expected: str) -> None:
    """Copy a file atomically, a piece at a time, checking the copy is of the bytes expected."""
    out = AtomicWriter(copy, force=False)
    digest = hashlib.sha256()
    try:
        with open(source, "rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
                out.write(chunk)
    except OSError as exc:
        out.abort()
        raise InputError(read_problem(source, exc, "file")) from None
    if digest.hexdigest() != expected:
        out.abort()
        raise InputError(f"{source}: changed on disk since it was read; not written (run again)")
    out.commit(mode)


@dataclass(frozen=True, slots=True)
class FixedBlock:
    """One block of a long file with its fixes applied (what `BlockFixer` sends back instead of its findings)."""

    text: str
    applied: int
    remaining: int


@dataclass(frozen=True, slots=True)
class BlockFixer:
    """Applies a selection to a block where it was scanned (`ScanOptions.summarise_block`): the parent only writes."""

    selection: Selection = SAFE

    def __call__(self, result: FileResult) -> FixedBlock:
        block = result.block
        assert block is not None, "BlockFixer is for the blocks of a file read a block at a time"
        applied = select(result.findings, self.selection)
        base = block.start
        edits = [Edit(f.start - base, f.end - base, f.spun, f.replacement) for f in applied]
        return FixedBlock(apply_edits(block.text, edits), len(applied), len(result.findings) - len(applied))
