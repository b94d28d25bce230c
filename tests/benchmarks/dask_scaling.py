"""Throughput of `repair check` on Dask (`--scheduler local:1`, `local:2`) against one process (a benchmark).

Usage (the venv needs the dask extra, as `pip install -e '.[test]'` gives):

    python tests/benchmarks/dask_scaling.py [--rounds 5] [--mb 20] [--corpus mixed] [--keep DIR]
        [--skip-steady | --skip-end-to-end]

1. **End to end**, what a user waits for: `repair check --no-config -q DIR` in one process (`-j 1`), on repair's own
   pool of 2 (`-j 2`, for comparison), with `--scheduler local:1` and with `--scheduler local:2` (each starts and
   stops its cluster), output discarded, an empty user data folder. Every command runs once per round, back to
   back, the order rotating each round (a 2-core shared machine drifts by +-20 % over minutes; the ratios within a
   round are the figures to trust). Printed: median seconds, MB/s, the speed-up over one process per round (its
   time over the command's): median and range, and the CPU seconds the run used in all its processes (the workers
   too): what Dask costs whatever else runs.
2. **Steady state**, what a long screen sees once the cluster and its engines are up, in this process through
   the library: the same corpus scanned by `batch.scan_all` (one process, engine built beforehand) and by
   `cluster.scan_on_cluster` on a LocalCluster of 1 and of 2 workers whose engines were built by a first pass;
   alternating, median of `--rounds`. The difference from end to end is the start-up (cluster, engine). This
   process runs numpy's BLAS on one thread, as `repair` and Dask's workers do.
3. **Per-partition overhead**: 400 partitions of one one-line document each on a warm 1-worker cluster, less the
   time the same documents take to scan in one process, per partition.

The corpus is built by throughput_corpus.py (its digest is printed: the same digest, the same bytes).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import throughput_corpus as corpora  # a sibling script, not a package

MB = corpora.MB


def timed(argv: Sequence[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall-clock seconds of a run, and the CPU seconds (user + system) of it and every process it waited for."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, check=False)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):
        sys.exit(f"{' '.join(argv)} failed ({proc.returncode}): {proc.stderr.decode(errors='replace')[-800:]}")
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def spread(values: Sequence[float]) -> str:
    return f"median {statistics.median(values):.2f}, range {min(values):.2f}-{max(values):.2f}"


def _table(
    first: str, cpu_column: str, seconds: dict[str, list[float]], cpu: dict[str, list[float]], size: int
) -> None:
    """One Markdown table of timed runs: median seconds, MB/s, speed-up over one process per round, median CPU."""
    print(f"| {first} | median s | MB/s | speed-up over 1 process, per round | {cpu_column} |")
    print("|---|---|---|---|---|")
    for label, values in seconds.items():
        ratios = [one / own for one, own in zip(seconds["1 process"], values, strict=True)]
        median, used = statistics.median(values), statistics.median(cpu[label])
        print(f"| {label} | {median:.2f} | {size / MB / median:.2f} | {spread(ratios)} | {used:.1f} |")


def end_to_end(folder: Path, size: int, rounds: int, env: dict[str, str]) -> None:
    repair = str(Path(sys.executable).with_name("repair"))
    base = [repair, "check", "--no-config", "-q"]
    commands = {  # `-j 1`: without it a folder of many files is scanned on every core (`default_jobs`)
        "1 process": [*base, "-j", "1"],
        "-j 2 (own pool)": [*base, "-j", "2"],
        "local:1": [*base, "--scheduler", "local:1"],
        "local:2": [*base, "--scheduler", "local:2"],
    }
    seconds: dict[str, list[float]] = {label: [] for label in commands}
    cpu: dict[str, list[float]] = {label: [] for label in commands}
    labels = list(commands)
    for r in range(rounds):
        order = labels[r % len(labels) :] + labels[: r % len(labels)]
        for label in order:
            wall, used = timed([*commands[label], str(folder)], env)
            seconds[label].append(wall)
            cpu[label].append(used)
        print(
            f"  round {r + 1} (load {os.getloadavg()[0]:.1f}): "
            + ", ".join(f"{k} {v[-1]:.2f} s ({cpu[k][-1]:.1f} CPU s)" for k, v in seconds.items()),
            file=sys.stderr,
        )
    print("\n### end to end (`repair check -q`, cluster start and stop included)\n")
    _table("command", "CPU s (all processes), median", seconds, cpu, size)


def steady_state(folder: Path, size: int, rounds: int) -> None:
    from repair.cli import one_blas_thread

    one_blas_thread()  # before numpy loads (distributed imports it)
    from distributed import Client, LocalCluster

    from repair.edge import batch, cluster
    from repair.edge.inputs import walk
    from repair.edge.setup import EngineSettings, load_settings

    sources = walk([str(folder)])
    options = batch.ScanOptions(load_settings(EngineSettings()))
    engine = batch.build_engine(options.engine)
    list(batch.scan_all(sources[:3], options, engine=engine))  # the engine's lazy tables loaded

    def serial() -> None:
        for _ in batch.scan_all(sources, options, engine=engine):
            pass

    runs: dict[str, Callable[[], None]] = {"1 process": serial}
    workers_cpu: dict[str, Callable[[], float]] = {"1 process": lambda: 0.0}
    clients = []
    for workers in (1, 2):
        local = LocalCluster(n_workers=workers, threads_per_worker=1, dashboard_address=":0")
        client = Client(local)
        clients.append((local, client))
        for _ in cluster.scan_on_cluster(client, sources, options, tune_gc=True):  # engines built, warm
            pass

        def on(client: Client = client) -> None:
            for _ in cluster.scan_on_cluster(client, sources, options, tune_gc=True):
                pass

        runs[f"local:{workers}"] = on
        workers_cpu[f"local:{workers}"] = lambda client=client: sum(client.run(time.process_time).values())
    seconds: dict[str, list[float]] = {label: [] for label in runs}
    cpu: dict[str, list[float]] = {label: [] for label in runs}
    labels = list(runs)
    for r in range(rounds):
        for label in labels[r % len(labels) :] + labels[: r % len(labels)]:
            start, mine, theirs = time.perf_counter(), time.process_time(), workers_cpu[label]()
            runs[label]()
            seconds[label].append(time.perf_counter() - start)
            cpu[label].append(time.process_time() - mine + workers_cpu[label]() - theirs)
        print(
            f"  steady {r + 1} (load {os.getloadavg()[0]:.1f}): "
            + ", ".join(f"{k} {v[-1]:.2f} s ({cpu[k][-1]:.1f} CPU s)" for k, v in seconds.items()),
            file=sys.stderr,
        )
    print("\n### steady state (cluster up, engines built; the library in one process)\n")
    _table("run", "CPU s (this process and workers), median", seconds, cpu, size)
    overhead(clients[0][1], options, engine)
    for local, client in clients:
        client.close()
        local.close()


def overhead(client: object, options: object, engine: object, count: int = 400) -> None:
    """Seconds per partition that are Dask's, not the scan's: tiny partitions on a warm 1-worker cluster."""
    from repair.edge import batch, cluster

    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for i in range(count):
            path = Path(tmp, f"{i}.txt")
            path.write_text(f"The squaddies left at dawn number {i}.\n")
            paths.append(path)
        sources = [batch.Source(str(p)) for p in paths]
        start = time.perf_counter()
        list(batch.scan_all(sources, options, engine=engine))  # type: ignore[arg-type]
        alone = time.perf_counter() - start
        saved = cluster.MAX_PARTITION_DOCUMENTS
        cluster.MAX_PARTITION_DOCUMENTS = 1  # one document a partition
        try:
            start = time.perf_counter()
            list(cluster.scan_on_cluster(client, sources, options))  # type: ignore[arg-type]
            on_cluster = time.perf_counter() - start
        finally:
            cluster.MAX_PARTITION_DOCUMENTS = saved
    per = (on_cluster - alone) / count
    print(
        f"\nper-partition overhead: {per * 1000:.1f} ms ({count} one-document partitions on local:1 in "
        f"{on_cluster:.2f} s; the same documents in one process {alone:.2f} s)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--mb", type=float, default=20.0)
    parser.add_argument("--corpus", choices=corpora.KINDS, default="mixed")
    parser.add_argument("--keep", type=Path, help="build (or reuse) the corpus here instead of a temporary folder")
    parser.add_argument("--skip-steady", action="store_true", help="only the end-to-end runs")
    parser.add_argument("--skip-end-to-end", action="store_true", help="only the steady state and the overhead")
    args = parser.parse_args(argv)
    root = args.keep or Path(tempfile.mkdtemp(prefix="repair-dask-"))
    folder = root / args.corpus
    if not folder.is_dir():
        corpora.build(folder, args.corpus, int(args.mb * MB))
    size = sum(p.stat().st_size for p in folder.iterdir())
    files = len(list(folder.iterdir()))
    print(
        f"## {args.corpus}: {files} files, {size / MB:.1f} MB, digest {corpora.digest(folder)}, "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the start"
    )
    home = Path(tempfile.mkdtemp(prefix="repair-home-"))
    env = {**os.environ, "REPAIR_HOME": str(home)}
    os.environ["REPAIR_HOME"] = str(home)
    try:
        if not args.skip_end_to_end:
            end_to_end(folder, size, args.rounds, env)
        if not args.skip_steady:
            steady_state(folder, size, args.rounds)
    finally:
        shutil.rmtree(home, ignore_errors=True)
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)
    print(f"\nload average {os.getloadavg()[0]:.1f} at the end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
