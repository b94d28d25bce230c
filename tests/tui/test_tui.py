"""The review app driven headless with Pilot, plus SVG snapshots of its key screens."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Checkbox, Input, Markdown

from repair.core.model import Safety
from repair.edge import decisions as dec
from repair.edge.decisions import Action
from repair.edge.documents import InputError
from repair.review import ReviewOptions, ReviewSession
from repair.tui.app import ReviewApp, create_app
from repair.tui.screens import ConfirmScreen, EditScreen, FilterScreen, HelpScreen, QuitScreen, ReviewScreen
from repair.tui.widgets import DocumentView, FindingPanel, ProgressLine, clip_parts, wrap_rows

from ..review_fixture import SPUN, TEXT, WORDLIST


def sync(test: Callable[..., Awaitable[None]]) -> Callable[..., None]:
    """Run an async Pilot test in its own event loop (no async pytest plugin needed)."""

    @functools.wraps(test)
    def run(*args: Any, **kwargs: Any) -> None:
        asyncio.run(test(*args, **kwargs))  # type: ignore[arg-type]

    return run


@pytest.fixture(autouse=True)
def environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPAIR_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("NO_COLOR", raising=False)


@pytest.fixture
def wordlist(tmp_path: Path) -> Path:
    path = tmp_path / "test-list.txt"
    path.write_text(WORDLIST, encoding="utf-8")
    return path


def write_doc(folder: Path, name: str = "article.txt", text: str = TEXT) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def make_app(wordlist: Path, *docs: Path, keymap: dict[str, str] | None = None, **kwargs: object) -> ReviewApp:
    options = ReviewOptions(paths=tuple(str(d) for d in docs), wordlists=(str(wordlist),), **kwargs)  # type: ignore[arg-type]
    return create_app(options, keymap=keymap)


async def ready(pilot: Pilot) -> ReviewSession:
    """Wait for the scan; returns the current file's session."""
    app = pilot.app
    assert isinstance(app, ReviewApp)
    await app.scanned.wait()
    await pilot.pause()
    session = app.workspace.sessions[app.review.file_index]
    assert session is not None
    return session


def progress_text(app: ReviewApp) -> str:
    return str(app.review.query_one(ProgressLine).render())


def current_spun(session: ReviewSession) -> str:
    assert session.current is not None
    return session.current.spun


# ---------------------------------------------------------------- moving


@sync
async def test_next_and_previous_keys(tmp_path: Path, wordlist: Path) -> None:
    app = make_app(wordlist, write_doc(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        s = await ready(pilot)
        assert [f.spun for f in s.findings] == SPUN
        for key, expected in (("n", 1), ("j", 2), ("down", 3), ("p", 2), ("k", 1), ("up", 0), ("up", 0)):
            await pilot.press(key)
            assert s.position == expected, key
        assert app.review.query_one(DocumentView).current == 0


@sync
async def test_the_panel_shows_the_current_finding(tmp_path: Path, wordlist: Path) -> None:
    app = make_app(wordlist, write_doc(tmp_path))
    async with app.run_test(size=(120, 30)) as pilot:
        s = await ready(pilot)
        await pilot.press("n", "n", "n", "n")  # in opposition to: two numbered suggestions
        assert current_spun(s) == "in opposition to"
        lines = app.review.query_one(FindingPanel).text.splitlines()
        assert lines[0].startswith("5/9 in opposition to  line 2:")
        assert lines[1:4] == ["", "1 against", "2 towards"]  # tall panel: a blank line under the heading
        assert lines[4].startswith("confidence 0.") and "· choose · undecided" in lines[4]
        assert s.current is not None and s.current.reason and s.current.reason.startswith(lines[5][:20])
        assert lines[-1] == "The squaddies stood against the plan, and the captain helps to keep his word."
        await pilot.press("2")
        await pilot.press("p")
        assert "accepted → towards" in app.review.query_one(FindingPanel).text


def test_clip_parts_keeps_the_fix_in_view() -> None:
    parts = [("a" * 100, "text"), ("FIX", "fix"), ("b" * 100, "text")]
    clipped = clip_parts(parts, 40)
    text = "".join(t for t, _ in clipped)
    assert ("FIX", "fix") in clipped and text.startswith("…a") and text.endswith("b…")
    assert len(text) == 42
    assert clip_parts(parts, 500) == parts
    assert "".join(t for t, _ in clip_parts([("FIX", "fix"), ("b" * 100, "text")], 10)) == "FIXbbbbbbb…"


# ---------------------------------------------------------------- deciding


@sync
async def test_accept_keys_and_numbered_choices(tmp_path: Path, wordlist: Path) -> None:
    doc = write_doc(tmp_path)
    app = make_app(wordlist, doc)
    async with app.run_test(size=(80, 24)) as pilot:
        s = await ready(pilot)
        await pilot.press("a")  # spherical -> round
        await pilot.press("enter")  # Would possibly -> May
        await pilot.press("n", "n")  # skip Expectancies and squaddies
        assert current_spun(s) == "in opposition to"
        await pilot.press("3")  # there is no third suggestion: refused, nothing decided
        assert s.decision(4) is None
        await pilot.press("2")
        assert s.decision(4) is not None and s.decision(4).replacement == "towards"  # type: ignore[union-attr]
        assert {i: d.replacement for i, d in s.decisions.items()} == {0: "round", 1: "May", 4: "towards"}
        assert "3 of 9 reviewed · 3 accepted · 0 rejected" in progress_text(app)
        # written to the decisions file as they were made
        saved = dec.load(dec.path_for(doc)).decisions
        assert sorted(d.replacement for d in saved.values()) == ["May", "round", "towards"]


@sync
async def test_reject_keys(tmp_path: Path, wordlist: Path) -> None:
    app = make_app(wordlist, write_doc(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        s = await ready(pilot)
        await pilot.press("r", "x")
        assert [s.decision(i).action for i in (0, 1)] == [Action.REJECT, Action.REJECT]  # type: ignore[union-attr]
        assert "2 of 9 reviewed · 0 accepted · 2 rejected" in progress_text(app)


@sync
async def test_reject_always_writes_the_ignore_list(tmp_path: Path, wordlist: Path) -> None:
    app = make_app(wordlist, write_doc(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        s = await ready(pilot)
        await pilot.press("n", "n", "n")
        assert current_spun(s) == "squaddies"
        await pilot.press("R")
        assert app.workspace.userdata.load_ignore() == {"test-list:squaddie"}
        assert s.decision(3) is not None and s.decision(6) is not None  # both squaddies rejected


@sync
async def test_edit_types_a_replacement_and_can_remember_it(tmp_path: Path, wordlist: Path) -> None:
    app = make_app(wordlist, write_doc(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        s = await ready(pilot)
        await pilot.press("e")
        assert isinstance(app.screen, EditScreen)
        assert app.screen.query_one(Input).value == "round"
        await pilot.press("escape")  # cancel: nothing decided
        assert isinstance(app.screen, ReviewScreen) and s.decision(0) is None
        await pilot.press("e", *"fourth", "enter")
        assert s.decision(0) is not None and s.decision(0).action is Action.EDIT  # type: ignore[union-attr]
        assert s.decision(0).replacement == "fourth"  # type: ignore[union-attr]
        assert not app.workspace.userdata.wordlist_path.exists()
        # the next one, remembered as a user wordlist entry
        await pilot.press("e", *"In June")
        await pilot.press("tab", "space")  # tick "save as my wordlist entry"
        assert app.screen.query_one(Checkbox).value
        await pilot.press("shift+tab", "enter")
        assert s.decision(1) is not None and s.decision(1).replacement == "In June"  # type: ignore[union-attr]
        lines = app.workspace.userdata.wordlist_path.read_text(encoding="utf-8").splitlines()
        assert lines[1:] == ["would possibly -> In June"]  # not just the case carried over: kept as typed


@sync
async def test_accept_all_asks_first(tmp_path: Path, wordlist: Path) -> None:
    app = make_app(wordlist, write_doc(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        s = await ready(pilot)
        await pilot.press("r")
        await pilot.press("A")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        assert isinstance(app.screen, ReviewScreen) and s.progress.reviewed == 1
        await pilot.press("A", "y")
        assert isinstance(app.screen, ReviewScreen)
        # everything but the rejected one and the flag-only one
        assert s.progress.accepted == 7 and s.decision(7) is None
        assert s.decision(0) is not None and s.decision(0).action is Action.REJECT  # type: ignore[union-attr]
        await pilot.press("u")  # one undo for the whole batch
        assert s.progress.reviewed == 1


@sync
async def test_accept_all_uses_the_threshold_of_the_filter(tmp_path: Path, wordlist: Path) -> None:
    app = make_app(wordlist, write_doc(tmp_path), threshold=0.95)
    async with app.run_test(size=(80, 24)) as pilot:
        s = await ready(pilot)
        expected = {i for i, f in enumerate(s.findings) if f.confidence >= 0.95 and f.safety is not Safety.FLAG}
        assert expected and len(expected) < len(s.findings)
        await pilot.press("A", "y")
        assert set(s.decisions) == expected


@sync
async def test_undo_key(tmp_path: Path, wordlist: Path) -> None:
    doc = write_doc(tmp_path)
    app = make_app(wordlist, doc)
    async with app.run_test(size=(80, 24)) as pilot:
        s = await ready(pilot)
        await pilot.press("a", "r")
        await pilot.press("u")
        assert set(s.decisions) == {0} and s.current_index == 1
        await pilot.press("u", "u")  # the second undo has nothing left to undo
        assert s.decisions == {} and dec.load(dec.path_for(doc)).decisions == {}


@sync
async def test_filter_by_safety_and_confidence(tmp_path: Path, wordlist: Path) -> None:
    app = make_app(wordlist, write_doc(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        s = await ready(pilot)
        await pilot.press("f")
        assert isinstance(app.screen, FilterScreen)
        app.screen.query_one("#safety-auto", Checkbox).value = False
        app.screen.query_one("#safety-flag", Checkbox).value = False
        await pilot.press("enter")
        assert isinstance(app.screen, ReviewScreen)
        assert [s.findings[i].spun for i in s.queue] == ["spherical", "in opposition to"]
        assert "showing 2: confidence" not in progress_text(app) and "showing 2: choose" in progress_text(app)
        assert all(f.confidence < 1.0 for f in s.findings)  # a probability never reaches 1
        await pilot.press("f", "backspace", *"1", "enter")
        assert s.queue == [] and "No finding matches the filter" in app.review.query_one(FindingPanel).text
        await pilot.press("f", "escape")  # cancel keeps the filter
        assert s.filter.min_confidence == 1.0


@sync
async def test_colour_toggle(tmp_path: Path, wordlist: Path) -> None:
    app = make_app(wordlist, write_doc(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        view = app.review.query_one(DocumentView)
        assert view.colour_by == "safety"
        await pilot.press("c")
        assert view.colour_by == "confidence"


# ---------------------------------------------------------------- saving and leaving


@sync
async def test_save_writes_the_clean_copy_beside_the_input(tmp_path: Path, wordlist: Path) -> None:
    doc = write_doc(tmp_path)
    app = make_app(wordlist, doc)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("a", "a", "a", "a", "1", "s")
        out = tmp_path / "article.repaired.txt"
        assert out.read_text(encoding="utf-8") == (
            "Russia and Ukraine met for a third round of talks in May. Expectations were low.\n"
            "The soldiers stood against the plan, and the captain helps to keep his word.\n"
            "Later the squaddies went home with our bodies tired; talks in Would possibly went on.\n"
        )
        assert doc.read_text(encoding="utf-8") == TEXT
        assert "unsaved" not in progress_text(app)
        await pilot.press("q")  # nothing unsaved: no question
    assert app.return_code == 0
    summary = app.workspace.summary()
    assert "article.txt: 5 of 9 reviewed · 5 accepted · 0 rejected; saved to" in summary
    assert "  2:5  squaddies -> soldiers" in summary


@sync
async def test_save_to_output_and_in_place(tmp_path: Path, wordlist: Path) -> None:
    doc = write_doc(tmp_path)
    out = tmp_path / "clean.txt"
    app = make_app(wordlist, doc, output=str(out))
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("a", "s")
    assert out.read_text(encoding="utf-8").startswith("Russia and Ukraine met for a third round of talks")
    assert not (tmp_path / "article.repaired.txt").exists()
    app.workspace.close()  # as `repair review` does when its app ends: the next review may open the document
    app = make_app(wordlist, doc, in_place=True)
    async with app.run_test(size=(80, 24)) as pilot:
        s = await ready(pilot)
        assert s.decision(0) is not None  # resumed from the decisions file
        await pilot.press("s")
    assert doc.read_text(encoding="utf-8").startswith("Russia and Ukraine met for a third round of talks")


@sync
async def test_quit_asks_when_decisions_are_unsaved(tmp_path: Path, wordlist: Path) -> None:
    doc = write_doc(tmp_path)
    app = make_app(wordlist, doc)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("a", "q")
        assert isinstance(app.screen, QuitScreen)
        await pilot.press("escape")  # cancel
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("ctrl+q")  # goes through the same question
        assert isinstance(app.screen, QuitScreen)
        await pilot.press("q")  # quit without saving: the decision is kept in the decisions file
    assert not (tmp_path / "article.repaired.txt").exists()
    assert len(dec.load(dec.path_for(doc)).decisions) == 1
    assert "clean copy not saved" in app.workspace.summary()
    app.workspace.close()  # as `repair review` does when its app ends: the next review may open the document

    app = make_app(wordlist, doc)
    async with app.run_test(size=(80, 24)) as pilot:
        s = await ready(pilot)
        assert s.decision(0) is not None and s.current_index == 1  # resumed
        await pilot.press("q", "s")  # save and quit
    assert (
        (tmp_path / "article.repaired.txt")
        .read_text(encoding="utf-8")
        .startswith("Russia and Ukraine met for a third round")
    )


@sync
async def test_tab_switches_between_files(tmp_path: Path, wordlist: Path) -> None:
    first = write_doc(tmp_path / "a")
    second = write_doc(tmp_path / "b", "other.txt", "The squaddies left.\n")
    app = make_app(wordlist, first, second)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        assert "article.txt (1/2)" in progress_text(app)
        await pilot.press("tab")
        s = app.workspace.sessions[1]
        assert s is not None and app.review.file_index == 1 and "other.txt (2/2)" in progress_text(app)
        await pilot.press("a", "s")
        assert (tmp_path / "b" / "other.repaired.txt").read_text(encoding="utf-8") == "The soldiers left.\n"
        await pilot.press("shift+tab")
        assert app.review.file_index == 0
        await pilot.press("tab", "tab")
        assert app.review.file_index == 0


@sync
async def test_help_screen_lists_the_keys(tmp_path: Path, wordlist: Path) -> None:
    app = make_app(wordlist, write_doc(tmp_path), keymap={"undo": "z"})
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        source = app.screen.query_one(Markdown).source
        assert "Reviewing a spun document" in source
        assert "| `z` | Undo | `undo` |" in source  # the remapped key, not the default
        assert "| `n` `j` `↓` | Next | `next` |" in source
        await pilot.press("escape")
        assert isinstance(app.screen, ReviewScreen)


@sync
async def test_keys_can_be_remapped_by_binding_id(tmp_path: Path, wordlist: Path) -> None:
    app = make_app(wordlist, write_doc(tmp_path), keymap={"next": "space", "accept": "y"})
    async with app.run_test(size=(80, 24)) as pilot:
        s = await ready(pilot)
        await pilot.press("n")
        assert s.position == 0
        await pilot.press("space")
        assert s.position == 1
        await pilot.press("y")
        assert s.decision(1) is not None


def test_a_keymap_with_an_unknown_binding_id_is_refused(tmp_path: Path, wordlist: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "keys.toml").write_text('nxt = "space"\n')
    with pytest.raises(InputError, match="unknown binding id 'nxt'"):
        make_app(wordlist, write_doc(tmp_path))


@sync
async def test_keys_toml_in_the_user_folder_is_used(tmp_path: Path, wordlist: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "keys.toml").write_text('next = "space"\n')
    app = create_app(ReviewOptions(paths=(str(write_doc(tmp_path)),), wordlists=(str(wordlist),)))
    async with app.run_test(size=(80, 24)) as pilot:
        s = await ready(pilot)
        await pilot.press("space")
        assert s.position == 1


@sync
async def test_page_keys_and_clicking_a_finding(tmp_path: Path, wordlist: Path) -> None:
    text = "".join(f"Line {i} of filler text.\n" for i in range(60)) + TEXT
    app = make_app(wordlist, write_doc(tmp_path, text=text))
    async with app.run_test(size=(80, 24)) as pilot:
        s = await ready(pilot)
        view = app.review.query_one(DocumentView)
        top = view.scroll_y
        assert top > 0  # scrolled to show the first finding, which is below the fold
        await pilot.press("pageup")
        assert view.scroll_y < top
        await pilot.press("pagedown")
        assert view.scroll_y > 0
        # click on the 4th finding
        target = s.findings[3]
        view.scroll_to(y=view.row_of(target.start), animate=False, immediate=True)
        await pilot.pause()
        row = view.row_of(target.start)
        column = target.start - view._starts[row]
        await pilot.click(DocumentView, offset=(column + 1 + 1, row - int(view.scroll_y)))  # +1 for the padding
        assert s.current_index == 3


# ---------------------------------------------------------------- sizes, scale, colour


@sync
async def test_no_findings_says_so(tmp_path: Path, wordlist: Path) -> None:
    app = make_app(wordlist, write_doc(tmp_path, text="Nothing spun here at all.\n"))
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        assert "No spun phrasing was found" in app.review.query_one(FindingPanel).text
        assert "no findings" in progress_text(app)
        await pilot.press("a", "n", "A", "e", "u")  # all harmless
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("q")
    assert app.return_code == 0


@sync
async def test_layout_in_a_small_and_a_wide_terminal(tmp_path: Path, wordlist: Path) -> None:
    app = make_app(wordlist, write_doc(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        panel, view = app.review.query_one(FindingPanel), app.review.query_one(DocumentView)
        assert app.review.has_class("-narrow")
        assert panel.region.y > view.region.y and panel.region.width == 80  # below the document
        assert view.region.height >= 10
        await pilot.resize_terminal(160, 40)
        await pilot.pause()
        assert app.review.has_class("-wide")
        assert panel.region.x > view.region.x and panel.region.y == view.region.y  # beside it
        assert view.row_count == 3  # each paragraph fits on one row


@sync
async def test_thousands_of_findings(tmp_path: Path, wordlist: Path) -> None:
    app = make_app(wordlist, write_doc(tmp_path, text=TEXT * 400))
    async with app.run_test(size=(80, 24)) as pilot:
        s = await ready(pilot)
        assert len(s.findings) == 3600
        await pilot.press("A", "y")
        assert s.progress.accepted == 3200  # every one with a suggestion
        await pilot.press("s")
    out = (tmp_path / "article.repaired.txt").read_text(encoding="utf-8")
    assert "squaddies" not in out and out.count("soldiers") == 800 and out.count("our bodies") == 400


@pytest.mark.slow
@sync
async def test_a_2_mb_document(tmp_path: Path, wordlist: Path) -> None:
    text = TEXT * (2_000_000 // len(TEXT))
    app = make_app(wordlist, write_doc(tmp_path, text=text))
    async with app.run_test(size=(80, 24)) as pilot:
        s = await ready(pilot)
        assert len(s.findings) > 60_000
        await pilot.press("n", "a", "n", "r", "s")
        assert s.progress.reviewed == 2
    out = (tmp_path / "article.repaired.txt").read_text(encoding="utf-8")
    assert len(out) == len(text) - len("Would possibly") + len("May")


@sync
async def test_no_color_keeps_findings_distinguishable_by_text_style(
    tmp_path: Path, wordlist: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(wordlist, write_doc(tmp_path))
    async with app.run_test(size=(120, 24)) as pilot:
        await ready(pilot)
        assert app.no_color
        await pilot.press("a")  # spherical accepted; Would possibly is current
        view = app.review.query_one(DocumentView)
        s = app.workspace.sessions[0]
        assert s is not None
        styles = {}
        for f in s.findings[:3]:
            y = view.row_of(f.start) - int(view.scroll_y)
            styles.update({seg.text: seg.style for seg in view.render_line(y) if seg.style is not None})
        assert styles["spherical"].strike  # accepted
        assert styles["Would possibly"].reverse and styles["Would possibly"].bold  # current
        assert styles["Expectancies"].underline  # an undecided finding


def rows(text: str, width: int) -> list[str]:
    starts, ends = wrap_rows(text, width)
    return [text[s:e] for s, e in zip(starts, ends, strict=True)]


def test_wrap_rows_breaks_at_spaces_and_measures_wide_characters() -> None:
    assert rows("aaa bbb ccc\n\nxxxxxxxxxx", 7) == ["aaa bbb", "ccc", "", "xxxxxxx", "xxx"]
    assert rows("aaa bbb ccc\n", 7) == ["aaa bbb", "ccc"]
    assert rows("日本語の文章です 日本語", 8) == ["日本語の", "文章です", "日本語"]
    assert rows("日本 語の文章です", 8) == ["日本", "語の文章", "です"]
    assert rows("It’s a café’s “menu” – fine", 12) == ["It’s a", "café’s", "“menu” –", "fine"]


# ---------------------------------------------------------------- snapshots


def snapshot_app(tmp_path: Path) -> ReviewApp:
    folder = tmp_path / "snap"
    wordlist = folder / "test-list.txt"
    write_doc(folder)
    wordlist.write_text(WORDLIST, encoding="utf-8")
    return create_app(ReviewOptions(paths=(str(folder / "article.txt"),), wordlists=(str(wordlist),)))


async def _decide_a_few(pilot: Pilot) -> None:
    await ready(pilot)
    await pilot.press("a", "r", "n", "n")


def test_snapshot_main_screen_80x24(tmp_path: Path, snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(snapshot_app(tmp_path), terminal_size=(80, 24), run_before=_decide_a_few)


def test_snapshot_main_screen_wide(tmp_path: Path, snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(snapshot_app(tmp_path), terminal_size=(140, 30), run_before=_decide_a_few)


def test_snapshot_help_screen(tmp_path: Path, snap_compare) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot) -> None:
        await ready(pilot)
        await pilot.press("question_mark")

    assert snap_compare(snapshot_app(tmp_path), terminal_size=(100, 36), run_before=run_before)


def test_snapshot_accept_all_confirmation(tmp_path: Path, snap_compare) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot) -> None:
        await ready(pilot)
        await pilot.press("A")

    assert snap_compare(snapshot_app(tmp_path), terminal_size=(80, 24), run_before=run_before)
