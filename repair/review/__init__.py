"""A review without any UI: `session` (one document: queue, decisions, undo, saving) and `workspace` (a run's files).

The Textual app (repair.tui) is a thin view over these; nothing here imports Textual.
"""

from repair.review.session import Preview, Progress, ReviewError, ReviewFilter, ReviewSession, SaveResult
from repair.review.workspace import ReviewFile, ReviewOptions, Workspace, default_output, engine_settings

__all__ = [
    "Preview",
    "Progress",
    "ReviewError",
    "ReviewFile",
    "ReviewFilter",
    "ReviewOptions",
    "ReviewSession",
    "SaveResult",
    "Workspace",
    "default_output",
    "engine_settings",
]
