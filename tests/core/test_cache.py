from __future__ import annotations

import collections
import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest

from repair.core import match, vocabulary, wordlists
from repair.core.cache import cached, content_key
from repair.core.engine import english_vocabulary


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("REPAIR_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_a_value_is_made_once_per_key_and_a_new_input_is_a_new_key(cache_home: Path, tmp_path: Path) -> None:
    source = tmp_path / "list.txt"
    source.write_text("one\n")
    made: list[str] = []

    def make() -> tuple[str, ...]:
        made.append("x")
        return tuple(source.read_text().split())

    assert cached("words", content_key([source]), make) == ("one",)
    assert cached("words", content_key([source]), make) == ("one",)
    assert len(made) == 1
    source.write_text("one\ntwo\n")  # changed input: never the stale value
    assert cached("words", content_key([source]), make) == ("one", "two")
    assert len(made) == 2


def test_a_broken_or_unwritable_cache_only_costs_time(cache_home: Path) -> None:
    key = content_key(["k"])
    cache_home.mkdir()
    (cache_home / f"v-{key}.marshal").write_bytes(b"\x00not marshal")
    assert cached("v", key, lambda: [1, 2]) == [1, 2]
    cache_home.chmod(0o500)
    try:
        assert cached("w", key, lambda: "made") == "made"
    finally:
        cache_home.chmod(0o700)


def test_the_compact_vocabulary_answers_as_the_set_does() -> None:
    words = {"the", "xsquaddie", "spherical", "qqqzzz", "The", "", "café", "zzzzzzzzzz", "a", "\U0001f600"}
    known = english_vocabulary()
    assert vocabulary.english().missing(words) == words - known
    some = sorted(known)[::997]  # every word it holds is found, the first and last too
    assert vocabulary.english().missing({*some, min(known), max(known)}) == set()
    small = vocabulary.Vocabulary.of({"b", "d", "dd"})
    assert small.missing({"a", "b", "c", "d", "dd", "ddd", "e"}) == {"a", "c", "ddd", "e"}
    assert len(small) == 3 and small.as_set() == {"b", "d", "dd"}


def test_a_one_line_check_imports_neither_wordfreq_nor_rapidfuzz_nor_a_pool(tmp_path: Path) -> None:
    one = tmp_path / "one.txt"
    one.write_text("One short line of ordinary English text.\n")  # no unknown word: rapidfuzz is not needed
    code = (
        "import sys\n"
        "from repair.cli import main\n"
        f"sys.argv = ['repair', 'check', '--no-config', '--no-user-lists', {str(one)!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('wordfreq', 'rapidfuzz', 'concurrent.futures.process') if m in sys.modules))\n"
    )
    env = {"REPAIR_CACHE": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin"}
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, env=env)  # fills the cache
    done = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True, env=env)
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_shipped_lists_read_back_from_the_cache_equal_the_parsed_ones(
    cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parsed = [wordlists.load_path(wordlists.wordlist_dir() / f"{n}.txt", n) for n in wordlists.shipped_names()]
    assert wordlists.load_shipped(wordlists.shipped_names()) == parsed  # parsed, and kept
    monkeypatch.setattr(wordlists, "parse", _never)
    again = wordlists.load_shipped(wordlists.shipped_names())  # read back, not parsed
    assert again == parsed
    for read, made in zip(again, parsed, strict=True):  # the derived fields too (eq leaves them out)
        assert [dataclasses.astuple(c) for e in read.entries for c in e.conditions] == [
            dataclasses.astuple(c) for e in made.entries for c in e.conditions
        ]
    assert any(e.conditions for wl in again for e in wl.entries)  # the shipped lists have conditions to compare


def test_a_changed_list_is_parsed_again(cache_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "wordlists"
    folder.mkdir()
    (folder / "news.txt").write_text("squaddie -> soldier\n", encoding="utf-8")
    monkeypatch.setattr(wordlists, "wordlist_dir", lambda: folder)
    assert [e.originals for e in wordlists.load_shipped(["news"])[0].entries] == [("soldier",)]
    (folder / "news.txt").write_text("squaddie -> soldier, trooper\n", encoding="utf-8")
    assert [e.originals for e in wordlists.load_shipped(["news"])[0].entries] == [("soldier", "trooper")]


def test_the_matcher_built_from_cached_variants_is_the_one_built_by_inflecting(
    cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    entries = [e for wl in wordlists.load_shipped() for e in wl.entries]
    inflected = [v for e in entries for v in match.variants(e)]
    first = match.Matcher(entries)  # works the variants out, and keeps them
    monkeypatch.setattr(match, "variants", _never)
    second = match.Matcher(entries)  # reads them back
    assert list(first.variants) == list(second.variants)
    assert collections.Counter(second.variants) == collections.Counter(inflected)
    assert first._single == second._single and first._longer == second._longer
    assert first._near_keys == second._near_keys


def _never(*args: object, **kwargs: object) -> None:
    raise AssertionError("worked out again instead of read from the cache")


def test_the_vocabularys_answers_are_kept_and_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vocabulary, "MEMO_SIZE", 3)
    small = vocabulary.Vocabulary.of({"b", "d", "dd"})
    asked = {"a", "b", "c", "d", "dd", "ddd", "e"}
    for _ in range(3):  # answered from the memo, or after it was emptied: the same
        assert small.missing(asked) == {"a", "c", "ddd", "e"}
        assert small.missing({"b", "zz"}) == {"zz"}
    assert len(small._known) <= 3
