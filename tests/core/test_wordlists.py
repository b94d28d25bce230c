from __future__ import annotations

from pathlib import Path

import pytest

from repair.core.model import Safety
from repair.core.text import phrase_key
from repair.core.wordlists import (
    WordlistError,
    format_entry,
    lint,
    load_path,
    load_shipped,
    parse,
    parse_line,
    shipped_names,
)


def test_parse_full_line() -> None:
    entry = parse_line(
        "Fingers -> arms, weapons ; evidence ; after=deliveries,sales ; not-near=hand ; window=3"
        ' ; reason="sense" ; pos=noun',
        source="news",
        lineno=7,
    )
    assert entry is not None
    assert entry.spun == "fingers"
    assert entry.originals == ("arms", "weapons")
    assert entry.ambiguous and entry.safety is Safety.AUTO
    assert [(c.kind, c.words, c.window) for c in entry.conditions] == [
        ("after", ("deliveries", "sales"), 6),
        ("not-near", ("hand",), 3),
    ]
    assert entry.reason == "sense" and entry.pos == "noun"
    assert entry.rule_id == "news:fingers" and entry.line == 7


def test_blank_and_comment_lines_are_skipped() -> None:
    assert parse_line("   ") is None
    assert parse_line("# comment -> no") is None


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("no arrow here", "expected 'spun -> original'"),
        ("x -> y ; bogus", "unknown option 'bogus'"),
        ("x -> ", "no original given"),
        ('x -> y ; reason="open', "unclosed quote"),
        ("x -> y ; window=0", "window must be"),
        ("--- -> y", "no words the tokenizer can match"),
        ("x -> y ; after=", "lists no words"),
    ],
)
def test_bad_lines_name_file_and_line(line: str, message: str) -> None:
    with pytest.raises(WordlistError) as info:
        parse(f"ok -> fine\n{line}\n", name="t", path="lists/t.txt")
    assert str(info.value).startswith("lists/t.txt:2: ")
    assert message in str(info.value)


def test_flag_entries_may_omit_the_original() -> None:
    entry = parse_line('counterfeit consciousness -> ; flag ; reason="tortured phrase"')
    assert entry is not None and entry.originals == () and entry.safety is Safety.FLAG


def test_format_round_trips() -> None:
    lines = [
        "fingers -> arms, weapons ; choose ; evidence ; pos=noun ; after=deliveries,sales"
        ' ; reason="a \\"quoted\\" note"',
        "helps to keep -> keeps ; noinflect",
        "spherical -> round ; near=talks,negotiations ; window=3 ; count=4",
    ]
    for line in lines:
        entry = parse_line(line)
        assert entry is not None
        assert parse_line(format_entry(entry)) == entry


def test_lint_finds_unsorted_duplicate_and_spun_fixes() -> None:
    wl = parse("b -> c\na -> b\na -> b\nx -> x\n", name="t")
    messages = [p.message for p in lint(wl)]
    assert any("not sorted" in m for m in messages)
    assert any("duplicate of line 2" in m for m in messages)
    assert any("is itself listed as a spun phrase" in m for m in messages)
    assert any("is the spun phrase itself" in m for m in messages)


def test_lint_passes_a_clean_list() -> None:
    assert lint(parse("a -> b\nc -> d ; evidence\n", name="t")) == []


def test_the_news_list_ships() -> None:
    assert "news" in shipped_names()


@pytest.mark.parametrize("name", shipped_names())
def test_every_shipped_list_is_clean(name: str) -> None:
    (wl,) = load_shipped([name])
    assert wl.entries, f"{name} is empty"
    assert [str(p) for p in lint(wl)] == []
    for entry in wl.entries:
        # every key is matchable by the tokenizer exactly as written
        assert " ".join(phrase_key(entry.spun)) == entry.spun


def test_load_path_reads_utf8_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "l.txt"
    path.write_bytes("\ufeffsquaddie -> soldier\n".encode())
    assert load_path(path).entries[0].spun == "squaddie"
