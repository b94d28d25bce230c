"""The Python API for data teams: the findings of a `dask.bag` or `dask.dataframe` of texts, as table rows.

`scan_bag` and `scan_frame` map over a collection a team already has (a crawl read with
`dask.dataframe.read_parquet`, a bag of `(url, text)` pairs) and give back the rows of
`repair check --format parquet` (`repair.edge.table.COLUMNS`): each text's findings,
then its document row. Whatever scheduler computes them (a `distributed.Client`'s
workers, threads, one process) builds the engine once per process (`cluster.worker_engine`,
or for the shipped lists `repair.edge.api.shipped_engine`, which `repair.scan` shares) from
settings read here, once; a text that is not a string, or that makes the scan raise,
is a document row with `error`, never a failed computation. Like `repair.scan`, the
defaults are the shipped wordlists only and the reporting threshold.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from repair.core.risk import count_words
from repair.edge.api import shipped_engine
from repair.edge.batch import ScanOptions, scan_text
from repair.edge.cluster import Job, engine_lock, job_for, worker_engine
from repair.edge.prose import Format, scan_document
from repair.edge.reporting import REPORT_THRESHOLD
from repair.edge.setup import EngineSettings, load_settings
from repair.edge.table import NAMES, arrow_table, document_row, rows_of

__all__ = ["scan_bag", "scan_frame"]


@dataclass(frozen=True, slots=True)
class TextJob:
    """What every partition of a collection shares: the engine's job, what to report, how to read the texts."""

    job: Job | None  # None: the shipped lists' engine (`repair.scan`'s, shared with it in the same process)
    threshold: float = REPORT_THRESHOLD
    format: Format = "text"


def _text_job(settings: EngineSettings | None, threshold: float, format: Format) -> Any:
    """The job as one dask key, not looked into: its wordlists are ~500,000 objects dask need not walk or hash."""
    import dask

    job = TextJob(None if settings is None else job_for(ScanOptions(load_settings(settings))), threshold, format)
    key = "shipped" if job.job is None else job.job.engine_key
    return dask.delayed(job, name=f"repair-job-{key}-{threshold}-{format}", traverse=False)


def _rows(job: TextJob, items: Iterable[tuple[object, object]]) -> list[tuple[object, ...]]:
    rows: list[tuple[object, ...]] = []
    with engine_lock:
        engine = shipped_engine() if job.job is None else worker_engine(job.job)
        for ident, text in items:
            path = None if ident is None else str(ident)
            if not isinstance(text, str):
                what = "no text" if _missing(text) else f"not a text but {type(text).__name__}"
                rows.append(document_row(path, error=f"{path}: {what}"))
                continue
            try:
                findings = scan_document(lambda t: scan_text(engine, t), text, job.format)
            except Exception as exc:  # a bug met on one text: reported in its row, the rest go on
                rows.append(document_row(path, error=f"{path}: internal error: {type(exc).__name__}: {exc}"))
                continue
            rows += rows_of(path, [f for f in findings if f.confidence >= job.threshold], count_words(text))
    return rows


def _missing(value: object) -> bool:
    """None, NaN or pandas' NA (whose truth is an error): a row without a text."""
    if value is None:
        return True
    try:
        return bool(value != value)
    except (TypeError, ValueError):
        return True


def _pairs(partition: Iterable[object]) -> Iterable[tuple[object, object]]:
    for item in partition:
        if isinstance(item, tuple) and len(item) == 2:
            yield item[0], item[1]
        else:
            yield None, item


def _bag_partition(partition: Iterable[object], job: TextJob) -> list[dict[str, object]]:
    return [dict(zip(NAMES, row, strict=True)) for row in _rows(job, _pairs(partition))]


def scan_bag(
    texts: Any, *, settings: EngineSettings | None = None, threshold: float = REPORT_THRESHOLD, format: Format = "text"
) -> Any:
    """A `dask.bag` of rows (dicts with the columns of the results table) for a bag of texts.

    Elements are `(id, text)` pairs, or texts alone (their rows' `path` is then None); `id`
    becomes `path` (as a string). Per text: its findings at least `threshold` confident,
    then its document row. `format` is "text", "markdown" or "html" for every text.
    """
    return texts.map_partitions(_bag_partition, _text_job(settings, threshold, format))


def _frame_partition(frame: Any, job: TextJob, text: str | None, ident: str | None) -> Any:
    import pandas

    texts = frame if text is None else frame[text]
    ids = texts.index if ident is None else frame[ident]
    rows = _rows(job, zip(ids, texts, strict=True))
    return arrow_table(rows).to_pandas(types_mapper=pandas.ArrowDtype)


def _meta() -> Any:
    import pandas

    return arrow_table([]).to_pandas(types_mapper=pandas.ArrowDtype)


def scan_frame(
    frame: Any,
    *,
    text: str | None = "text",
    id: str | None = None,
    settings: EngineSettings | None = None,
    threshold: float = REPORT_THRESHOLD,
    format: Format = "text",
) -> Any:
    """A `dask.dataframe.DataFrame` of the results table's rows for the texts of a dask DataFrame or Series.

    `text` names the column of texts (ignored for a Series); `path` holds the value of the
    `id` column, or of the index when `id` is None, as a string. The columns and their
    Arrow types are those of `repair check --format parquet` (so `.to_parquet()` writes
    the same table); one row per finding at least `threshold` confident, and one per text.
    """
    import dask.dataframe

    column = None if isinstance(frame, dask.dataframe.Series) else text
    job = _text_job(settings, threshold, format)
    return frame.map_partitions(_frame_partition, job, column, id, meta=_meta(), align_dataframes=False)
