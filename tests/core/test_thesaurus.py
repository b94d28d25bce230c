"""The inverted thesaurus: lookups, inflection, the shipped data file and the build script's round trip."""

from __future__ import annotations

import dataclasses
import gzip
import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from repair.core import thesaurus as candidates
from repair.core.text import phrase_key
from repair.core.thesaurus import FLAG_MOBY_FWD, FLAG_WN_FIRST, FLAG_WN_SHIFT, prior

REPO = Path(__file__).resolve().parents[2]
BUILD_SCRIPT = REPO / "scripts" / "build_thesaurus.py"


def forms(word: str, limit: int = 20) -> list[str]:
    return [form for form, _ in candidates.candidates(word, limit)]


# --- lookups on the shipped data ---------------------------------------------------------------


def test_spun_word_yields_its_common_original() -> None:
    assert forms("spherical", 5)[0] == "round"
    assert "against" in forms("in opposition to", 3)  # a phrase key
    assert "started" in forms("began", 3)


def test_plural_spun_word_yields_plural_originals() -> None:
    plural, singular = forms("retailers", 8), forms("retailer", 8)
    assert "stores" in plural and "store" not in plural
    assert "store" in singular and "stores" not in singular
    # Every candidate is offered in the input's form, not only the first.
    for form in plural[:5]:
        assert form.endswith("s"), form


def test_past_tense_yields_past_tense_originals() -> None:
    found = forms("halted", 10)
    assert "stopped" in found
    assert "stop" not in found


def test_possessive_keeps_its_suffix() -> None:
    assert forms("nation's", 3)[0] == "country's"
    assert all(form.endswith("'s") for form in forms("nation's", 10))


def test_case_is_carried_over() -> None:
    lower = forms("spherical", 3)
    assert forms("Spherical", 3) == [f[:1].upper() + f[1:] for f in lower]
    assert forms("SPHERICAL", 3) == [f.upper() for f in lower]


def test_shares_are_probabilities_in_descending_order() -> None:
    found = candidates.candidates("corporate", 20)
    shares = [share for _, share in found]
    assert shares == sorted(shares, reverse=True)
    assert all(0 < share <= 1 for share in shares)
    assert sum(shares) <= 1 + 1e-9


def test_the_spun_word_itself_is_never_a_candidate() -> None:
    for word in ("retailers", "began", "corporate"):
        assert word not in forms(word, 60)


@pytest.mark.parametrize("word", ["zzqxv", "", "   ", "2024", "squaddie-ish-qq"])
def test_unknown_input_gives_nothing(word: str) -> None:
    assert candidates.candidates(word) == []


def test_limit_is_respected() -> None:
    assert len(candidates.candidates("corporate", 3)) == 3
    assert candidates.scored("corporate", 0) == []


# --- the prior ---------------------------------------------------------------------------------


def test_prior_prefers_frequent_originals_and_stronger_evidence() -> None:
    assert prior(FLAG_MOBY_FWD, 5.0) > prior(FLAG_MOBY_FWD, 4.0)
    assert prior(FLAG_MOBY_FWD | (1 << FLAG_WN_SHIFT), 4.0) > prior(FLAG_MOBY_FWD, 4.0)
    assert prior(FLAG_MOBY_FWD | (1 << FLAG_WN_SHIFT) | FLAG_WN_FIRST, 4.0) > prior(
        FLAG_MOBY_FWD | (1 << FLAG_WN_SHIFT), 4.0
    )
    assert prior(FLAG_MOBY_FWD, 4.0, words=2) < prior(FLAG_MOBY_FWD, 4.0, words=1)


def test_frequencies_are_wordfreqs() -> None:
    zipf_frequency = pytest.importorskip("wordfreq").zipf_frequency

    table = candidates.load()
    plain = [i for i, form in enumerate(table.forms) if form.isalpha() and form.islower()]
    # The fast path reads wordfreq's dict and rounds as wordfreq does: both must agree exactly.
    for i in plain[::20]:
        assert table.zipfs[i] == zipf_frequency(table.forms[i], "en"), table.forms[i]
    for word in ("the", "company", "corporate", "squaddies", "zzqxv", "nation's", "face-to-face"):
        assert candidates.word_zipf(word) == zipf_frequency(word, "en"), word


def test_phrase_frequency_is_capped_by_the_stored_lm_estimate() -> None:
    zipf_frequency = pytest.importorskip("wordfreq").zipf_frequency

    assert candidates.original_zipf("in front of", 2.5) == 2.5
    assert candidates.original_zipf("in front of", 9.0) == zipf_frequency("in front of", "en")
    assert candidates.original_zipf("zzqxv qqzx", None) == 0.0


# --- the shipped data file ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def sections() -> dict[str, list[str]]:
    with gzip.open(candidates.data_path(), "rt", encoding="utf-8") as handle:
        text = handle.read()
    found: dict[str, list[str]] = {}
    for line in text.split("\n"):
        if line.startswith("@"):
            name, *values = line.split("\t")
            found[name[1:]] = values
    return found


def test_data_file_holds_no_frequencies(sections: dict[str, list[str]]) -> None:
    # wordfreq's data is CC BY-SA (kept apart, in wordfreq-en.txt.gz): none of it here, not even an order by frequency.
    assert set(sections) == {"forms", "phrase_lm", "inflections", "keys", "cells"}
    keys = [" ".join(phrase_key(form)) for form in sections["forms"]]
    assert keys == sorted(keys)
    assert sections["keys"] == sorted(sections["keys"])
    # Only phrases carry a number (the trigram LM's estimate), never single words.
    for form, value in zip(sections["forms"], sections["phrase_lm"], strict=True):
        assert bool(value) == (len(phrase_key(form)) > 1), form
        if value:
            int(value)


def test_data_file_cells_list_ids_in_ascending_order(sections: dict[str, list[str]]) -> None:
    count = len(sections["forms"])
    for cell in sections["cells"][::500]:
        steps = [int(code, 36) >> 6 for code in cell.split(" ")]
        ids = [sum(steps[: i + 1]) for i in range(len(steps))]
        assert ids == sorted(set(ids))
        assert ids[-1] < count


def test_loaded_thesaurus_is_immutable_and_shared() -> None:
    table = candidates.load()
    assert candidates.load() is table
    with pytest.raises(dataclasses.FrozenInstanceError):
        table.forms = ()  # type: ignore[misc]
    with pytest.raises(TypeError):
        table.cells["spherical"] = ""  # type: ignore[index]
    assert isinstance(table.forms, tuple)
    assert "spherical" in table and "zzqxv" not in table


def test_data_file_parse_rejects_broken_files() -> None:
    with pytest.raises(ValueError, match="lacks sections"):
        candidates.parse("@forms\ta\n@keys\tb\n")
    with pytest.raises(ValueError, match="differ in length"):
        candidates.parse("@forms\ta\tb\n@phrase_lm\t\n@inflections\t|||||\n@keys\tx\n@cells\t0\n")


# --- the build script --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def build() -> Iterator[ModuleType]:
    spec = importlib.util.spec_from_file_location("build_thesaurus", BUILD_SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_thesaurus"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop("build_thesaurus", None)


# A made-up thesaurus in Moby's format (headword first, CRLF), with invented words so that nothing
# here depends on the real sources: a spinner replacing "soldier" could write "squaddie" or "trooper".
TINY_MOBY = (
    "soldier,squaddie,trooper,grunt\r\n"
    "round,spherical,circular\r\n"
    "company,corporate,firm\r\n"
    "against,in opposition to\r\n"
    "WHO,zorblat\r\n"  # an acronym is never an original
    "x,zorblat\r\n"  # nor a single letter
    "lonely\r\n"  # no synonyms: skipped
)
# Zipf frequencies for the test, standing in for wordfreq (and the LM for the phrase).
TINY_ZIPF = {
    "soldier": 4.5,
    "round": 5.2,
    "company": 5.5,
    "against": 5.6,
    "squaddie": 1.5,
    "trooper": 3.2,
    "grunt": 3.1,
    "spherical": 3.3,
    "circular": 3.8,
    "corporate": 4.6,
    "firm": 4.7,
    "in opposition to": 2.2,
}


def tiny_zipf(key: str) -> tuple[float, float | None]:
    return TINY_ZIPF.get(key, 0.0), (2.2 if " " in key else None)


def write_tiny(build: ModuleType, folder: Path, name: str = "tiny.tsv.gz") -> Path:
    moby = folder / "moby.txt"
    moby.write_bytes(TINY_MOBY.encode("ascii"))
    builder = build.Builder()
    builder.add_moby(build.read_moby(moby))
    originals, table = build.finish(builder, min_zipf=3.0, cap=60, zipf_of=tiny_zipf)
    out = folder / name
    build.write_table(out, originals, table, "a tiny test thesaurus")
    return out


def test_moby_reader_parses_headwords_and_synonyms(build: ModuleType, tmp_path: Path) -> None:
    moby = tmp_path / "moby.txt"
    moby.write_bytes(TINY_MOBY.encode("ascii"))
    entries = list(build.read_moby(moby))
    assert entries[0] == ("soldier", ["squaddie", "trooper", "grunt"])
    assert ("against", ["in opposition to"]) in entries
    assert all(head != "lonely" for head, _ in entries)


def test_build_round_trips_through_the_runtime_parser(build: ModuleType, tmp_path: Path) -> None:
    table = candidates.load(write_tiny(build, tmp_path))
    assert [form for form, _, _ in candidates.scored("squaddie", known=table)] == ["soldier"]
    assert [form for form, _, _ in candidates.scored("spherical", known=table)] == ["round"]
    assert [form for form, _, _ in candidates.scored("in opposition to", known=table)] == ["against"]
    # Inflected inputs reach the base-form key and take the original's stored inflection.
    assert [form for form, _, _ in candidates.scored("squaddies", known=table)] == ["soldiers"]
    assert [form for form, _, _ in candidates.scored("troopers", known=table)] == ["soldiers"]
    # Moby's reverse direction is kept too (a weaker link): "soldier" may stand for "trooper".
    assert "trooper" in [form for form, _, _ in candidates.scored("soldier", known=table)]
    # Originals below the frequency floor, acronyms and letters are never offered.
    assert candidates.scored("grunt", known=table)[0][0] == "soldier"
    assert candidates.scored("zorblat", known=table) == []
    assert "squaddie" not in table.forms  # Zipf 1.5 < 3.0


def test_build_is_deterministic_and_stores_no_frequency(build: ModuleType, tmp_path: Path) -> None:
    first = write_tiny(build, tmp_path, "a.tsv.gz")
    second = write_tiny(build, tmp_path, "b.tsv.gz")
    assert first.read_bytes() == second.read_bytes()  # no file name or time in the gzip header
    text = gzip.decompress(first.read_bytes()).decode("utf-8")
    table = candidates.parse(text)
    # Originals in key order, not by frequency ("soldier" is rarer than "round" in TINY_ZIPF).
    assert list(table.forms) == sorted(table.forms)
    for zipf in {v for v in TINY_ZIPF.values() if v != 2.2}:
        assert str(round(zipf * 100)) not in text.replace("\t", " ").split(" ")
    assert table.phrase_lms[table.forms.index("round")] == ""


def test_cached_readings_answer_as_lemminflect_does(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPAIR_CACHE", str(tmp_path / "cache"))
    shipped = candidates.load()
    fresh = dataclasses.replace(shipped, path=str(candidates.data_path()))  # reads the readings through the cache
    live = dataclasses.replace(shipped, path="")  # asks lemminflect about every word
    assert fresh.readings and live.readings is None
    assert list((tmp_path / "cache").glob("thesaurus-readings-*"))
    from lemminflect.core.Lemmatizer import Lemmatizer

    words = sorted(w for w in Lemmatizer()._getLemmaDict() if w == w.lower())[::40]
    words += ["prospects", "customers", "enhanced", "squaddies", "running", "went", "better", "xyzzied", "Prospects"]
    assert sum(1 for w in words if candidates.analyses(w, live)) > 100
    for word in words:
        assert candidates.analyses(word, fresh) == candidates.analyses(word, live), word


def test_the_thesaurus_read_back_from_the_cache_equals_the_parsed_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REPAIR_CACHE", str(tmp_path / "cache"))
    path = candidates.data_path()
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        parsed = candidates.parse(handle.read())
    made = candidates.load.__wrapped__(path)  # fills the cache
    assert list((tmp_path / "cache").glob("thesaurus-*"))
    again = candidates.load.__wrapped__(path)  # reads it back
    assert made == parsed and again == parsed
    assert again.pairs("spherical") == parsed.pairs("spherical") and "zzqxv" not in again


def test_cached_frequencies_of_the_originals_equal_the_looked_up_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REPAIR_CACHE", str(tmp_path / "cache"))
    shipped = candidates.load()
    looked_up = dataclasses.replace(shipped, path="").zipfs  # no file: every original looked up
    filled = dataclasses.replace(shipped).zipfs  # the shipped file's: made once, kept in the cache
    kept = list((tmp_path / "cache").glob("thesaurus-zipfs-*"))
    assert len(kept) == 1
    read_back = dataclasses.replace(shipped).zipfs  # a new table reads the cache
    assert filled == looked_up and read_back == looked_up
    assert len(looked_up) == len(shipped.forms) and any(z > 0 for z in looked_up)
    # A cache entry is named by the frequency data too: other data, another entry (never a stale answer).
    monkeypatch.setattr(candidates.frequencies, "source_key", lambda: "other frequencies")
    assert dataclasses.replace(shipped).zipfs == looked_up
    assert len(list((tmp_path / "cache").glob("thesaurus-zipfs-*"))) == 2
