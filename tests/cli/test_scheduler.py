"""`check` and `fix` on a real Dask cluster (LocalCluster, 2 worker processes): the output of one process, byte
for byte, even when a worker is killed mid-run; a document that kills its worker is an error in its own row."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from repair.edge import cluster

from ..conftest import CLEAN_SEED, SPUN_SEED
from .helpers import assert_one_error, run, snapshot

distributed = pytest.importorskip("distributed")
pq = pytest.importorskip("pyarrow.parquet")
pytestmark = pytest.mark.slow


def _corpus(folder: Path, count: int = 24, repeat: int = 1) -> None:
    """Spun and clean paragraphs in varied order, a binary file and one that is not UTF-8."""
    spun = SPUN_SEED.read_text(encoding="utf-8").splitlines()
    clean = CLEAN_SEED.read_text(encoding="utf-8").splitlines()
    (folder / "sub").mkdir(parents=True)
    for i in range(count):
        lines = spun[i % len(spun) :] + clean[: i * 3] + spun[: i % len(spun)]
        name = f"sub/{i:02d}.md" if i % 5 == 0 else f"{i:02d}.txt"
        (folder / name).write_text("\n".join(lines * repeat) + "\n", encoding="utf-8")
    (folder / "blob.txt").write_bytes(b"\x89PNG\x00\x00")
    (folder / "latin.txt").write_bytes(b"caf\xe9 squaddies\n")


@pytest.fixture(autouse=True)
def _small_partitions(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cluster, "MIN_PARTITION_BYTES", 1)  # many partitions even from a small corpus


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """A running cluster of 2 worker processes (with nannies, which restart a killed worker): its address."""
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=":0") as local:
        yield local.scheduler_address


def test_check_on_two_workers_is_byte_identical_to_one_process(capsys, tmp_path: Path) -> None:
    _corpus(tmp_path / "corpus")
    alone = run(capsys, "check", "--format", "json", "--risk", "corpus")
    on_cluster = run(capsys, "check", "--format", "json", "--risk", "--scheduler", "local:2", "corpus")
    assert alone.code == on_cluster.code == 2  # latin.txt
    assert on_cluster.out == alone.out and on_cluster.err == alone.err
    assert alone.out.count("\n") > 1000
    run(capsys, "check", "--format", "parquet", "-o", "one.parquet", "corpus")
    run(capsys, "check", "--format", "parquet", "-o", "two.parquet", "--scheduler", "local:2", "corpus")
    assert pq.read_table("two.parquet").equals(pq.read_table("one.parquet"))


def test_fix_on_a_cluster_writes_what_one_process_writes(capsys, tmp_path: Path, scheduler: str) -> None:
    _corpus(tmp_path / "corpus")
    Path("one").mkdir()
    Path("two").mkdir()
    # The workers of a running scheduler have working folders of their own: paths are made absolute for them.
    alone = run(capsys, "fix", "--output-dir", "one", str(tmp_path / "corpus"))
    on_cluster = run(capsys, "fix", "--output-dir", "two", "--scheduler", scheduler, "corpus")
    assert alone.code == on_cluster.code == 2 and on_cluster.err == alone.err
    assert snapshot(Path("two")) == snapshot(Path("one")) and len(snapshot(Path("one"))) == 24
    assert_one_error(run(capsys, "fix", "--output-dir", "two", "--scheduler", scheduler, "corpus/01.txt"), "--force")
    assert_one_error(run(capsys, "fix", "--in-place", "--scheduler", scheduler, "corpus"), "--output-dir")


def _kill_a_worker_mid_run(client: distributed.Client, argv: list[str], out: Path) -> None:
    """Run `repair` and kill -9 a worker while it scans a partition of that run."""
    pids = client.run(os.getpid)
    with out.open("wb") as stdout:
        proc = subprocess.Popen([sys.executable, "-m", "repair", *argv], stdout=stdout, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 60
        victim = None
        while victim is None and time.monotonic() < deadline and proc.poll() is None:
            busy = client.processing()
            victim = next((w for w, keys in busy.items() if any("repair-scan" in str(k) for k in keys)), None)
            time.sleep(0.02)
        assert victim is not None and proc.poll() is None, "the run ended before a worker could be killed"
        os.kill(pids[victim], signal.SIGKILL)
        _, err = proc.communicate(timeout=300)
    assert b"Traceback" not in err, err


@pytest.mark.parametrize("command", ["check", "fix"])
def test_a_worker_killed_mid_run_loses_and_repeats_nothing(command: str, tmp_path: Path, scheduler: str) -> None:
    _corpus(tmp_path / "corpus", count=30, repeat=3)
    Path("one").mkdir()
    Path("two").mkdir()
    corpus = str(tmp_path / "corpus")  # as a running scheduler's workers are given it
    if command == "check":
        argv = ["check", "--no-config", "--format", "json", corpus]
    else:
        argv = ["fix", "--no-config", "--output-dir", "one", corpus]
    alone = subprocess.run([sys.executable, "-m", "repair", *argv], capture_output=True, check=False)
    argv[argv.index("one") if "one" in argv else 0] = "two" if command == "fix" else argv[0]
    with distributed.Client(scheduler) as client:
        _kill_a_worker_mid_run(client, [*argv, "--scheduler", scheduler], tmp_path / "out")
    if command == "check":
        assert (tmp_path / "out").read_bytes() == alone.stdout
    else:
        assert snapshot(Path("two")) == snapshot(Path("one"))


class Poison(distributed.WorkerPlugin):
    """Kills its worker when it is about to scan a file named POISON (installed again in every restarted worker)."""

    def setup(self, worker: object) -> None:
        scan = cluster.scan_source

        def killing(engine, source, options, document=None):  # type: ignore[no-untyped-def]
            if "POISON" in source.path:
                os._exit(1)
            return scan(engine, source, options, document)

        cluster.scan_source = killing  # type: ignore[assignment]


def test_a_document_that_kills_its_worker_is_an_error_in_its_row(capsys, tmp_path: Path) -> None:
    import dask

    _corpus(tmp_path / "corpus", count=8)
    (tmp_path / "corpus" / "POISON.txt").write_text("The squaddies left.\n")
    alone = run(capsys, "check", "--format", "json", "corpus")
    with (
        dask.config.set({"distributed.scheduler.allowed-failures": 1}),
        distributed.LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=":0") as local,
        distributed.Client(local) as client,
    ):
        client.register_plugin(Poison())
        result = run(capsys, "check", "--format", "json", "--scheduler", local.scheduler_address, "corpus")
    assert result.code == 2
    assert f"repair: error: {tmp_path}/corpus/POISON.txt: its worker died each time it was scanned" in result.err_lines
    expected = "".join(line for line in alone.out.splitlines(True) if "POISON" not in line)
    assert result.out == expected.replace('"corpus/', f'"{tmp_path}/corpus/')


def test_an_unreachable_scheduler_is_one_line(capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT", "1s")
    Path("a.txt").write_text("The squaddies left.\n")
    assert_one_error(run(capsys, "check", "--scheduler", "tcp://127.0.0.1:9", "a.txt"), "cannot reach the Dask")
    assert_one_error(run(capsys, "check", "-j", "2", "--scheduler", "local:2", "a.txt"), "give one")


def test_ctrl_c_ends_the_cluster_at_once_in_one_line(tmp_path: Path) -> None:
    # Enough text that the run is still scanning after 8 s on a quiet machine (30 files of 3 copies ran out
    # before that once the scorer was made faster).
    _corpus(tmp_path / "corpus", count=40, repeat=15)
    argv = [sys.executable, "-m", "repair", "check", "--no-config", "-q", "--scheduler", "local:2", "corpus"]
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    time.sleep(8)  # the cluster up and scanning
    if proc.poll() is not None:
        _, err = proc.communicate()
        pytest.fail(f"the run ended before it was interrupted: {err.decode()}")
    os.killpg(proc.pid, signal.SIGINT)  # as a terminal's Ctrl-C: to the whole process group, workers too
    start = time.monotonic()
    _, err = proc.communicate(timeout=60)
    assert (proc.returncode, err.decode()) == (130, "repair: error: interrupted\n")
    assert time.monotonic() - start < 5
    for _ in range(100):  # no worker left behind (the last ones take a moment to go)
        try:
            os.killpg(proc.pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    else:
        pytest.fail("processes of the run are still there 10 s after it ended")


def test_fix_on_two_workers_writes_into_a_bucket(capsys, tmp_path: Path) -> None:
    """`local://` is fsspec's own local file system: the workers write each object with one put, as into a bucket."""
    _corpus(tmp_path / "corpus")
    Path("one").mkdir()
    alone = run(capsys, "fix", "--output-dir", "one", "corpus")
    bucket = f"local://{tmp_path}/bucket"
    on_cluster = run(capsys, "fix", "--output-dir", bucket, "--scheduler", "local:2", "corpus")
    assert on_cluster.code == alone.code == 2 and on_cluster.err == alone.err
    assert snapshot(tmp_path / "bucket") == snapshot(Path("one"))


def test_the_workers_repair_starts_keep_glibcs_own_trimming(monkeypatch: pytest.MonkeyPatch) -> None:
    """Dask starts workers with MALLOC_TRIM_THRESHOLD_=65536; a scan then runs ~15 % slower (docs/benchmarks.md)."""
    monkeypatch.delenv("MALLOC_TRIM_THRESHOLD_", raising=False)
    with cluster.connect(cluster.Scheduler(workers=1)) as client:
        (seen,) = client.run(os.environ.get, "MALLOC_TRIM_THRESHOLD_").values()
        (threads,) = client.run(os.environ.get, "OPENBLAS_NUM_THREADS").values()
    assert seen is None
    assert threads == "1"  # Dask's other settings are kept
