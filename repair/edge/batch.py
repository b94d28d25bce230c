"""Scan many inputs, in one process or a pool of them; results in input order.

No argparse and no printing here: the CLI, the benchmark scripts and the tools share it.
A problem with one input ends up as a one-line `error` (or `warning`) on its
`FileResult`, never as an exception that stops the batch. Each process builds its
Engine once, through `repair.edge.setup`, from the `EngineSpec` in `ScanOptions`.

Nothing here changes the process as a whole unless asked: `scan_all(..., tune_gc=True)`
(what `repair check` and `repair fix` ask for) sets the garbage collector for a long
batch, and worker processes, which exist only for the batch, always do.
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import os
import signal
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from repair.core.engine import Engine
from repair.core.model import CONTEXT_CHARS, Finding
from repair.core.risk import count_words
from repair.edge.documents import Document, InputError, NotText, read_document
from repair.edge.inputs import STDIN, Source
from repair.edge.prose import format_for, scan_document
from repair.edge.remote import read_input
from repair.edge.setup import EngineSpec, build_engine

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

# Texts longer than this are scanned a piece at a time, cut at paragraph breaks, so a
# 50 MB file scans in about 350 MB of memory instead of 500; no single article comes near it.
CHUNK_CHARS = 8_000_000
# The young generation's collection threshold during a batch (Python's default is 700).
GC_YOUNG_THRESHOLD = 20_000


@dataclass(frozen=True, slots=True)
class ScanOptions:
    """Everything a worker needs to build its own Engine and read files; picklable."""

    engine: EngineSpec
    encoding: str | None = None
    keep_document: bool = False  # return the decoded text too (fix needs it; check does not)
    count_words: bool = False  # count the text's words (for a risk score) so the text need not come back
    # A picklable function of a FileResult, run where the file was scanned (in the worker
    # process with -j N): what it returns travels back as FileResult.summary, and the
    # findings stay behind. `repair check` makes its report lines this way
    # (repair.cli.report.CheckReport), so that with -j N the parent only prints them
    # instead of unpickling and formatting every finding.
    summarise: Callable[[FileResult], object] | None = None


@dataclass(frozen=True, slots=True)
class FileResult:
    source: Source
    findings: tuple[Finding, ...] = ()
    document: Document | None = None
    error: str | None = None  # the file could not be scanned (exit 2)
    warning: str | None = None  # the file was skipped on purpose (e.g. binary, found while walking)
    words: int | None = None  # the text's word count (`repair.core.risk.count_words`), when asked for
    summary: object = None  # what ScanOptions.summarise made of the findings (which are then left out)

    @property
    def scanned(self) -> bool:
        return self.error is None and self.warning is None


# ---------------------------------------------------------------- scanning


def _split_points(text: str, size: int) -> list[int]:
    """Offsets to cut a long text at: paragraph breaks if possible, else line breaks, else spaces."""
    cuts = [0]
    while len(text) - cuts[-1] > size:
        start, target = cuts[-1], cuts[-1] + size
        cut = -1
        for sep in ("\n\n", "\n", " "):
            at = text.rfind(sep, start + size // 2, target)
            if at != -1:
                cut = at + len(sep)
                break
        cuts.append(cut if cut != -1 else target)
    cuts.append(len(text))
    return cuts


def scan_text(engine: Engine, text: str, *, chunk: int = CHUNK_CHARS) -> list[Finding]:
    """`engine.scan`, but a long text is scanned in pieces so memory stays bounded.

    Findings have offsets, line, column and context relative to the whole text,
    the same as a single scan gives. Document-level evidence (density, `doc=`
    conditions) is then judged per piece of about `chunk` characters.
    """
    if len(text) <= chunk:
        return engine.scan(text)
    cuts = _split_points(text, chunk)
    findings: list[Finding] = []
    lines_before = 0
    for start, end in itertools.pairwise(cuts):
        line_start = text.rfind("\n", 0, start) + 1
        for f in engine.scan(text[start:end]):
            s, e = f.start + start, f.end + start
            findings.append(
                replace(
                    f,
                    start=s,
                    end=e,
                    line=f.line + lines_before,
                    column=f.column + (start - line_start if f.line == 1 else 0),
                    before=text[max(0, s - CONTEXT_CHARS) : s],
                    after=text[e : e + CONTEXT_CHARS],
                )
            )
        lines_before += text.count("\n", start, end)
    return findings


def scan_source(engine: Engine, source: Source, options: ScanOptions, document: Document | None = None) -> FileResult:
    """Read and scan one input; never raises for a problem the user can cause."""
    if source.error is not None:
        return FileResult(source, error=source.error)
    try:
        doc = document or read_input(source.path, options.encoding)
    except NotText as exc:  # named: an error; met in a folder: skipped, and said so
        if source.root is None:
            return FileResult(source, error=str(exc))
        return FileResult(source, warning=f"{source.path}: skipped, {exc.why}")
    except InputError as exc:
        return FileResult(source, error=str(exc))
    # Markdown and HTML are scanned as their prose; plain text with URLs, code and the like left alone.
    fmt = "text" if source.path == STDIN else format_for(source.path)
    findings = tuple(scan_document(lambda text: scan_text(engine, text), doc.text, fmt))
    words = count_words(doc.text) if options.count_words else None
    result = FileResult(source, findings, doc if options.keep_document else None, words=words)
    if options.summarise is not None:
        return replace(result, findings=(), summary=options.summarise(result))
    return result


def tune_gc_for_batch() -> None:
    """Set the garbage collector for a long batch in this process (what worker processes always do).

    The Engine's tables (entries, inflections, the vocabulary) live as long as the
    process, so `gc.freeze` takes them out of the collector's sight: otherwise every full
    collection walks them again while the scan allocates findings (~8% of the time of a
    large check). A scan allocates hundreds of thousands of small objects (matches,
    findings) that die with their file and form no cycles, so collecting the young
    generation every 700 of them is wasted work: it is collected every GC_YOUNG_THRESHOLD
    allocations instead (a large check spent ~6% of its time in the collector, now ~2%).
    Call it after building the Engine (and loading its vocabulary), so they are frozen too.
    """
    gc.freeze()
    _, older, oldest = gc.get_threshold()
    gc.set_threshold(GC_YOUNG_THRESHOLD, older, oldest)


def _batch_engine(options: ScanOptions, tune_gc: bool) -> Engine:
    """The engine a batch builds for its process, its tables loaded (and, if asked, set aside from the collector)."""
    engine = build_engine(options.engine)
    _ = engine.vocabulary  # loaded now, so that it is frozen too
    if tune_gc:
        tune_gc_for_batch()
    return engine


# One Engine per worker process, built once by the pool initializer: building it
# costs far more than scanning a typical file, so it must not happen per task.
_worker_engine: tuple[Engine, ScanOptions] | None = None


def _init_worker(options: ScanOptions) -> None:
    global _worker_engine
    # The parent handles Ctrl-C and shuts the pool down; workers must not print tracebacks.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker_engine = (_batch_engine(options, tune_gc=True), options)


def _work(task: tuple[Source, Document | None]) -> FileResult:
    assert _worker_engine is not None, "worker used before its initializer ran"
    engine, options = _worker_engine
    return scan_source(engine, task[0], options, task[1])


def job_count(jobs: int) -> int:
    """`-j 0` means one process per CPU."""
    return max(1, os.cpu_count() or 1) if jobs <= 0 else jobs


def scan_all(
    sources: Sequence[Source],
    options: ScanOptions,
    *,
    jobs: int = 1,
    engine: Engine | None = None,
    tune_gc: bool = False,
) -> Iterator[FileResult]:
    """Scan every source; results come back in input order as they are ready.

    With jobs > 1 and several inputs, files are scanned by a pool of processes,
    each building its own Engine once. Stdin is read here, in the parent.
    `tune_gc` sets this process's garbage collector for a long batch (`tune_gc_for_batch`).
    """
    workers = min(job_count(jobs), len(sources))
    if workers <= 1:
        return _serial(sources, options, engine, tune_gc)
    tasks: list[tuple[Source, Document | None]] = []
    for source in sources:
        document = None
        if source.path == STDIN:
            try:
                document = read_document(STDIN, options.encoding)
            except InputError as exc:
                source = replace(source, error=str(exc))
        tasks.append((source, document))
    from concurrent.futures import ProcessPoolExecutor  # only a pool needs it: start-up time otherwise

    pool = ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=(options,))
    # Submitting here, not lazily, starts the workers before the caller starts any thread
    # (a progress bar): forking a process that runs threads can deadlock.
    # Small chunks keep results flowing for the progress bar while sparing per-file round trips.
    results = pool.map(_work, tasks, chunksize=max(1, min(16, len(tasks) // (workers * 8))))
    return _drain(pool, results)


def _serial(
    sources: Sequence[Source], options: ScanOptions, engine: Engine | None, tune_gc: bool
) -> Iterator[FileResult]:
    if engine is None:
        engine = _batch_engine(options, tune_gc)
    elif tune_gc:
        tune_gc_for_batch()
    for source in sources:
        yield scan_source(engine, source, options)


def _drain(pool: ProcessPoolExecutor, results: Iterator[FileResult]) -> Iterator[FileResult]:
    finished = False
    try:
        yield from results
        finished = True
    finally:
        if finished:
            pool.shutdown(wait=True)
        else:
            _stop(pool)


def _stop(pool: ProcessPoolExecutor) -> None:
    """Ctrl-C or an early stop: drop queued work and end the workers now, not after the files they hold.

    Workers only scan (the parent writes every file), so ending one mid-file loses
    nothing. The executor has no public way to do it before Python 3.14, hence its
    private parts: `_processes` to terminate; `_result_queue`, whose writing end this
    process holds too, closed once the workers are gone, so that its manager thread,
    perhaps blocked reading a result a worker was killed sending, reads the end of
    it instead of waiting for ever (and Python's exit with it); the manager thread
    itself, waited for, or Python's exit handler may find it half gone and print a traceback.
    """
    processes = list((getattr(pool, "_processes", None) or {}).values())
    results = getattr(pool, "_result_queue", None)
    manager = getattr(pool, "_executor_manager_thread", None)
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        with contextlib.suppress(OSError, ValueError, AttributeError):
            process.terminate()
    for process in processes:
        with contextlib.suppress(OSError, ValueError, AttributeError, AssertionError):
            process.join(timeout=2)
    with contextlib.suppress(OSError, AttributeError):
        results._writer.close()  # type: ignore[union-attr]
    if manager is not None:
        manager.join(timeout=2)
