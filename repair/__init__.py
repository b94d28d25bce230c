"""repair: find spun phrasing and restore the original wording.

The public API is small and never imports the TUI or the command line:

    from repair import Engine, fix
    engine = Engine()                 # the shipped wordlists
    findings = engine.scan(text)      # list[Finding]
    new_text, applied = fix(text, engine)

The layers below it: repair.core (the pure engine), repair.edge (files, settings, the one
engine builder, batches), repair.review and repair.tools, then repair.cli and repair.tui.
"""

from repair.core.engine import Engine, Selection, apply_edits, fix, select
from repair.core.model import Edit, Entry, Evidence, Finding, Safety, StaleEditError

__all__ = [
    "Edit",
    "Engine",
    "Entry",
    "Evidence",
    "Finding",
    "Safety",
    "Selection",
    "StaleEditError",
    "apply_edits",
    "fix",
    "select",
]
__version__ = "0.1.0"
