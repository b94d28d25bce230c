"""The review app: a thin Textual shell over `repair.review.Workspace`.

`create_app` is the one factory used by `repair review` and by the tests.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Mapping
from typing import ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import Screen

from repair.edge.documents import InputError
from repair.review.workspace import ReviewOptions, Workspace
from repair.tui.screens import REVIEW_BINDINGS, ReviewScreen

MODAL_BINDING_IDS = frozenset(
    {
        "confirm-yes",
        "confirm-no",
        "quit-save",
        "quit-anyway",
        "quit-cancel",
        "edit-cancel",
        "filter-cancel",
        "help-close",
    }
)


def binding_ids() -> frozenset[str]:
    """Every binding id a user may remap (in keys.toml)."""
    return frozenset(b.id for b in REVIEW_BINDINGS if b.id) | MODAL_BINDING_IDS


class ReviewApp(App[None]):
    """Scans the documents in a worker thread; the review screen does the rest."""

    CSS_PATH = "review.tcss"
    TITLE = "repair review"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True, id="app-quit"),
    ]

    def __init__(self, workspace: Workspace, keymap: Mapping[str, str] | None = None) -> None:
        super().__init__()
        self.workspace = workspace
        self.keymap = dict(keymap or {})
        self.set_keymap(self.keymap)
        self.scanned = asyncio.Event()  # set once every document has been scanned

    def get_default_screen(self) -> Screen:
        return ReviewScreen(self.workspace)

    @property
    def review(self) -> ReviewScreen:
        screen = self.screen_stack[0]
        assert isinstance(screen, ReviewScreen)
        return screen

    def on_mount(self) -> None:
        # After the first paint: the scan holds the GIL for seconds on big documents.
        self.call_after_refresh(self._start_scan)

    def _start_scan(self) -> None:
        # A daemon thread rather than a Textual worker: quitting mid-scan must not wait for it.
        threading.Thread(target=self._scan, name="repair-scan", daemon=True).start()

    def _scan(self) -> None:
        """Scan every document, the first one first, handing each session to the UI when ready."""
        try:
            for index in range(len(self.workspace.files)):
                error = None
                try:
                    self.workspace.open(index)
                except InputError as exc:
                    error = str(exc)
                self.call_from_thread(self.review.session_ready, index, error)
            self.call_from_thread(self.scanned.set)
        except RuntimeError:
            return  # the app has gone (quit while scanning)
        except Exception as exc:  # a bug: fail loudly in the app, not silently in a thread
            with contextlib.suppress(RuntimeError):
                self.call_from_thread(self._fail, exc)

    def _fail(self, exc: Exception) -> None:
        raise exc

    async def action_quit(self) -> None:
        """ctrl+q goes through the same question as q."""
        self.review.action_quit()


def create_app(
    options: ReviewOptions, *, keymap: Mapping[str, str] | None = None, workspace: Workspace | None = None
) -> ReviewApp:
    """Open the documents (raising InputError for any problem the user can fix) and build the app.

    Key remaps come from `keymap`, else from keys.toml in the user data folder.
    """
    workspace = workspace if workspace is not None else Workspace(options)
    if keymap is None:
        keymap = workspace.userdata.load_keymap()
    unknown = sorted(set(keymap) - binding_ids())
    if unknown:
        known = ", ".join(sorted(binding_ids()))
        raise InputError(f"{workspace.userdata.keymap_path}: unknown binding id {unknown[0]!r} (known: {known})")
    return ReviewApp(workspace, keymap)
