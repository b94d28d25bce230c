"""The review session without a UI, the workspace of a `repair review` run, and the user data folder."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from repair.core.engine import Engine
from repair.core.model import Safety
from repair.core.wordlists import load_path, parse
from repair.edge import decisions as dec
from repair.edge.decisions import Action, DecisionStore
from repair.edge.documents import InputError, read_document
from repair.edge.setup import engine_for
from repair.edge.userdata import UserData, data_home
from repair.review import (
    Progress,
    ReviewError,
    ReviewFilter,
    ReviewOptions,
    ReviewSession,
    Workspace,
    default_output,
    engine_settings,
)

from ..review_fixture import SPUN, TEXT, WORDLIST


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine([parse(WORDLIST, name="t")], near=False)


@pytest.fixture
def doc(tmp_path: Path) -> Path:
    path = tmp_path / "article.txt"
    path.write_text(TEXT, encoding="utf-8")
    return path


@pytest.fixture
def userdata(tmp_path: Path) -> UserData:
    return UserData(tmp_path / "home")


def open_session(doc: Path, engine: Engine, userdata: UserData | None = None, **kwargs: object) -> ReviewSession:
    document = read_document(str(doc))
    store = DecisionStore(dec.path_for(doc), doc.name, dec.content_hash(document.text))
    return ReviewSession(
        document,
        engine.scan(document.text),
        store=store,
        output=default_output(doc),
        userdata=userdata,
        **kwargs,  # type: ignore[arg-type]
    )


def test_the_engine_finds_what_the_tests_expect(doc: Path, engine: Engine) -> None:
    session = open_session(doc, engine)
    assert [f.spun for f in session.findings] == SPUN
    assert session.findings[7].safety is Safety.FLAG and not session.findings[7].suggestions


def test_accept_reject_edit_and_progress(doc: Path, engine: Engine) -> None:
    s = open_session(doc, engine)
    assert str(s.progress) == "0 of 9 reviewed · 0 accepted · 0 rejected"
    assert s.current is not None and s.current.spun == "spherical"
    s.accept()
    assert s.current.spun == "Would possibly"  # moves on to the next undecided finding
    s.reject()
    s.edit("Hopes")
    assert s.progress == Progress(total=9, reviewed=3, accepted=1, edited=1, rejected=1)
    assert str(s.progress) == "3 of 9 reviewed · 1 accepted · 1 edited · 1 rejected"
    text = s.result_text()
    assert text.startswith("Russia and Ukraine met for a third round of talks in Would possibly. Hopes were low.")


def test_numbered_choice_and_out_of_range(doc: Path, engine: Engine) -> None:
    s = open_session(doc, engine)
    assert s.goto(4)
    s.accept(1)
    assert "stood towards the plan" in s.result_text()
    assert s.goto(4)
    with pytest.raises(ReviewError, match="no suggestion 3"):
        s.accept(2)


def test_a_flag_finding_cannot_be_accepted_but_can_be_edited(doc: Path, engine: Engine) -> None:
    s = open_session(doc, engine)
    s.goto(7)
    with pytest.raises(ReviewError, match="no suggestion"):
        s.accept()
    s.edit("bodies")
    assert "home with bodies tired" in s.result_text()
    s.goto(0)
    with pytest.raises(ReviewError):
        s.edit("   ")
    with pytest.raises(ReviewError, match="as it stands"):
        s.edit("spherical")


def test_moving_and_wrapping_to_undecided(doc: Path, engine: Engine) -> None:
    s = open_session(doc, engine)
    assert not s.previous()
    assert s.next() and s.position == 1
    s.goto(8)
    assert not s.next()
    s.accept()  # the last one: wraps round to the first undecided
    assert s.current_index == 0
    assert not s.goto(99)


def test_undo_restores_the_previous_decision_and_the_cursor(doc: Path, engine: Engine) -> None:
    s = open_session(doc, engine)
    s.accept()
    s.goto(0)
    s.reject()  # re-decide the first one
    assert s.decision(0) is not None and s.decision(0).action is Action.REJECT
    assert s.undo() == "reject 'spherical'"
    assert s.decision(0) is not None and s.decision(0).action is Action.ACCEPT
    assert s.current_index == 0
    assert s.undo() == "accept 'spherical'"
    assert s.decision(0) is None and s.progress.reviewed == 0
    assert s.undo() is None
    # the undos reached the file too
    assert dec.load(dec.path_for(doc)).decisions == {}


def test_accept_all_respects_the_threshold_skips_flags_and_undoes_in_one_step(doc: Path, engine: Engine) -> None:
    s = open_session(doc, engine)
    s.reject()  # "spherical" stays as it is
    threshold = sorted({f.confidence for f in s.findings})[-1]
    s.set_filter(ReviewFilter(min_confidence=threshold))
    expected = [
        i
        for i, f in enumerate(s.findings)
        if f.confidence >= threshold and f.suggestions and i not in s.decisions and f.safety is not Safety.FLAG
    ]
    assert s.accept_all_candidates() == expected and expected
    assert s.accept_all() == len(expected)
    assert all(s.decision(i) is not None and s.decision(i).action is Action.ACCEPT for i in expected)
    assert s.decision(7) is None  # flag-only
    assert s.undo() == f"accept {len(expected)} remaining"
    assert all(s.decision(i) is None for i in expected)
    assert s.decision(0) is not None  # the earlier rejection is untouched


def test_filter_by_safety_and_confidence(doc: Path, engine: Engine) -> None:
    s = open_session(doc, engine)
    s.goto(5)
    s.set_filter(ReviewFilter(safeties=frozenset({Safety.CHOOSE})))
    assert [s.findings[i].spun for i in s.queue] == ["spherical", "in opposition to"]
    assert s.current is not None and s.current.spun == "in opposition to"  # stays close to where it was
    s.set_filter(ReviewFilter(min_confidence=1.01))
    assert s.queue == [] and s.current is None
    with pytest.raises(ReviewError):
        s.accept()
    assert ReviewFilter(0.5, frozenset({Safety.AUTO})).describe() == "confidence ≥ 0.50, auto"


def test_preview_shows_the_sentence_with_the_fix_and_other_decided_fixes(doc: Path, engine: Engine) -> None:
    s = open_session(doc, engine)
    s.goto(1)
    s.accept()  # "Would possibly" -> "May"
    s.goto(0)
    preview = s.preview()
    assert preview.text == "Russia and Ukraine met for a third round of talks in May."
    assert ("round", "fix") in preview.parts and ("May", "fixed") in preview.parts


def test_save_writes_atomically_beside_and_never_over_the_input(doc: Path, engine: Engine, tmp_path: Path) -> None:
    s = open_session(doc, engine)
    s.goto(3)
    s.accept()
    assert s.dirty
    result = s.save()
    assert result.path == tmp_path / "article.repaired.txt" and result.changes == 1
    assert "The soldiers stood" in result.path.read_text(encoding="utf-8")
    assert doc.read_text(encoding="utf-8") == TEXT
    assert not s.dirty
    with pytest.raises(ReviewError, match="needs --in-place"):
        s.save(doc)
    assert doc.read_text(encoding="utf-8") == TEXT
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_in_place_save_keeps_bom_and_line_endings(tmp_path: Path, engine: Engine) -> None:
    path = tmp_path / "crlf.txt"
    path.write_bytes(b"\xef\xbb\xbf" + TEXT.replace("\n", "\r\n").encode("utf-8"))
    s = open_session(path, engine, in_place=True)
    s.goto(3)
    s.accept()
    s.save(path)
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"The soldiers stood" in data and data.count(b"\r\n") == 3


def test_decisions_are_on_disk_immediately_and_reopening_resumes(doc: Path, engine: Engine) -> None:
    s = open_session(doc, engine)
    s.accept()
    s.reject()
    s.edit("Hopes")
    s.next()
    # no save, no close: as if the process were killed now
    again = open_session(doc, engine)
    assert {i: d.action for i, d in again.decisions.items()} == {0: Action.ACCEPT, 1: Action.REJECT, 2: Action.EDIT}
    assert again.decision(2) is not None and again.decision(2).replacement == "Hopes"
    assert again.current_index == 3  # resumes after the last decision
    assert again.resumed and again.dirty  # not yet written to a clean copy
    assert again.result_text() == s.result_text()


def test_reopening_after_saving_is_not_dirty(doc: Path, engine: Engine) -> None:
    s = open_session(doc, engine)
    s.accept()
    s.save()
    assert not open_session(doc, engine).dirty


def test_reject_always_writes_the_ignore_list_rejects_the_rest_and_undo_removes_it(
    doc: Path, engine: Engine, userdata: UserData
) -> None:
    s = open_session(doc, engine, userdata)
    s.goto(3)  # squaddies (twice in the text)
    s.reject(always=True)
    assert userdata.load_ignore() == {"t:squaddie"}
    assert s.decision(3) is not None and s.decision(6) is not None
    assert s.decision(6).action is Action.REJECT
    later = Engine([parse(WORDLIST, name="t")], ignore=userdata.load_ignore(), near=False).scan(TEXT)
    assert later and "squaddies" not in [f.spun for f in later]
    s.undo()
    assert userdata.load_ignore() == frozenset()
    assert s.decision(3) is None and s.decision(6) is None


def test_a_remembered_edit_becomes_a_sorted_user_wordlist_entry(doc: Path, engine: Engine, userdata: UserData) -> None:
    s = open_session(doc, engine, userdata)
    s.goto(1)
    s.edit("May well", remember=True)
    text = userdata.wordlist_path.read_text(encoding="utf-8")
    assert text.splitlines()[1:] == ["would possibly -> may well"]  # stored lower-case: case is carried over
    user = load_path(userdata.wordlist_path, "user")
    assert [(e.spun, e.originals) for e in user.entries] == [("would possibly", ("may well",))]
    s.goto(2)
    s.edit("Hopes", remember=True)
    s.goto(8)
    s.edit("may", remember=True)  # a second original for the same phrase: one entry, newest first
    lines = userdata.wordlist_path.read_text(encoding="utf-8").splitlines()[1:]
    assert lines == ["expectancies -> hopes", "would possibly -> may, may well"]
    s.undo()
    assert userdata.wordlist_path.read_text(encoding="utf-8").splitlines()[1:] == [
        "expectancies -> hopes",
        "would possibly -> may well",
    ]


def test_no_findings(tmp_path: Path, engine: Engine) -> None:
    path = tmp_path / "clean.txt"
    path.write_text("Nothing spun here.\n")
    s = open_session(path, engine)
    assert s.findings == () and s.current is None and s.progress.total == 0
    with pytest.raises(ReviewError, match="no spun phrasing"):
        s.accept()
    assert s.save().changes == 0
    assert (tmp_path / "clean.repaired.txt").read_text() == "Nothing spun here.\n"


def test_summary_lists_what_changed(doc: Path, engine: Engine) -> None:
    s = open_session(doc, engine)
    s.accept()
    s.accept()
    s.save()
    lines = s.summary(limit=1)
    assert lines[0].endswith("2 of 9 reviewed · 2 accepted · 0 rejected; saved to " + str(default_output(doc)))
    assert lines[1] == "  1:36  spherical -> round"
    assert lines[2] == "  … and 1 more"


# ---------------------------------------------------------------- the workspace


def options(doc: Path, tmp_path: Path, **kwargs: object) -> ReviewOptions:
    wordlist = tmp_path / "t.txt"
    wordlist.write_text(WORDLIST, encoding="utf-8")
    return ReviewOptions(paths=(str(doc),), wordlists=(str(wordlist),), home=str(tmp_path / "home"), **kwargs)  # type: ignore[arg-type]


def test_workspace_opens_scans_and_resumes(doc: Path, tmp_path: Path) -> None:
    ws = Workspace(options(doc, tmp_path))
    assert ws.sessions == [None]
    s = ws.open(0)
    assert [f.spun for f in s.findings] == SPUN
    s.accept()
    ws.close()
    assert Workspace(options(doc, tmp_path)).open(0).decision(0) is not None
    assert "article.txt: 1 of 9 reviewed" in ws.summary()


def test_workspace_decisions_in_the_user_folder(doc: Path, tmp_path: Path) -> None:
    ws = Workspace(options(doc, tmp_path, decisions_in="user"))
    ws.open(0).accept()
    assert not dec.path_for(doc).exists()
    assert len(list((tmp_path / "home" / "decisions").glob("*-article.txt.jsonl"))) == 1


def test_workspace_outputs(doc: Path, tmp_path: Path) -> None:
    assert Workspace(options(doc, tmp_path)).files[0].output == tmp_path / "article.repaired.txt"
    assert Workspace(options(doc, tmp_path, in_place=True)).files[0].output == doc
    out = tmp_path / "out"
    out.mkdir()
    assert Workspace(options(doc, tmp_path, output=str(out))).files[0].output == out / "article.txt"
    assert Workspace(options(doc, tmp_path, output=str(tmp_path / "x.txt"))).files[0].output == tmp_path / "x.txt"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"in_place": True, "output": "x.txt"}, "either -o or --in-place"),
        ({"output": "SELF"}, "is the input"),
        ({"threshold": 1.5}, "not between 0 and 1"),
        ({"wordlists": ("/no/such/list.txt",)}, "no such wordlist file"),
    ],
)
def test_workspace_refuses_bad_options_in_one_line(
    doc: Path, tmp_path: Path, kwargs: dict[str, object], message: str
) -> None:
    if kwargs.get("output") == "SELF":
        kwargs = {"output": str(doc)}
    with pytest.raises(InputError, match=message) as info:
        Workspace(replace(options(doc, tmp_path), **kwargs))  # type: ignore[arg-type]
    assert "\n" not in str(info.value)


def test_workspace_refuses_missing_files_and_stdin(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        Workspace(ReviewOptions(paths=(str(tmp_path / "missing.txt"),), home=str(tmp_path)))
    with pytest.raises(InputError, match="standard input"):
        Workspace(ReviewOptions(paths=("-",), home=str(tmp_path)))


def test_a_reviews_engine_puts_the_user_list_first_and_respects_the_ignore_list(tmp_path: Path) -> None:
    wordlist = tmp_path / "t.txt"
    wordlist.write_text(WORDLIST, encoding="utf-8")
    user = UserData(tmp_path / "home")
    user.add_entry("Expectancies", "Hopes")
    user.add_ignore("t:squaddie")
    user.add_ignore("would possibly")
    options = ReviewOptions(paths=("x.txt",), wordlists=(str(wordlist),))
    engine = engine_for(engine_settings(options, user))
    found = {f.spun: f for f in engine.scan(TEXT)}
    # the reviewer's own replacement comes first; the shipped list's stays offered after it
    assert found["Expectancies"].suggestions[0] == "Hopes" and found["Expectancies"].rule == "user:expectancies"
    assert "squaddies" not in found and "Would possibly" not in found
    without = engine_for(engine_settings(replace(options, user_lists=False), user))
    assert "squaddies" in {f.spun for f in without.scan(TEXT)}


# ---------------------------------------------------------------- user data


def test_data_home_precedence(tmp_path: Path) -> None:
    assert data_home({"REPAIR_HOME": str(tmp_path / "r"), "XDG_DATA_HOME": "/x"}) == tmp_path / "r"
    assert data_home({"XDG_DATA_HOME": str(tmp_path / "x")}) == tmp_path / "x" / "repair"
    assert data_home({}) == Path.home() / ".local" / "share" / "repair"


def test_ignore_list_is_sorted_and_unique(userdata: UserData) -> None:
    assert userdata.add_ignore("news:squaddie")
    assert userdata.add_ignore("would possibly")
    assert not userdata.add_ignore("news:squaddie")
    assert userdata.add_ignore("a phrase")
    lines = userdata.ignore_path.read_text().splitlines()
    assert lines[0].startswith("#") and lines[1:] == ["a phrase", "news:squaddie", "would possibly"]
    assert userdata.remove_ignore("a phrase") and not userdata.remove_ignore("a phrase")


def test_user_wordlist_round_trips_through_the_project_format(userdata: UserData) -> None:
    userdata.add_entry("squaddies", "soldiers", Safety.CHOOSE)
    userdata.add_entry("USA", "US")
    userdata.add_entry("Spherical", "Round")
    assert userdata.add_entry("squaddies", "soldiers") is None  # no duplicate
    assert userdata.add_entry("same", "Same") is None  # no fix that is the spun phrase itself
    lines = userdata.wordlist_path.read_text().splitlines()[1:]
    assert lines == ["spherical -> round", "squaddies -> soldiers ; choose", "usa -> us"]
    assert userdata.load_wordlist() is not None


def test_keymap_file(userdata: UserData) -> None:
    assert userdata.load_keymap() == {}
    userdata.home.mkdir(parents=True)
    userdata.keymap_path.write_text('next = "n,space"\naccept = "a"\n')
    assert userdata.load_keymap() == {"next": "n,space", "accept": "a"}
    userdata.keymap_path.write_text("next = 3\n")
    with pytest.raises(InputError, match=r"keys\.toml"):
        userdata.load_keymap()


# ---------------------------------------------------------------- layering


def test_the_core_imports_no_textual() -> None:
    code = (
        "import sys\n"
        "import repair, repair.review, repair.edge.decisions, repair.core.engine, repair.edge.userdata\n"
        "import repair.cli.review\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(bad)\n"
        "raise SystemExit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_spun_text_gets_thesaurus_choices_and_recall_mode_looks_closer_at_clean_text(tmp_path: Path) -> None:
    from ..conftest import CLEAN_SEED, SPUN_SEED

    spun = tmp_path / "spun.txt"
    spun.write_text(SPUN_SEED.read_text(encoding="utf-8"), encoding="utf-8")
    clean = tmp_path / "clean.txt"
    clean.write_text(CLEAN_SEED.read_text(encoding="utf-8"), encoding="utf-8")
    plain = Workspace(ReviewOptions(paths=(str(spun), str(clean)), home=str(tmp_path / "home")))
    thesaurus = [f for f in plain.open(0).findings if f.rule.startswith("thesaurus:")]
    assert thesaurus and all(f.suggestions for f in thesaurus)
    assert not any(f.rule.startswith("thesaurus:") for f in plain.open(1).findings)
    other = tmp_path / "other.txt"
    other.write_text(CLEAN_SEED.read_text(encoding="utf-8"), encoding="utf-8")
    recall = Workspace(ReviewOptions(paths=(str(other),), home=str(tmp_path / "home2"), discover=True))
    recall.open(0)
    assert recall.engine is not None and recall.engine.discover
    assert plain.engine is not None and not plain.engine.discover
