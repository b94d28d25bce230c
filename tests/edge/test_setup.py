"""One engine builder: every front end reads the same wordlists and ignore lists the same way."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from repair.cli import main
from repair.review import ReviewOptions, Workspace

WORDLIST = "in opposition to -> against\nsquaddie -> soldier\n"
TEXT = "The squaddies stood in opposition to the plan.\n"


def test_an_ignore_entry_silences_check_and_review_alike(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "ignore.txt").write_text("In Opposition To\n", encoding="utf-8")  # as a person types it
    monkeypatch.setenv("REPAIR_HOME", str(home))
    wordlist, doc = tmp_path / "t.txt", tmp_path / "doc.txt"
    wordlist.write_text(WORDLIST, encoding="utf-8")
    doc.write_text(TEXT, encoding="utf-8")
    assert main(["check", "--no-config", "--wordlist", str(wordlist), "--format", "json", str(doc)]) == 1
    checked = [json.loads(line)["spun"] for line in capsys.readouterr().out.splitlines()]
    workspace = Workspace(ReviewOptions(paths=(str(doc),), wordlists=(str(wordlist),)))
    reviewed = [f.spun for f in workspace.open(0).findings]
    workspace.close()
    assert checked == ["squaddies"]
    assert reviewed == checked


def test_the_builder_reads_settings_once_and_workers_get_the_same_engine(tmp_path: Path) -> None:
    from repair.edge.setup import EngineSettings, build_engine, load_settings
    from repair.edge.userdata import UserData

    wordlist = tmp_path / "t.txt"
    wordlist.write_text(WORDLIST, encoding="utf-8")
    user = UserData(tmp_path / "home")
    user.add_ignore("squaddies")
    spec = load_settings(EngineSettings(wordlists=(str(wordlist),), userdata=user))
    assert spec.ignore == {"squaddies"} and [w.name for w in spec.wordlists] == ["t"]
    # inflected forms and phrases are ignored as the user wrote them, in every engine built from it
    assert [f.spun for f in build_engine(spec).scan(TEXT)] == ["in opposition to"]
    assert [f.spun for f in build_engine(load_settings(EngineSettings(wordlists=(str(wordlist),)))).scan(TEXT)] == [
        "squaddies",
        "in opposition to",
    ]


def test_a_broken_user_file_is_one_line_with_the_way_out(tmp_path: Path) -> None:
    from repair.edge.documents import InputError
    from repair.edge.setup import EngineSettings, load_settings
    from repair.edge.userdata import UserData

    user = UserData(tmp_path / "home")
    user.home.mkdir()
    user.wordlist_path.write_text("no arrow here\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"user\.txt:1: .*--no-user-lists"):
        load_settings(EngineSettings(userdata=user))
