"""repair: find spun phrasing and restore the original wording.

The public API is small and never imports the TUI:

    from repair import Engine, fix
    engine = Engine()                 # the shipped wordlists
    findings = engine.scan(text)      # list[Finding]
    new_text, applied = fix(text, engine)
"""

from repair.engine import Engine, Selection, apply_edits, fix, select
from repair.model import Edit, Entry, Finding, Safety, StaleEditError

__all__ = [
    "Edit",
    "Engine",
    "Entry",
    "Finding",
    "Safety",
    "Selection",
    "StaleEditError",
    "apply_edits",
    "fix",
    "select",
]
__version__ = "0.1.0"
