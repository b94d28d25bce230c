"""repair: find spun phrasing and restore the original wording.

The public API is small and never imports the TUI, the command line or the tools:

    import repair
    repair.scan(text)                 # list[Finding]: what `repair check` reports
    repair.fix(text)                  # str: the fixes safe without a reviewer applied, as `repair fix`
    repair.scan_file("a.md")          # Markdown, HTML or plain text by the file's name
    repair.fix_file("a.md", "b.md")   # written atomically, encoding and BOM kept
    repair.scan_frame(ddf)            # a dask DataFrame of texts -> the results table, on the cluster

For more control: `Engine` (your own wordlists), `select` with a `Selection`,
`apply_edits`, and `apply_fixes(text, engine, selection) -> (new_text, applied)`.
The layers below it: repair.core (the pure engine), repair.edge (files, settings, the one
engine builder, batches), repair.review and repair.tools, then repair.cli and repair.tui.

The names are imported on first use (PEP 562), so `repair --version` and the command line's
start-up do not pay for the engine, the batch and the Dask glue before they need them.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from repair.core.engine import Engine, Selection, apply_edits, select
    from repair.core.engine import fix as apply_fixes
    from repair.core.model import Edit, Entry, Evidence, Finding, Safety, StaleEditError
    from repair.edge.api import fix, fix_file, scan, scan_file
    from repair.edge.documents import InputError
    from repair.edge.frames import scan_bag, scan_frame
    from repair.edge.reporting import REPORT_THRESHOLD

# name -> (module, its name there)
_EXPORTS = {
    "Engine": ("repair.core.engine", "Engine"),
    "Selection": ("repair.core.engine", "Selection"),
    "apply_edits": ("repair.core.engine", "apply_edits"),
    "select": ("repair.core.engine", "select"),
    "apply_fixes": ("repair.core.engine", "fix"),
    "Edit": ("repair.core.model", "Edit"),
    "Entry": ("repair.core.model", "Entry"),
    "Evidence": ("repair.core.model", "Evidence"),
    "Finding": ("repair.core.model", "Finding"),
    "Safety": ("repair.core.model", "Safety"),
    "StaleEditError": ("repair.core.model", "StaleEditError"),
    "fix": ("repair.edge.api", "fix"),
    "fix_file": ("repair.edge.api", "fix_file"),
    "scan": ("repair.edge.api", "scan"),
    "scan_file": ("repair.edge.api", "scan_file"),
    "InputError": ("repair.edge.documents", "InputError"),
    "scan_bag": ("repair.edge.frames", "scan_bag"),
    "scan_frame": ("repair.edge.frames", "scan_frame"),
    "REPORT_THRESHOLD": ("repair.edge.reporting", "REPORT_THRESHOLD"),
}

__all__ = [
    "REPORT_THRESHOLD",
    "Edit",
    "Engine",
    "Entry",
    "Evidence",
    "Finding",
    "InputError",
    "Safety",
    "Selection",
    "StaleEditError",
    "apply_edits",
    "apply_fixes",
    "fix",
    "fix_file",
    "scan",
    "scan_bag",
    "scan_file",
    "scan_frame",
    "select",
]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    try:
        module, attribute = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module 'repair' has no attribute {name!r}") from None
    value = getattr(import_module(module), attribute)
    globals()[name] = value  # looked up once
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})
