"""Scan many inputs, in one process or a pool of them; results in input order.

No argparse and no printing here: the CLI, the benchmark scripts and the tools share it.
A problem with one input ends up as a one-line `error` (or `warning`) on its
`FileResult`, never as an exception that stops the batch. Each process builds its
Engine once, through `repair.edge.setup`, from the `EngineSpec` in `ScanOptions`.

With `ScanOptions.stream`, a plain-text file larger than a block is read here a piece
at a time (`repair.edge.streams`), cut into blocks (`repair.edge.blocks`), and comes
back as one `FileResult` per block (`part`, `final`), each made as soon as its block is
scanned: memory stays that of a few blocks whatever the file's size, and with `-j N`
the blocks of one large file are shared among the workers while this process only reads
and hands on. Other files come back whole, read by whoever scans them.

Nothing here changes the process as a whole unless asked: `scan_all(..., tune_gc=True)`
(what `repair check` and `repair fix` ask for) sets the garbage collector for a long
batch, and worker processes, which exist only for the batch, always do.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from repair.core.engine import Engine
from repair.core.model import Finding
from repair.core.risk import count_words
from repair.edge import blocks as blocking
from repair.edge.blocks import Block, blocks, text_blocks
from repair.edge.documents import Document, InputError, NotText, read_document
from repair.edge.inputs import STDIN, Source
from repair.edge.prose import Scanner, format_for, place, scan_block, scan_document
from repair.edge.remote import is_url, read_input
from repair.edge.setup import EngineSpec, build_engine
from repair.edge.streams import TextFile, open_text, pieces, streamable

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

# The young generation's collection threshold during a batch (Python's default is 700).
GC_YOUNG_THRESHOLD = 20_000
# Without -j, a pool of one process per core is used when the inputs hold at least this many bytes
# (and there are two tasks or more): below it, starting the workers costs more than it saves.
AUTO_POOL_BYTES = 1_000_000
TASKS_PER_WORKER = 3  # tasks handed out ahead per worker: enough to keep each busy, few enough to bound memory
PARENT_POLL_SECONDS = 0.5  # how often a worker looks whether the process that started it is still there


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
    # Run on the blocks of a file read a block at a time instead of `summarise` (and only on
    # those): `repair fix` applies each block's fixes where it was scanned (repair.edge.fixing.BlockFixer).
    summarise_block: Callable[[FileResult], object] | None = None
    stream: bool = False  # large plain-text files come back a block at a time (see the module's docstring)
    # Findings below this confidence are not wanted (check's reporting threshold): the engine need not make them.
    least: float = 0.0
    block_chars: int | None = None  # the most characters a block holds (default BLOCK_CHARS; tests make it small)

    @property
    def block_size(self) -> int:
        return self.block_chars or blocking.BLOCK_CHARS


@dataclass(frozen=True, slots=True)
class FileResult:
    source: Source
    findings: tuple[Finding, ...] = ()
    document: Document | None = None
    error: str | None = None  # the file could not be scanned (exit 2)
    warning: str | None = None  # the file was skipped on purpose (e.g. binary, found while walking)
    words: int | None = None  # the text's word count (`repair.core.risk.count_words`), when asked for
    summary: object = None  # what ScanOptions.summarise made of the findings (which are then left out)
    # A file read a block at a time comes back in parts, one per block, in order:
    part: int = 0  # which (0: the first, or the whole file)
    final: bool = True  # the file's last result (an error ends a file too, after the parts done)
    block: Block | None = None  # the block this part is of (kept with keep_document, or for `summarise`)
    file: TextFile | None = None  # how the file is stored; on the final part, the digest of the bytes read

    @property
    def scanned(self) -> bool:
        return self.error is None and self.warning is None


@dataclass(frozen=True, slots=True)
class _Task:
    """One piece of work for a scanning process: a whole input, or one block of a file read here."""

    source: Source
    document: Document | None = None  # stdin, read by the parent
    block: Block | None = None
    file: TextFile | None = None


# ---------------------------------------------------------------- scanning


def scan_text(engine: Engine, text: str, *, chunk: int | None = None) -> list[Finding]:
    """`engine.scan`, a block at a time: findings placed in the whole text (`repair.edge.blocks`).

    Unlike `scan_document`, nothing is left out (no protected text or markers looked for):
    the engine's own findings, as `repair eval` measures them.
    """
    out: list[Finding] = []
    for block in text_blocks(text, chunk):
        found = engine.scan(block.text)
        out += found if block.whole else place(block, found)
    return out


def scan_source(engine: Engine, source: Source, options: ScanOptions, document: Document | None = None) -> FileResult:
    """Read and scan one input whole; never raises for a problem the user can cause."""
    if source.error is not None:
        return FileResult(source, error=source.error)
    try:
        doc = document or read_input(source.path, options.encoding)
    except NotText as exc:  # named: an error; met in a folder: skipped, and said so
        return _not_text(source, exc)
    except InputError as exc:
        return FileResult(source, error=str(exc))
    # Markdown and HTML are scanned as their prose; plain text with URLs, code and the like left alone.
    fmt = "text" if source.path == STDIN else format_for(source.path)
    findings = tuple(scan_document(_scanner(engine, options), doc.text, fmt, block_chars=options.block_size))
    words = count_words(doc.text) if options.count_words else None
    result = FileResult(source, findings, doc if options.keep_document else None, words=words)
    if options.summarise is not None:
        return replace(result, findings=(), summary=options.summarise(result))
    return result


def _scanner(engine: Engine, options: ScanOptions) -> Scanner:
    return functools.partial(engine.scan, least=options.least) if options.least > 0 else engine.scan


def scan_part(engine: Engine, task: _Task, options: ScanOptions) -> FileResult:
    """Scan one block of a file read a block at a time."""
    block = task.block
    assert block is not None
    findings = tuple(scan_block(_scanner(engine, options), block))
    words = count_words(block.text) if options.count_words else None
    result = FileResult(
        task.source, findings, words=words, part=block.index, final=block.last, block=block, file=task.file
    )
    summarise = options.summarise_block or options.summarise
    if summarise is not None:
        return replace(result, findings=(), summary=summarise(result), block=None)
    return result if options.keep_document else replace(result, block=None)


def _not_text(source: Source, exc: NotText) -> FileResult:
    if source.root is None:
        return FileResult(source, error=str(exc))
    return FileResult(source, warning=f"{source.path}: skipped, {exc.why}")


def _run(engine: Engine, task: _Task, options: ScanOptions) -> FileResult:
    if task.block is None:
        return scan_source(engine, task.source, options, task.document)
    return scan_part(engine, task, options)


# ---------------------------------------------------------------- what there is to do


def _streamed(source: Source, options: ScanOptions) -> bool:
    """Whether a file is read here a block at a time: plain text in a Unicode encoding, longer than a block.

    A URL is read whole (by whoever scans it), and scanned a block at a time all the same.
    """
    if not options.stream or source.error is not None or source.path == STDIN or is_url(source.path):
        return False
    if format_for(source.path) != "text":
        return False
    try:
        return os.stat(source.path).st_size > options.block_size and streamable(options.encoding)
    except (OSError, ValueError):
        return False  # whoever scans it says what is wrong


def _tasks(sources: Sequence[Source], options: ScanOptions) -> Iterator[_Task | FileResult]:
    """The work, in input order: a task per input or per block of a large file, or a result found on the way."""
    for source in sources:
        if source.path == STDIN and source.error is None:
            try:
                document = read_document(STDIN, options.encoding)
            except InputError as exc:
                yield FileResult(source, error=str(exc))
                continue
            if options.stream and document.raw is None and len(document.text) > options.block_size:
                stored = TextFile(source.label, document.encoding, document.bom, options.encoding)
                for block in text_blocks(document.text, options.block_size):
                    yield _Task(source, block=block, file=stored)
            else:
                yield _Task(source, document)
        elif _streamed(source, options):
            yield from _file_blocks(source, options)
        else:
            yield _Task(source)


def _file_blocks(source: Source, options: ScanOptions) -> Iterator[_Task | FileResult]:
    try:
        stored = open_text(source.path, options.encoding)
    except NotText as exc:
        yield _not_text(source, exc)
        return
    except InputError as exc:
        yield FileResult(source, error=str(exc))
        return
    part = 0
    try:
        for block in blocks(pieces(stored), options.block_size):
            part = block.index + 1
            yield _Task(source, block=block, file=stored)
    except InputError as exc:  # it changed since it was checked
        yield FileResult(source, error=str(exc), part=part)


def _size(source: Source) -> int:
    if source.size is not None:  # a listing said (URLs)
        return source.size
    try:
        return 0 if source.path == STDIN or source.error or is_url(source.path) else os.stat(source.path).st_size
    except (OSError, ValueError):
        return 0


def default_jobs(sources: Sequence[Source], options: ScanOptions) -> int:
    """How many processes to use when not told: all cores for much to do (`AUTO_POOL_BYTES`), else one."""
    sizes = [_size(s) for s in sources]
    tasks = sum(max(1, size // options.block_size) if options.stream else 1 for size in sizes)
    return 0 if sum(sizes) >= AUTO_POOL_BYTES and tasks >= 2 else 1


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
    threading.Thread(target=_end_with, args=(os.getppid(),), name="repair-parent-watch", daemon=True).start()
    _worker_engine = (_batch_engine(options, tune_gc=True), options)


def _end_with(parent: int) -> None:
    """End this worker once the process that started it is gone (`kill -9`), instead of waiting for work for ever.

    The workers share the ends of the pool's pipes, so none of them ever reads an end of
    file when the parent dies: without this, each would sleep on, holding its memory.
    """
    while os.getppid() == parent:
        time.sleep(PARENT_POLL_SECONDS)
    os._exit(1)


def _work(task: _Task) -> FileResult:
    assert _worker_engine is not None, "worker used before its initializer ran"
    engine, options = _worker_engine
    result = _run(engine, task, options)
    return replace(result, file=None) if result.file is not None else result  # the parent has it


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

    With jobs > 1 and more than one task (inputs, or blocks of a large file), the work
    is done by a pool of processes, each building its own Engine once, while this one
    reads stdin and the files streamed a block at a time. `tune_gc` sets this process's
    garbage collector for a long batch (`tune_gc_for_batch`).
    """
    estimate = sum(max(1, _size(s) // options.block_size) if _streamed(s, options) else 1 for s in sources)
    workers = min(job_count(jobs), estimate)
    if workers <= 1:
        return _serial(sources, options, engine, tune_gc)
    from concurrent.futures import ProcessPoolExecutor  # only a pool needs it: start-up time otherwise

    tasks = _tasks(sources, options)
    first = next(tasks, None)  # stdin is read before any worker starts, as it always was
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=(options,))
    # Submitting here, not lazily, starts the workers before the caller starts any thread
    # (a progress bar): forking a process that runs threads can deadlock.
    window: deque[tuple[Future[FileResult] | FileResult, _Task | None]] = deque()
    if first is not None:
        _submit(pool, first, window)
    ahead = workers * TASKS_PER_WORKER
    while len(window) < ahead and (item := next(tasks, None)) is not None:
        _submit(pool, item, window)
    return _drain(pool, tasks, window, ahead)


def _submit(
    pool: ProcessPoolExecutor,
    item: _Task | FileResult,
    window: deque[tuple[Future[FileResult] | FileResult, _Task | None]],
) -> None:
    if isinstance(item, FileResult):
        window.append((item, None))
    else:
        window.append((pool.submit(_work, item), item))


def _serial(
    sources: Sequence[Source], options: ScanOptions, engine: Engine | None, tune_gc: bool
) -> Iterator[FileResult]:
    if engine is None:
        engine = _batch_engine(options, tune_gc)
    elif tune_gc:
        tune_gc_for_batch()
    for task in _tasks(sources, options):
        yield task if isinstance(task, FileResult) else _run(engine, task, options)


def _drain(
    pool: ProcessPoolExecutor,
    tasks: Iterator[_Task | FileResult],
    window: deque[tuple[Future[FileResult] | FileResult, _Task | None]],
    ahead: int,
) -> Iterator[FileResult]:
    """Results in order, handing out a new task as each comes back, so at most `ahead` are out at once."""
    finished = False
    try:
        while window:
            head, task = window.popleft()
            result = head if isinstance(head, FileResult) else head.result()
            if task is not None and task.file is not None:
                result = replace(result, file=task.file)  # with the digest the parent noted
            while len(window) < ahead and (item := next(tasks, None)) is not None:
                _submit(pool, item, window)
            yield result
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
