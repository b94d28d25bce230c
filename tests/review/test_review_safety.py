"""`repair review` never loses or damages a byte (issue 12): backups, symlinks, modes, locked decisions."""

from __future__ import annotations

import os
import stat
from dataclasses import replace
from pathlib import Path

import pytest

from repair.edge.documents import InputError
from repair.review import ReviewOptions, Workspace

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
