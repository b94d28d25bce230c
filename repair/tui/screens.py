"""Screens of the review app: the main review screen and its typed modal dialogs."""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Checkbox, Footer, Input, Label, Markdown, Static

from repair.core.model import Safety, StaleEditError
from repair.edge.documents import InputError
from repair.review.session import ReviewError, ReviewFilter, ReviewSession
from repair.review.workspace import Workspace
from repair.tui.widgets import DocumentView, FindingPanel, ProgressLine

# ---------------------------------------------------------------------------- dialogs


class ConfirmScreen(ModalScreen[bool]):
    """Ask a yes/no question; dismisses with True for yes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes", id="confirm-yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm-no"),
    ]

    def __init__(self, title: str, message: str, yes: str = "Yes") -> None:
        super().__init__()
        self.title_text, self.message, self.yes = title, message, yes

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            yield Static(self.message, classes="dialog-message")
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self.yes} (y)", id="yes", variant="primary")
                yield Button("No (n)", id="no")

    def on_mount(self) -> None:
        self.query_one("#yes", Button).focus()

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)

    @on(Button.Pressed, "#yes")
    def _yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#no")
    def _no(self) -> None:
        self.dismiss(False)


class QuitChoice(enum.Enum):
    SAVE = "save"
    QUIT = "quit"
    CANCEL = "cancel"


class QuitScreen(ModalScreen[QuitChoice]):
    """Quitting with decisions not yet written to a clean copy."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "choose('save')", "Save and quit", id="quit-save"),
        Binding("q", "choose('quit')", "Quit", id="quit-anyway"),
        Binding("escape,c", "choose('cancel')", "Cancel", id="quit-cancel"),
    ]

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Unsaved decisions", classes="dialog-title")
            yield Static(self.message, classes="dialog-message")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save and quit (s)", id="save", variant="primary")
                yield Button("Quit (q)", id="quit")
                yield Button("Cancel (esc)", id="cancel")

    def action_choose(self, choice: str) -> None:
        self.dismiss(QuitChoice(choice))

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(QuitChoice(event.button.id))


@dataclass(frozen=True, slots=True)
class EditRequest:
    replacement: str
    remember: bool  # also save `spun -> replacement` to the user wordlist


class EditScreen(ModalScreen[EditRequest | None]):
    """Type a replacement for the current finding."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", id="edit-cancel")]

    def __init__(self, spun: str, initial: str) -> None:
        super().__init__()
        self.spun, self.initial = spun, initial

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(f"Replace “{self.spun}” with", classes="dialog-title")
            yield Input(self.initial, id="replacement", select_on_focus=True)
            yield Checkbox("Save as my wordlist entry for later runs", id="remember")
            yield Static("enter: use it · esc: cancel", classes="dialog-hint")

    @on(Input.Submitted, "#replacement")
    def _submit(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.dismiss(EditRequest(event.value, self.query_one("#remember", Checkbox).value))

    def action_cancel(self) -> None:
        self.dismiss(None)


class FilterScreen(ModalScreen[ReviewFilter | None]):
    """Choose which safety classes and which confidence the queue shows."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", id="filter-cancel")]

    def __init__(self, current: ReviewFilter) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Show findings", classes="dialog-title")
            for safety in Safety:
                yield Checkbox(safety.value, safety in self.current.safeties, id=f"safety-{safety.value}")
            yield Label("with confidence at least (0–1)")
            yield Input(f"{self.current.min_confidence:g}", id="min-confidence", restrict=r"[0-9.]*")
            yield Static("enter: apply · esc: cancel", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#min-confidence", Input).focus()

    @on(Input.Submitted, "#min-confidence")
    def _submit(self, event: Input.Submitted) -> None:
        try:
            threshold = float(event.value or 0)
        except ValueError:
            threshold = -1.0
        if not 0.0 <= threshold <= 1.0:
            self.notify("confidence must be a number from 0 to 1", severity="warning")
            return
        safeties = frozenset(s for s in Safety if self.query_one(f"#safety-{s.value}", Checkbox).value)
        self.dismiss(ReviewFilter(threshold, safeties))

    def action_cancel(self) -> None:
        self.dismiss(None)


class HelpScreen(ModalScreen[None]):
    """help.md, followed by the keys as currently bound."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q,question_mark", "close", "Close", id="help-close")]

    def __init__(self, keys_table: str) -> None:
        super().__init__()
        self.keys_table = keys_table

    def compose(self) -> ComposeResult:
        text = resources.files("repair.tui").joinpath("help.md").read_text(encoding="utf-8")
        with VerticalScroll(classes="dialog help"):
            yield Markdown(text.rstrip() + "\n\n" + self.keys_table)

    def action_close(self) -> None:
        self.dismiss(None)


# ---------------------------------------------------------------------------- the review


REVIEW_BINDINGS = [
    Binding("n,j,down", "next", "Next", id="next"),
    Binding("p,k,up", "previous", "Prev", id="previous"),
    Binding("a,enter", "accept", "Accept", id="accept"),
    *(Binding(str(n), f"choose({n})", f"Accept suggestion {n}", show=False, id=f"accept-{n}") for n in range(1, 10)),
    Binding("r,x", "reject", "Reject", id="reject"),
    Binding("R", "reject_always", "Reject always", show=False, id="reject-always"),
    Binding("e", "edit", "Edit", id="edit"),
    Binding("A", "accept_all", "Accept all", show=False, id="accept-all"),
    Binding("u", "undo", "Undo", id="undo"),
    Binding("f", "filter", "Filter", show=False, id="filter"),
    Binding("c", "colour", "Colour by", show=False, id="colour"),
    Binding("s", "save", "Save", id="save"),
    Binding("q", "quit", "Quit", id="quit"),
    Binding("tab", "next_file", "Next file", show=False, id="next-file"),
    Binding("shift+tab", "previous_file", "Previous file", show=False, id="previous-file"),
    Binding("pagedown", "page(1)", "Page down", show=False, id="page-down"),
    Binding("pageup", "page(-1)", "Page up", show=False, id="page-up"),
    Binding("question_mark", "help", "Help", key_display="?", id="help"),
]

_KEY_NAMES = {"question_mark": "?", "down": "↓", "up": "↑", "shift+tab": "shift+tab"}


def keys_table(bindings: Iterable[Binding], keymap: Mapping[str, str]) -> str:
    """A Markdown table of the review keys, with the user's remaps applied."""
    rows = ["## Keys", "", "| Keys | Does | Binding id |", "| --- | --- | --- |"]
    choices: list[str] = []
    for binding in bindings:
        keys = keymap.get(binding.id or "", binding.key)
        shown = " ".join(f"`{_KEY_NAMES.get(k.strip(), k.strip())}`" for k in keys.split(","))
        if (binding.id or "").startswith("accept-") and binding.id[-1].isdigit():
            choices.append(shown)  # the nine numbered choices share one row
            if binding.id == "accept-9":
                rows.append(f"| {' '.join(choices)} | Accept suggestion 1–9 | `accept-1` … `accept-9` |")
            continue
        rows.append(f"| {shown} | {binding.description} | `{binding.id}` |")
    return "\n".join(rows) + "\n"


class ReviewScreen(Screen[None]):
    """The document, the current finding and the progress; every review key lives here."""

    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]] | None] = [(0, "-narrow"), (110, "-wide")]
    BINDINGS: ClassVar[list[BindingType]] = list(REVIEW_BINDINGS)

    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace
        self.file_index = 0
        self.errors: dict[int, str] = {}

    def compose(self) -> ComposeResult:
        with Horizontal(id="body"):
            yield DocumentView(id="document")
            yield FindingPanel(id="finding")
        yield ProgressLine(id="progress")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.show_file()

    # ------------------------------------------------------------ state

    @property
    def session(self) -> ReviewSession | None:
        return self.workspace.sessions[self.file_index]

    @property
    def document_view(self) -> DocumentView:
        return self.query_one(DocumentView)

    def session_ready(self, index: int, error: str | None = None) -> None:
        """Called once document `index` has been scanned (or failed to be)."""
        if error is not None:
            self.errors[index] = error
            self.notify(error, severity="error", timeout=10)
        session = self.workspace.sessions[index]
        if session is not None and session.resumed:
            file = self.workspace.files[index]
            count = len(session.decisions)
            self.notify(f"{file.name}: resumed with {count} saved decision(s) from {file.decisions_path.name}")
        if index == self.file_index:
            self.show_file()

    def show_file(self) -> None:
        file = self.workspace.files[self.file_index]
        self.document_view.show(file.document.text, self.session)
        self.show_finding()

    def show_finding(self, full: bool = False) -> None:
        """Show the current finding; `full` repaints the whole document (many findings changed)."""
        session = self.session
        panel = self.query_one(FindingPanel)
        if session is None:
            error = self.errors.get(self.file_index)
            panel.show_message(error or "Scanning for spun phrasing…")
        else:
            self.document_view.set_current(session.current_index, full=full)
            panel.show_finding(session)
        self.show_progress()

    def show_progress(self) -> None:
        session = self.session
        files = self.workspace.files
        parts = [files[self.file_index].name]
        if len(files) > 1:
            parts[0] += f" ({self.file_index + 1}/{len(files)})"
        if session is None:
            parts.append("scanning…")
        elif not session.findings:
            parts.append("no findings")
        else:
            parts.append(str(session.progress))
            if session.filter != ReviewFilter():
                parts.append(f"showing {len(session.queue)}: {session.filter.describe()}")
            if session.dirty:
                parts.append("unsaved")
        self.query_one(ProgressLine).show(" · ".join(parts))

    def _with_session(self, act: Callable[[ReviewSession], object], *, full: bool = False) -> bool:
        """Run an action on the current session, reporting refusals instead of failing."""
        session = self.session
        if session is None:
            self.notify(self.errors.get(self.file_index, "Still scanning this document…"), severity="warning")
            return False
        try:
            act(session)
        except (ReviewError, InputError, StaleEditError) as exc:
            self.notify(str(exc), severity="warning")
            self.show_finding(full=True)
            return False
        self.show_finding(full=full)
        return True

    # ------------------------------------------------------------ moving

    def action_next(self) -> None:
        self._with_session(lambda s: s.next())

    def action_previous(self) -> None:
        self._with_session(lambda s: s.previous())

    def action_page(self, direction: int) -> None:
        view = self.document_view
        view.scroll_to(y=view.scroll_y + direction * max(1, view.scrollable_content_region.height - 1), animate=False)

    @on(DocumentView.FindingClicked)
    def _clicked(self, event: DocumentView.FindingClicked) -> None:
        self._with_session(lambda s: s.goto(event.index))

    def action_next_file(self) -> None:
        self._switch_file(1)

    def action_previous_file(self) -> None:
        self._switch_file(-1)

    def _switch_file(self, step: int) -> None:
        count = len(self.workspace.files)
        if count == 1:
            self.notify("Only one file is open.")
            return
        self.file_index = (self.file_index + step) % count
        self.show_file()

    # ------------------------------------------------------------ deciding

    def action_accept(self) -> None:
        self._with_session(lambda s: s.accept(0))

    def action_choose(self, number: int) -> None:
        self._with_session(lambda s: s.accept(number - 1))

    def action_reject(self) -> None:
        self._with_session(lambda s: s.reject())

    def action_reject_always(self) -> None:
        session = self.session
        if session is not None and session.current is not None:
            rule = session.current.rule
            if self._with_session(lambda s: s.reject(always=True), full=True):
                self.notify(f"{rule} added to your ignore list ({self.workspace.userdata.ignore_path})")

    def action_edit(self) -> None:
        session = self.session
        if session is None or session.current is None:
            self._with_session(lambda s: s.require_current())  # reports why there is nothing to edit
            return
        finding = session.current

        def done(request: EditRequest | None) -> None:
            if request is not None:
                self._with_session(lambda s: s.edit(request.replacement, remember=request.remember))

        self.app.push_screen(EditScreen(finding.spun, finding.replacement), done)

    def action_accept_all(self) -> None:
        session = self.session
        if session is None:
            self._with_session(lambda s: None)
            return
        candidates = session.accept_all_candidates()
        if not candidates:
            self.notify("Nothing left to accept at this threshold.")
            return
        by_safety = {s: 0 for s in Safety}
        for i in candidates:
            by_safety[session.findings[i].safety] += 1
        mix = ", ".join(f"{n} {s.value}" for s, n in by_safety.items() if n)
        message = (
            f"Accept the first suggestion of {len(candidates)} remaining finding(s) "
            f"at confidence ≥ {session.filter.min_confidence:.2f} ({mix})?\n"
            "Flag-only findings are left alone. u undoes this in one step."
        )

        def done(yes: bool | None) -> None:
            if yes:
                self._with_session(lambda s: s.accept_all(), full=True)

        self.app.push_screen(ConfirmScreen("Accept all remaining", message, yes="Accept all"), done)

    def action_undo(self) -> None:
        def undo(session: ReviewSession) -> None:
            label = session.undo()
            self.notify(f"Undid: {label}" if label else "Nothing to undo.")

        self._with_session(undo, full=True)

    def action_filter(self) -> None:
        session = self.session
        if session is None:
            self._with_session(lambda s: None)
            return

        def done(new: ReviewFilter | None) -> None:
            if new is not None:
                self._with_session(lambda s: s.set_filter(new), full=True)

        self.app.push_screen(FilterScreen(session.filter), done)

    def action_colour(self) -> None:
        view = self.document_view
        view.colour_by = "confidence" if view.colour_by == "safety" else "safety"
        view.refresh()
        self.notify(f"Findings coloured by {view.colour_by}.")

    # ------------------------------------------------------------ saving and leaving

    def save_all(self) -> list[str]:
        """Save the current document and every other one with unsaved decisions."""
        saved = []
        for index, session in enumerate(self.workspace.sessions):
            if session is not None and (index == self.file_index or session.dirty):
                result = session.save()
                saved.append(f"{result.changes} fix(es) to {result.path}")
        return saved

    def action_save(self) -> None:
        if self.session is None:
            self._with_session(lambda s: None)
            return
        try:
            saved = self.save_all()
        except (ReviewError, InputError, StaleEditError) as exc:
            self.notify(str(exc), severity="error")
            return
        self.notify("Saved " + "; ".join(saved))
        self.show_progress()

    def action_quit(self) -> None:
        unsaved = [s for s in self.workspace.sessions if s is not None and s.dirty]
        if not unsaved:
            self.app.exit()
            return
        names = ", ".join(s.name for s in unsaved)
        message = (
            f"{names}: decisions not yet written to a clean copy.\n"
            "They are kept in the decisions file either way, and reopening resumes."
        )

        def done(choice: QuitChoice | None) -> None:
            if choice is QuitChoice.SAVE:
                try:
                    self.save_all()
                except (ReviewError, InputError, StaleEditError) as exc:
                    self.notify(str(exc), severity="error")
                    return
                self.app.exit()
            elif choice is QuitChoice.QUIT:
                self.app.exit()

        self.app.push_screen(QuitScreen(message), done)

    def action_help(self) -> None:
        keymap = getattr(self.app, "keymap", {})
        self.app.push_screen(HelpScreen(keys_table(REVIEW_BINDINGS, keymap)))
