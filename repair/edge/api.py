"""The simple Python API (`repair.scan`, `repair.fix`, `repair.scan_file`, `repair.fix_file`).

They do what `repair check` and `repair fix` do by default, with the shipped wordlists
only (no user data folder, no config file), so a script gets the same answer on
every machine: `scan` reports what is at least `REPORT_THRESHOLD` confident,
`fix` applies the fixes safe without a reviewer. Pass `engine=` for your own lists
(`repair.edge.setup.engine_for(EngineSettings(...))` builds one as the commands do).
The shipped engine is built on first use and kept for the process.
"""

from __future__ import annotations

import functools
from os import PathLike
from pathlib import Path

from repair.core.engine import Engine, Selection, apply_edits, select
from repair.core.model import Edit, Finding
from repair.edge.documents import atomic_write_bytes, file_mode, read_document
from repair.edge.fixing import SAFE
from repair.edge.prose import Format, format_for, scan_document
from repair.edge.reporting import REPORT_THRESHOLD
from repair.edge.setup import EngineSettings, engine_for


@functools.cache
def shipped_engine() -> Engine:
    """The engine of the shipped wordlists, built once per process."""
    return engine_for(EngineSettings())


def scan(
    text: str, *, engine: Engine | None = None, threshold: float = REPORT_THRESHOLD, format: Format = "text"
) -> list[Finding]:
    """The findings in `text` at least `threshold` confident (0 for all), as `repair check` reports them.

    `format` is "text", "markdown" or "html": markup, code and URLs are never findings, and
    offsets are always into `text` as given.
    """
    scanner = functools.partial((engine or shipped_engine()).scan, least=threshold)
    return [f for f in scan_document(scanner, text, format) if f.confidence >= threshold]


def fix(text: str, *, engine: Engine | None = None, selection: Selection = SAFE, format: Format = "text") -> str:
    """`text` with the fixes `selection` accepts applied (by default those safe without a reviewer)."""
    return _fixed(text, engine, selection, format)[0]


def scan_file(
    path: str | PathLike[str], *, engine: Engine | None = None, threshold: float = REPORT_THRESHOLD
) -> list[Finding]:
    """The findings of a file, read as its name says (Markdown, HTML or plain text); raises InputError."""
    document = read_document(str(path))
    return scan(document.text, engine=engine, threshold=threshold, format=format_for(str(path)))


def fix_file(
    path: str | PathLike[str],
    out: str | PathLike[str],
    *,
    engine: Engine | None = None,
    selection: Selection = SAFE,
) -> list[Finding]:
    """Write the fixed file to `out` (which may be `path`), atomically, BOM and encoding kept; the fixes applied."""
    document = read_document(str(path))
    text, applied = _fixed(document.text, engine, selection, format_for(str(path)))
    data = document.encoded(text, [Edit.from_finding(f) for f in applied])  # bytes outside the fixes as they were
    atomic_write_bytes(Path(out), data, mode=file_mode(path))
    return applied


def _fixed(text: str, engine: Engine | None, selection: Selection, fmt: Format) -> tuple[str, list[Finding]]:
    applied = select(scan_document((engine or shipped_engine()).scan, text, fmt), selection)
    return apply_edits(text, (Edit.from_finding(f) for f in applied)), applied
