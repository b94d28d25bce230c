"""The pieces of repair.edge.cluster that need no cluster: the scheduler spec, partitions, a partition's scan."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from repair.edge.batch import FileResult, ScanOptions
from repair.edge.cluster import Scheduler, job_for, parse_scheduler, partitions, scan_partition
from repair.edge.inputs import Source
from repair.edge.setup import EngineSettings, load_settings


def test_the_scheduler_is_local_n_or_an_address() -> None:
    assert parse_scheduler("local:2") == Scheduler(workers=2)
    assert parse_scheduler("tcp://10.0.0.5:8786") == Scheduler(address="tcp://10.0.0.5:8786")
    for bad in ("local:0", "local:x", "local", "10.0.0.5:8786", ""):
        with pytest.raises(ValueError, match="local:N"):
            parse_scheduler(bad)


def test_partitions_keep_the_order_and_balance_bytes() -> None:
    sources = [Source(f"s3://b/{i}.txt", root="s3://b", size=size) for i, size in enumerate([900_000] * 4 + [1] * 9)]
    parts = partitions([(s, None) for s in sources], workers=1)
    assert [task[0] for part in parts for task in part] == sources  # every document once, in order
    assert [len(p) for p in parts] == [1, 1, 1, 1, 9]  # the target is 64 KB at least: tiny files share one


def test_the_last_partitions_are_small_so_no_worker_waits_long_at_the_end() -> None:
    sources = [Source(f"s3://b/{i}.txt", root="s3://b", size=50_000) for i in range(400)]  # 20 MB
    parts = partitions([(s, None) for s in sources], workers=2)
    assert [task[0] for part in parts for task in part] == sources
    sizes = [sum(source.size or 0 for source, _ in part) for part in parts]
    assert sizes[0] >= 20_000_000 // 32  # the bulk as before: 16 partitions a worker
    assert sizes[-1] <= 2 * 64_000  # the tail down to about MIN_PARTITION_BYTES
    assert sizes == sorted(sizes, reverse=True)  # never growing again
    assert len(parts) < 2 * 32  # Dask's per-task cost stays small


def test_a_document_that_raises_is_an_error_in_its_own_row(tmp_path: Path, small_wordlist: Path) -> None:
    for name in ("a.txt", "bad.txt", "c.txt"):
        (tmp_path / name).write_text("The squaddies left.\n")

    def summarise(result: FileResult) -> int:
        if result.source.path.endswith("bad.txt"):
            raise RuntimeError("a bug")
        return len(result.findings)

    options = ScanOptions(load_settings(EngineSettings(wordlists=(str(small_wordlist),))), summarise=summarise)
    tasks = [(Source(str(tmp_path / n)), None) for n in ("a.txt", "bad.txt", "c.txt")]
    results = scan_partition(job_for(options), tasks)
    assert [r.summary for r in results] == [1, None, 1]
    assert results[1].error == f"{tmp_path}/bad.txt: internal error: RuntimeError: a bug"
    assert job_for(options).engine_key == job_for(replace(options, summarise=None)).engine_key  # one engine
