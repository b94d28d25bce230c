from __future__ import annotations

from pathlib import Path

import pytest

from repair.core import inflections
from repair.core.match import Matcher, variants
from repair.core.text import lowered
from repair.core.wordlists import load_shipped, parse, parse_line, wordlist_dir


def _variant_map(line: str) -> dict[tuple[str, ...], tuple[str, ...]]:
    entry = parse_line(line)
    assert entry is not None
    return {v.tokens: v.originals for v in variants(entry)}


def test_noun_entry_covers_its_plural() -> None:
    forms = _variant_map("squaddie -> soldier")
    assert forms[("squaddies",)] == ("soldiers",)


def test_verb_phrase_inflects_its_first_word() -> None:
    forms = _variant_map("help to keep -> keep")
    assert forms[("helps", "to", "keep")] == ("keeps",)
    assert forms[("helped", "to", "keep")] == ("kept",)
    assert forms[("helping", "to", "keep")] == ("keeping",)


def test_pos_noun_stops_verb_forms() -> None:
    forms = _variant_map("shop -> store ; pos=noun")
    assert forms[("shops",)] == ("stores",)
    assert ("shopping",) not in forms


def test_noinflect_keeps_only_the_base_form() -> None:
    assert list(_variant_map("our bodies -> bodies ; noinflect")) == [("our", "bodies")]


def test_the_inflection_table_is_what_lemminflect_answers_for_the_shipped_lists() -> None:
    # Stale after a wordlist edit: run scripts/build_inflections.py
    entries = [e for wl in load_shipped() for e in wl.entries]
    table = (wordlist_dir() / inflections.TABLE_NAME).read_text(encoding="utf-8")
    assert table == inflections.table_text(inflections.words_to_keep(entries))


def test_a_stale_or_missing_table_is_named(tmp_path: Path) -> None:
    entries = parse_line("squaddie -> soldier"), parse_line("help to keep -> keep")
    table = tmp_path / "inflections.tsv"
    assert "missing" in (inflections.table_problem(entries, table) or "")
    table.write_text(inflections.table_text(["squaddie"]))  # lacks help, keep and soldier
    assert f"{table}: out of date" in (inflections.table_problem(entries, table) or "")
    table.write_text(inflections.table_text(inflections.words_to_keep(entries)))
    assert inflections.table_problem(entries, table) is None


def test_the_shipped_lists_inflect_without_loading_lemminflect(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse() -> None:
        raise AssertionError("lemminflect was asked about a word of a shipped list")

    entries = [e for wl in load_shipped() for e in wl.entries]
    expected = [v.tokens for e in entries for v in variants(e)]
    monkeypatch.setattr(inflections, "lemminflect", refuse)
    assert [v.tokens for e in entries for v in variants(e)] == expected


def test_a_word_outside_the_table_is_inflected_by_lemminflect() -> None:
    assert "gazump" not in inflections.read_table((wordlist_dir() / inflections.TABLE_NAME).read_text())
    forms = _variant_map("gazump -> outbid")
    assert forms[("gazumped",)] == ("outbid",) and forms[("gazumps",)] == ("outbids",)


def test_the_table_reads_back_what_it_was_written_from() -> None:
    text = inflections.table_text(["run", "squaddie", "about"])
    table = inflections.read_table(text)
    assert table["run"].known == {"NOUN", "VERB"} and table["run"].forms["VBD"] == "ran"
    assert table["squaddie"].known == frozenset() and table["squaddie"].forms["NNS"] == "squaddies"
    assert all(table[w] == inflections._ask(w) for w in ("run", "squaddie", "about"))


def _find(lines: str, text: str, **kwargs: object) -> list[str]:
    wl = parse(lines, name="t")
    matcher = Matcher(wl.entries, **kwargs)  # type: ignore[arg-type]
    matches, _ = matcher.find(lowered(text))
    return [text[m.start : m.end] for m in matches]


def test_longest_match_wins_and_matches_do_not_overlap() -> None:
    lines = "in opposition -> opposed\nin opposition to -> against\nopposition -> resistance\n"
    assert _find(lines, "protests in opposition to the law") == ["in opposition to"]


def test_keys_sharing_their_first_words_each_match_where_they_fit() -> None:
    lines = (
        "at -> by ; noinflect\nat the -> by the ; noinflect\nat the end -> finally ; noinflect\n"
        "at the end of the day -> eventually ; noinflect\nat the start of -> to begin ; noinflect\n"
    )
    text = "At the end of the day; at the end of it; at the start of it; at the start; at-the-end; at home"
    assert _find(lines, text) == [
        "At the end of the day",
        "at the end",
        "at the start of",
        "at the",
        "at-the-end",
        "at",
    ]
    # a phrase stops where sentence punctuation stands between its words
    assert _find(lines, "at the. end; at. the") == ["at the", "at"]


def test_phrases_match_across_hyphens_line_breaks_and_case() -> None:
    lines = "face to face -> in person\nwould possibly -> may\n"
    assert _find(lines, "Face-to-face talks resumed in Would\npossibly.") == ["Face-to-face", "Would\npossibly"]


def test_phrases_do_not_match_across_sentence_punctuation() -> None:
    assert _find("would possibly -> may\n", "He would. Possibly not.") == []


def test_near_match_needs_an_unknown_word_and_the_floor() -> None:
    wl = parse("squaddie -> soldier\n", name="t")
    matcher = Matcher(wl.entries)
    text = "the squaddiess and the squadron"
    found, words = matcher.find(lowered(text), vocabulary=frozenset({"the", "and", "squadron"}))
    assert [(text[m.start : m.end], m.similarity < 100) for m in found] == [("squaddiess", True)]
    assert words == 5


def test_modals_are_not_inflected() -> None:
    assert list(_variant_map("can -> will ; pos=verb")) == [("can",)]
    assert list(_variant_map("would possibly -> may")) == [("would", "possibly")]


def test_a_known_word_is_never_a_near_match() -> None:
    # "xsquaddie z" glued is "xsquaddiez", the first two words of a phrase glued: that once
    # sent "xsquaddie" to near matching although the vocabulary knows it (and with near off).
    lines = "squaddie -> soldier\nx squaddiez y -> z\n"
    assert _find(lines, "the xsquaddie z", near=False) == []
    wl = parse(lines, name="t")
    found, _ = Matcher(wl.entries).find(lowered("the xsquaddie z"), vocabulary=frozenset({"the", "xsquaddie", "z"}))
    assert found == []
