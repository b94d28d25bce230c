"""Results as one table: a row per finding and a row per document (`check --format parquet`, the Dask API).

A data team queries it with DuckDB or pandas: `kind` says which sort a row is; finding rows
fill the finding's columns (those of `check --format json`), document rows the summary
columns (words, findings shown, spin score, risk grade) and, for a document that could not
be scanned, `error` (or `warning` for one skipped on purpose, e.g. a binary file in a
folder): a bad document is a row, never a failed run. The columns and their types are
`COLUMNS`; docs/usage.md shows them with a query. `ParquetSink` writes the file
atomically (a temporary file renamed, or one put for a URL); pyarrow is the `dask`
extra's and is imported only here, when a table is written.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

from repair.core.model import Finding
from repair.core.risk import risk_score
from repair.edge.documents import TEMP_MARK, InputError
from repair.edge.remote import is_url, local_path, put_file, url_exists
from repair.edge.reporting import worded_reason

SCHEMA_VERSION = 1  # stored in the file's metadata as `repair.schema`
INSTALL_HINT = "pip install 'repair-despinner[dask]'"
# (name, Arrow type) in order; a row is a tuple of these.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("kind", "string"),  # "finding" or "document"
    ("path", "string"),  # as the text output names the file (a URL for a URL), or the text's id in the API
    ("line", "int64"),
    ("column", "int64"),
    ("start", "int64"),  # character offsets into the text, as `check --format json`
    ("end", "int64"),
    ("spun", "string"),
    ("suggestions", "list<string>"),
    ("confidence", "double"),
    ("safety", "string"),  # auto, choose or flag
    ("reason", "string"),
    ("rule", "string"),
    ("key", "string"),  # content hash: survives edits elsewhere in the document
    ("words", "int64"),  # document rows: the text's words
    ("findings", "int64"),  # document rows: the findings shown (the finding rows of this path)
    ("spin_score", "double"),  # document rows: confidence-weighted findings per 1,000 words (as `repair report`)
    ("risk", "string"),  # document rows: the risk grade none|low|elevated|high (see `check --risk`)
    ("error", "string"),  # document rows: why the document could not be scanned
    ("warning", "string"),  # document rows: why it was skipped (a binary file met in a folder)
)
NAMES = tuple(name for name, _ in COLUMNS)
_FINDING_NULLS = (None,) * 6
_DOCUMENT_NULLS = (None,) * 11


def finding_row(path: str | None, finding: Finding) -> tuple[object, ...]:
    f = finding
    return (
        "finding",
        path,
        f.line,
        f.column,
        f.start,
        f.end,
        f.spun,
        list(f.suggestions),
        round(f.confidence, 4),
        f.safety.value,
        worded_reason(f.reason),
        f.rule,
        f.key,
        *_FINDING_NULLS,
    )


def document_row(
    path: str | None,
    shown: Sequence[Finding] = (),
    words: int | None = None,
    *,
    error: str | None = None,
    warning: str | None = None,
) -> tuple[object, ...]:
    """The summary row of a document; with `error` or `warning`, a document that was not scanned."""
    if error is not None or warning is not None:
        return ("document", path, *_DOCUMENT_NULLS, None, None, None, None, error, warning)
    count = words or 0
    return summary_row(path, count, len(shown), sum(f.confidence for f in shown), risk_score(shown, count).level)


def summary_row(path: str | None, words: int, findings: int, confidence: float, risk: str) -> tuple[object, ...]:
    """A scanned document's row from what its findings add up to (`confidence`: their confidences summed).

    What `repair check` writes for a file scanned a block at a time, its blocks' counts added up.
    """
    score = round(1000.0 * confidence / max(words, 1), 3)
    return ("document", path, *_DOCUMENT_NULLS, words, findings, score, risk, None, None)


def rows_of(path: str | None, shown: Sequence[Finding], words: int | None) -> list[tuple[object, ...]]:
    """A scanned document's rows: its findings in order, then its summary."""
    return [*(finding_row(path, f) for f in shown), document_row(path, shown, words)]


def _pyarrow() -> Any:
    try:
        import pyarrow
    except ImportError:
        raise InputError(f"Parquet output needs pyarrow: {INSTALL_HINT}") from None
    return pyarrow


def arrow_schema() -> Any:
    pa = _pyarrow()
    types = {"string": pa.string(), "int64": pa.int64(), "double": pa.float64(), "list<string>": pa.list_(pa.string())}
    fields = [pa.field(name, types[kind]) for name, kind in COLUMNS]
    return pa.schema(fields, metadata={"repair.schema": str(SCHEMA_VERSION)})


def arrow_table(rows: Sequence[tuple[object, ...]]) -> Any:
    """The rows as an Arrow table of the schema (columns built one at a time: far quicker than a dict per row)."""
    pa = _pyarrow()
    schema = arrow_schema()
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(COLUMNS)
    arrays = [pa.array(column, type=field.type) for column, field in zip(columns, schema, strict=True)]
    return pa.Table.from_arrays(arrays, schema=schema)


class ParquetSink:
    """Rows appended in batches to one Parquet file, which appears (whole) only when `close` succeeds.

    A local OUT is written to `.OUT.repair-tmp-PID-…` beside it and renamed; a URL is
    written to a local temporary file and put with one upload (atomic on object stores).
    An existing OUT is refused without `force`, before anything is scanned.
    """

    BATCH_ROWS = 50_000

    def __init__(self, out: str, *, force: bool = False) -> None:
        self.out = out
        self.path = (local_path(out) or out) if is_url(out) else out  # file:// is written as a local path is
        self.url = is_url(self.path)
        if not force and self._exists():
            raise InputError(f"{out}: already exists (use --force to overwrite)")
        parquet = _import_parquet()
        if self.url:
            fd, self.temp = tempfile.mkstemp(prefix="repair-", suffix=".parquet")
        else:
            folder = Path(self.path).parent
            if not folder.is_dir():
                raise InputError(f"{out}: folder {folder} does not exist")
            try:
                name = Path(self.path).name
                fd, self.temp = tempfile.mkstemp(prefix=f".{name}{TEMP_MARK}{os.getpid()}-", dir=folder)
            except OSError as exc:
                raise InputError(f"{out}: cannot write ({exc.strerror or exc})") from None
        os.close(fd)
        self.writer = parquet.ParquetWriter(self.temp, arrow_schema(), compression="zstd")
        self.pending: list[tuple[object, ...]] = []

    def _exists(self) -> bool:
        if self.url:
            return url_exists(self.out)
        return os.path.lexists(self.path)

    def add(self, rows: Iterable[tuple[object, ...]]) -> None:
        self.pending.extend(rows)
        if len(self.pending) >= self.BATCH_ROWS:
            self._flush()

    def _flush(self) -> None:
        if self.pending:
            self.writer.write_table(arrow_table(self.pending))
            self.pending = []

    def close(self) -> None:
        """Write what is pending and put the file in place."""
        try:
            self._flush()
            self.writer.close()
            if self.url:
                put_file(self.temp, self.out)
            else:
                os.chmod(self.temp, 0o644)
                os.replace(self.temp, self.path)
        except OSError as exc:
            raise InputError(f"{self.out}: cannot write ({exc.strerror or exc})") from None
        finally:
            self._remove_temp()

    def abort(self) -> None:
        with contextlib.suppress(Exception):
            self.writer.close()
        self._remove_temp()

    def _remove_temp(self) -> None:
        with contextlib.suppress(OSError):
            os.unlink(self.temp)

    def __enter__(self) -> ParquetSink:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if kind is None:
            self.close()
        else:
            self.abort()


def _import_parquet() -> Any:
    _pyarrow()
    import pyarrow.parquet

    return pyarrow.parquet
