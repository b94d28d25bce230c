from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from repair.core import vocabulary
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


def test_the_lazy_vocabulary_answers_as_the_set_does() -> None:
    words = {"the", "xsquaddie", "spherical", "qqqzzz", "The"}
    lazy = vocabulary.Vocabulary(vocabulary.english()._joined)
    assert lazy.missing(words) == words - english_vocabulary()
    assert lazy._set is None  # a few lookups search the string; no set is built
    many = {f"w{i}zz" for i in range(vocabulary.LOOKUPS_BEFORE_SET)} | {"the"}
    assert lazy.missing(many) == many - {"the"}
    assert lazy._set is not None


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
