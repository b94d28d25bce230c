"""`repair review` never loses or damages a byte (issue 12): backups, symlinks, modes, locked decisions."""

from __future__ import annotations

import os
import stat
from dataclasses import replace
from pathlib import Path

import pytest

from repair.core.engine import Engine
from repair.core.wordlists import parse
from repair.edge import decisions as dec
from repair.edge.decisions import Action, DecisionLock, DecisionStore
from repair.edge.documents import InputError, read_document
from repair.review import ReviewOptions, ReviewSession, Workspace

from ..review_fixture import TEXT, WORDLIST


@pytest.fixture
def doc(tmp_path: Path) -> Path:
    path = tmp_path / "article.txt"
    path.write_text(TEXT, encoding="utf-8")
    return path


def options(doc: Path, tmp_path: Path, **kwargs: object) -> ReviewOptions:
    wordlist = tmp_path / "t.txt"
    wordlist.write_text(WORDLIST, encoding="utf-8")
    return ReviewOptions(paths=(str(doc),), wordlists=(str(wordlist),), home=str(tmp_path / "home"), **kwargs)  # type: ignore[arg-type]


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


# ---------------------------------------------------------------- 2 and 4. backups in place


def test_review_in_place_keeps_the_first_backup_across_saves_and_runs(doc: Path, tmp_path: Path) -> None:
    bak = tmp_path / "article.txt.bak"
    ws = Workspace(options(doc, tmp_path, in_place=True))
    s = ws.open(0)
    s.accept()
    assert s.save().backup == bak
    once = doc.read_text()
    assert once != TEXT and bak.read_text() == TEXT
    s.accept()
    s.save()  # a second save in the same review: the backup is still the original
    assert doc.read_text() != once and bak.read_text() == TEXT
    assert "(the original is in" in ws.summary()
    ws.close()
    # A later review in place would leave the fixed text without a backup of its own: asked first.
    with pytest.raises(InputError, match=r"article\.txt\.bak: a backup from an earlier run exists") as refused:
        Workspace(options(doc, tmp_path, in_place=True))
    assert "\n" not in str(refused.value)
    again = Workspace(options(doc, tmp_path, in_place=True, force=True))
    session = again.open(0)
    session.next_undecided()
    session.accept()
    session.save()
    again.close()
    assert bak.read_text() == TEXT


def test_review_in_place_on_a_symlink_writes_the_real_file(doc: Path, tmp_path: Path) -> None:
    link = tmp_path / "link.txt"
    link.symlink_to(doc)
    ws = Workspace(replace(options(doc, tmp_path, in_place=True), paths=(str(link),)))
    s = ws.open(0)
    s.accept()
    s.save()
    ws.close()
    assert link.is_symlink() and os.readlink(link) == str(doc)
    assert doc.read_text() != TEXT
    assert (tmp_path / "link.txt.bak").read_text() == TEXT


def test_review_does_not_save_over_a_document_changed_on_disk(doc: Path, tmp_path: Path) -> None:
    ws = Workspace(options(doc, tmp_path, in_place=True))
    s = ws.open(0)
    s.accept()
    doc.write_text(TEXT + "Added in another editor.\n")
    with pytest.raises(InputError, match="changed on disk"):
        s.save()
    ws.close()
    assert doc.read_text() == TEXT + "Added in another editor.\n"


# ---------------------------------------------------------------- 5. modes


@pytest.mark.parametrize("where", ["default", "output", "in-place"])
def test_review_saves_keep_the_documents_mode(doc: Path, tmp_path: Path, where: str) -> None:
    os.chmod(doc, 0o600)
    kwargs: dict[str, object] = {
        "default": {},
        "output": {"output": str(tmp_path / "clean.txt")},
        "in-place": {"in_place": True},
    }[where]  # type: ignore[assignment]
    ws = Workspace(options(doc, tmp_path, **kwargs))
    s = ws.open(0)
    s.accept()
    result = s.save()
    ws.close()
    assert _mode(result.path) == 0o600
    if result.backup is not None:
        assert _mode(result.backup) == 0o600
    assert _mode(dec.path_for(doc)) == 0o600  # the decisions quote the document too


# ---------------------------------------------------------------- 3. decisions: one reviewer, nothing dropped


@pytest.mark.parametrize("where", ["beside", "user"])
def test_a_second_review_of_a_document_is_refused_until_the_first_ends(doc: Path, tmp_path: Path, where: str) -> None:
    first = Workspace(options(doc, tmp_path, decisions_in=where))
    with pytest.raises(InputError, match=r"another repair review \(pid \d+\) has this document open") as refused:
        Workspace(options(doc, tmp_path, decisions_in=where))
    assert "\n" not in str(refused.value)
    first.open(0).accept()
    first.close()
    second = Workspace(options(doc, tmp_path, decisions_in=where))
    assert second.open(0).decision(0) is not None
    second.close()
    assert not list(tmp_path.rglob("*.lock"))  # the lock goes with the review


def test_a_killed_review_leaves_no_lock_behind(doc: Path, tmp_path: Path) -> None:
    pid = os.fork()
    if pid == 0:  # a review that dies without closing
        lock = DecisionLock(dec.path_for(doc))
        lock.acquire()
        os._exit(0)  # no release, no cleanup
    os.waitpid(pid, 0)
    assert (tmp_path / ".article.txt.repair-decisions.jsonl.lock").read_text() == f"{pid}\n"
    Workspace(options(doc, tmp_path)).close()


def _session(doc: Path) -> ReviewSession:
    document = read_document(str(doc))
    store = DecisionStore(dec.path_for(doc), doc.name, dec.content_hash(document.text))
    return ReviewSession(document, Engine([parse(WORDLIST, name="t")], near=False).scan(document.text), store=store)


def test_two_sessions_on_one_document_keep_every_decision(doc: Path) -> None:
    # Without the workspace's lock (as two processes would be, were it not for it): still nothing lost.
    a, b = _session(doc), _session(doc)
    for index in range(9):
        session = a if index % 2 else b
        session.goto(index)
        session.reject() if index % 3 else session.accept()
    saved = dec.load(dec.path_for(doc)).decisions
    assert len(saved) == 9
    a.close()
    b.close()
    assert len(dec.load(dec.path_for(doc)).decisions) == 9


@pytest.mark.parametrize("outside", ["replace", "remove"])
def test_decisions_survive_an_outside_rewrite_of_their_file(doc: Path, tmp_path: Path, outside: str) -> None:
    ws = Workspace(options(doc, tmp_path))
    s = ws.open(0)
    s.accept()
    s.accept()
    path = dec.path_for(doc)
    older = dec.load(path)
    older.decisions = dict(list(older.decisions.items())[:1])  # e.g. a checkout of an older commit
    other = _session(doc).findings[5]
    extra = dec.decide(other, 1, Action.REJECT)
    older.decisions[extra.slot] = extra  # ...which holds a decision of its own
    if outside == "replace":
        replacement = tmp_path / "checkout.tmp"
        replacement.write_text(older.render(), encoding="utf-8")
        os.replace(replacement, path)  # an atomic rewrite, as git and editors do
    else:
        path.unlink()
    s.accept()
    s.accept()
    # No close(): as if the review were killed now. Every decision it made is on disk.
    saved = dec.load(path).decisions
    made = {d.slot for d in s.decisions.values()}
    assert len(made) == 4 and made <= set(saved)
    assert (extra.slot in saved) == (outside == "replace")
    ws.close()
    assert made <= set(dec.load(path).decisions)


# ---------------------------------------------------------------- 15. temporary files a killed review left


def test_a_review_removes_the_temporary_files_of_a_killed_run(doc: Path, tmp_path: Path) -> None:
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)
    stale = tmp_path / f".article.txt.repair-tmp-{pid}-q1w2e3"
    stale.write_text("half a file")
    Workspace(options(doc, tmp_path)).close()
    assert not stale.exists()
