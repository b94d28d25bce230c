"""The batch on a Dask cluster (`--scheduler local:N` or `tcp://HOST:PORT`): partitions of many documents.

A thin layer over repair.edge.batch: a partition is scanned by `batch.scan_source`, the
function one process and `-j N` use, with the same `ScanOptions` (its `summarise` runs on
the worker, so only what a command reports travels back), and results come back in input
order: the output is the same, byte for byte, as one process gives.

- **The engine loads once per worker process**, not per document or partition: the
  `Job` (the read settings, ~0.5 MB pickled) is one task's result that every partition
  depends on, so each worker fetches it once; the engine built from it is kept in the
  worker, keyed by the settings' digest (`worker_engine`).
- **Fault tolerance.** A worker killed mid-partition: Dask runs the partition again
  elsewhere, and the client takes each partition's result once, in order, so nothing is
  lost or counted twice (a `fix` output written twice is the same bytes, written atomically).
  A document that raises is an `error` on its own result; the rest go on. A partition
  whose workers keep dying (Dask's `KilledWorker`) is run again a document at a time, and a
  document that still kills its worker is reported as an error in its row.
- At most `WINDOW_PER_WORKER` partitions per worker are in flight, so memory stays
  bounded whatever the corpus size, while results stream out in order.

Dask is the `dask` extra's: nothing here imports it until a cluster is asked for.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import re
import threading
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

from repair.core.engine import Engine
from repair.edge.batch import FileResult, ScanOptions, scan_source, tune_gc_for_batch
from repair.edge.documents import Document, InputError, read_document
from repair.edge.inputs import STDIN, Source
from repair.edge.setup import build_engine

INSTALL_HINT = "pip install 'repair-despinner[dask]'"
CONNECT_TIMEOUT = "10s"
# Partitions aim at total / (workers * PARTITIONS_PER_WORKER) bytes, within these bounds: enough of them to keep
# every worker busy to the end, few enough that Dask's per-task cost (a few ms) is lost in the scanning.
PARTITIONS_PER_WORKER = 16
# Towards the end they shrink, to at most what is left / (workers * TAPER): the last ones are small, so that no
# worker waits long for another to finish a big one (a partition of 20 MB / 32 took ~4 s of mixed text).
TAPER = 4
MIN_PARTITION_BYTES = 64_000
MAX_PARTITION_BYTES = 16_000_000
MAX_PARTITION_DOCUMENTS = 2_000
ASSUMED_BYTES = 8_000  # a document whose size is unknown (stdin, an unlisted URL) counts as this much
WINDOW_PER_WORKER = 4  # partitions in flight per worker
KEEP_ENGINES = 4  # engines a long-lived worker keeps (one per distinct settings)
_ADDRESS = re.compile(r"^[a-z][a-z0-9+.-]*://\S+$")


@dataclass(frozen=True, slots=True)
class Scheduler:
    """Where to run: a LocalCluster of `workers` processes started (and stopped) here, or a running scheduler."""

    workers: int = 0  # local:N
    address: str = ""  # tcp://HOST:PORT

    def __str__(self) -> str:
        return f"local:{self.workers}" if self.workers else self.address


def parse_scheduler(text: str) -> Scheduler:
    """`local:N` or a scheduler's address (`tcp://HOST:PORT`); ValueError worded for the user."""
    if text.startswith("local:"):
        count = text.removeprefix("local:")
        if count.isdigit() and int(count) >= 1:
            return Scheduler(workers=int(count))
        raise ValueError(f"expected local:N with N a whole number of workers, at least 1, got {text!r}")
    if _ADDRESS.match(text):
        return Scheduler(address=text)
    raise ValueError(f"expected local:N or a scheduler address such as tcp://HOST:PORT, got {text!r}")


@contextlib.contextmanager
def connect(scheduler: Scheduler) -> Iterator[Any]:
    """A Dask `Client`: of a LocalCluster of worker processes (one thread each), or of the scheduler at the address."""
    import logging

    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise InputError(f"--scheduler {scheduler}: needs Dask: {INSTALL_HINT}") from None
    # Dask logs a worker's death, a retried task, a closing connection (with tracebacks when interrupted):
    # the run's own outcome says what matters.
    logging.getLogger("distributed").setLevel(logging.CRITICAL)
    if scheduler.workers:
        import dask

        # Dask starts its workers with MALLOC_TRIM_THRESHOLD_=65536, which also turns off glibc's sliding mmap
        # threshold: every large string or array the scan makes is then mapped and unmapped afresh, and a scan ran
        # ~15 % slower (docs/benchmarks.md). One process never had it (230 MB at most on a 50 MB file); None unsets it.
        with dask.config.set({"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None}):
            local = LocalCluster(
                n_workers=scheduler.workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=":0",  # a free port: never "8787 is in use" beside another cluster
                silence_logs=logging.CRITICAL,
            )
        client = Client(local)
        try:
            client.register_plugin(_quiet_on_interrupt())
            yield client
        except BaseException:  # Ctrl-C or an error: the workers are ours, end them without waiting on them
            with contextlib.suppress(Exception):
                client.close(timeout=1)
                local.close(timeout=1)
            raise
        client.close()
        local.close()
        return
    try:
        client = Client(scheduler.address, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError, ValueError) as exc:
        raise InputError(f"{scheduler}: cannot reach the Dask scheduler ({_one_line(exc)})") from None
    with client:
        yield client


def _quiet_on_interrupt() -> Any:
    """A plugin that has the workers `local:N` starts end at once on Ctrl-C, without a word (this process reports it).

    Ctrl-C reaches the whole process group: otherwise every worker prints a KeyboardInterrupt
    traceback, and one that ignored it would finish its partition before the cluster could close.
    A restarted worker gets the plugin too.
    """
    import signal

    from distributed import WorkerPlugin

    class QuietOnInterrupt(WorkerPlugin):
        name = "repair-quiet-on-interrupt"

        def setup(self, worker: object) -> None:
            with contextlib.suppress(ValueError):  # not the main thread: leave it be
                signal.signal(signal.SIGINT, lambda number, frame: os._exit(130))

    return QuietOnInterrupt()


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


# ---------------------------------------------------------------- on a worker


@dataclass(frozen=True, slots=True)
class Job:
    """What every partition of one run shares: the scan options, and the digest of its engine settings."""

    options: ScanOptions
    engine_key: str
    tune_gc: bool = False  # set the collector for a batch (only in the workers `local:N` starts, never a user's)


def job_for(options: ScanOptions, tune_gc: bool = False) -> Job:
    return Job(options, hashlib.blake2b(pickle.dumps(options.engine), digest_size=16).hexdigest(), tune_gc)


_engines: dict[str, Engine] = {}
engine_lock = threading.Lock()  # a worker with several threads builds one engine and scans one text at a time


def worker_engine(job: Job) -> Engine:
    """This process's engine for the job's settings, built on first use."""
    engine = _engines.get(job.engine_key)
    if engine is None:
        engine = build_engine(job.options.engine)
        _ = engine.vocabulary  # loaded now, so that the collector's freeze covers it too
        if job.tune_gc:
            tune_gc_for_batch()
        if len(_engines) >= KEEP_ENGINES:
            _engines.clear()
        _engines[job.engine_key] = engine
    return engine


def scan_partition(job: Job, tasks: Sequence[tuple[Source, Document | None]]) -> list[FileResult]:
    """Scan a partition's documents in order; a document that raises becomes an error on its own result."""
    results = []
    with engine_lock:
        engine = worker_engine(job)
        for source, document in tasks:
            try:
                result = scan_source(engine, source, job.options, document)
            except Exception as exc:  # a bug met on one document: reported in its row, the rest go on
                result = FileResult(source, error=f"{source.label}: internal error: {type(exc).__name__}: {exc}")
            if result.summary is not None:  # what the command needs was made here: the text need not travel
                result = replace(result, document=None)
            results.append(result)
    return results


def _identity(job: Job) -> Job:
    return job


# ---------------------------------------------------------------- on the client


def _size(source: Source) -> int:
    if source.size is not None:
        return source.size
    if source.path == STDIN or source.error is not None or "://" in source.path:
        return ASSUMED_BYTES
    try:
        return os.stat(source.path).st_size
    except OSError:
        return ASSUMED_BYTES  # reading it will say what is wrong


def partitions(
    tasks: Sequence[tuple[Source, Document | None]], workers: int
) -> list[list[tuple[Source, Document | None]]]:
    """Runs of consecutive documents (input order kept: results stream out in order).

    Of about equal bytes, but for the last ones, which taper off (`TAPER`) down to `MIN_PARTITION_BYTES`.
    """
    sizes = [_size(source) for source, _ in tasks]
    workers = max(1, workers)
    left = sum(sizes)
    share = left // (workers * PARTITIONS_PER_WORKER)
    most = min(MAX_PARTITION_BYTES, max(MIN_PARTITION_BYTES, share))
    parts: list[list[tuple[Source, Document | None]]] = []
    current: list[tuple[Source, Document | None]] = []
    filled = 0
    for task, size in zip(tasks, sizes, strict=True):
        current.append(task)
        filled += size
        # The bytes this partition aims at: `most`, less towards the end (`left` counts from its first document).
        if filled >= min(most, max(MIN_PARTITION_BYTES, left // (workers * TAPER))) or (
            len(current) >= MAX_PARTITION_DOCUMENTS
        ):
            parts.append(current)
            left -= filled
            current, filled = [], 0
    if current:
        parts.append(current)
    return parts


def _tasks(sources: Sequence[Source], options: ScanOptions) -> list[tuple[Source, Document | None]]:
    """Stdin is read here, on the client; everything else where it is scanned."""
    tasks: list[tuple[Source, Document | None]] = []
    for source in sources:
        document = None
        if source.path == STDIN and source.error is None:
            try:
                document = read_document(STDIN, options.encoding)
            except InputError as exc:
                source = replace(source, error=str(exc))
        tasks.append((source, document))
    return tasks


def scan_on_cluster(
    client: Any, sources: Sequence[Source], options: ScanOptions, *, tune_gc: bool = False
) -> Iterator[FileResult]:
    """Every source scanned on the cluster behind `client`; results in input order, as `batch.scan_all` gives them."""
    import uuid

    from distributed import KilledWorker

    workers = max(1, len(client.scheduler_info().get("workers", {})))
    parts = partitions(_tasks(sources, options), workers)
    run = uuid.uuid4().hex[:12]
    job = client.submit(_identity, job_for(options, tune_gc), key=f"repair-job-{run}")
    waiting = iter(enumerate(parts))
    in_flight: deque[tuple[list[tuple[Source, Document | None]], Any]] = deque()

    def submit_next() -> None:
        for index, part in waiting:
            future = client.submit(scan_partition, job, part, key=f"repair-scan-{run}-{index}", priority=-index)
            in_flight.append((part, future))
            return

    try:
        for _ in range(WINDOW_PER_WORKER * workers):
            submit_next()
        while in_flight:
            part, future = in_flight.popleft()
            try:
                results = _result(future, client)
            except KilledWorker:
                results = _one_at_a_time(client, job, part, run)
            future.release()
            submit_next()
            yield from results
    finally:  # done, or stopped early (Ctrl-C, an error): nothing is left queued on a scheduler that outlives us
        with contextlib.suppress(Exception):
            client.cancel([future for _, future in in_flight] + [job])


def _result(future: Any, client: Any) -> Any:
    """A future's result; what the cluster, not the documents, gets wrong is one line (exit 2)."""
    from distributed import KilledWorker

    try:
        return future.result()
    except KilledWorker:
        raise
    except ImportError as exc:  # the workers' Python lacks repair or a package it needs
        raise InputError(f"{client.scheduler.address}: the Dask workers cannot run repair ({exc})") from None
    except (OSError, TimeoutError) as exc:
        raise InputError(f"{client.scheduler.address}: lost the Dask scheduler ({_one_line(exc)})") from None


def _one_at_a_time(client: Any, job: Any, part: Sequence[tuple[Source, Document | None]], run: str) -> list[FileResult]:
    """A partition whose workers kept dying, a document at a time and one after the other (so that no innocent
    document shares a dying worker): the one that still kills its worker is an error in its row. Rare, so slow."""
    from distributed import KilledWorker

    results: list[FileResult] = []
    for number, (source, document) in enumerate(part):
        key = f"repair-alone-{run}-{id(part)}-{number}"
        future = client.submit(scan_partition, job, [(source, document)], key=key)
        try:
            results += _result(future, client)
        except KilledWorker:
            results.append(FileResult(source, error=f"{source.label}: its worker died each time it was scanned"))
        future.release()
    return results
