"""The tortured-phrase catalogue importer and the risk score (repair.tools.pps, repair.core.risk)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from repair.cli import main
from repair.core.engine import Engine, Selection, fix
from repair.core.model import Condition, Finding, Safety
from repair.core.risk import count_words, risk_score
from repair.core.wordlists import Wordlist, format_entry, lint, parse
from repair.tools.pps import RowSkipped, convert_row, import_rows, legitimate_terms
from repair.tools.pps_catalogue import CatalogueRow, QueryError, clean_expected, parse_query, read_catalogue

from ..conftest import CLEAN_SEED

# A small catalogue in the CSV export's layout, written for these tests.
CSV = '''tortured_phrase,expected_phrase,num_papers
"""counterfeit consciousness""",artificial intelligence (AI),"1,204"
"""bosom"" AND ""breast""",breast,300
"""gatherings clustering""~10",clustering,120
"""magnetic cell separation"" NOT ""with MACS""",Magnetic-activated cell sorting (MACS),60
"""randomized controlled preliminary"" NOT ""randomized controlled preliminary trial""",randomized controlled trial,40
"""corridor impact"" AND (""magnetic"" OR ""voltage"")",Hall effect,7
"""affirmed recuperated demise"" OR ""affirmed recuperated passing""",confirmed recovered deaths,2
"""Web of Things (IoT)""",Internet of Things (IoT),9
"""exactness, review""","precision, recall",5
"""cadence design""",rhythm pattern (?),11
"""steering plan""",???,3
"""favorable cancer"" AND (""benign cancer"" OR ""benign tumor"")",benign cancer/tumor,47
"""enhancement calculation"" AND optimiz*",optimization algorithm,754
"""social impact UTAUT""~10","social influence, see https://en.wikipedia.org/wiki/UTAUT",275
"""breast""",breast,1
'''


def _rows() -> list[CatalogueRow]:
    return read_catalogue(CSV)


def _entries() -> Wordlist:
    result = import_rows(_rows(), expand=lambda prefix: (f"{prefix}ation", f"{prefix}e"))
    return parse("".join(format_entry(e) + "\n" for e in result.entries), name="science")


def _by_spun(wordlist: Wordlist) -> dict[str, list[str]]:
    lines: dict[str, list[str]] = {}
    for entry in wordlist.entries:
        lines.setdefault(entry.spun, []).append(format_entry(entry))
    return lines


# ---------------------------------------------------------------- queries


def test_query_operators() -> None:
    q = parse_query('"PC helped" AND ("be that as it" OR "on the off chance") NOT "computer"')
    assert [t.text for t in q.main] == ["PC helped"]
    assert [[t.text for t in g] for g in q.required] == [["be that as it", "on the off chance"]]
    assert [t.text for t in q.excluded] == ["computer"]


def test_query_proximity_bare_words_and_wildcard() -> None:
    q = parse_query('"gatherings clustering"~10 AND business intelligence AND optimiz*')
    assert q.main[0].proximity == 10
    assert [g[0].text for g in q.required] == ["business intelligence", "optimiz*"]
    assert q.required[1][0].wildcard


def test_top_level_or_binds_before_and() -> None:
    q = parse_query('"fit record" OR "fit file" AND "fit index"')
    assert [t.text for t in q.main] == ["fit record", "fit file"]
    assert [g[0].text for g in q.required] == ["fit index"]


@pytest.mark.parametrize("query", ['"a" ADN "b"', '"a" AND ("b"', '"a" AND', '"" AND "b"'])
def test_bad_queries_are_refused(query: str) -> None:
    with pytest.raises(QueryError):
        parse_query(query)


# ---------------------------------------------------------------- expected text


@pytest.mark.parametrize(
    ("raw", "originals", "unsure"),
    [
        ("artificial intelligence (AI)", ("artificial intelligence",), False),
        ("rythm pattern (?)", ("rythm pattern",), True),
        ("[neural network] layer outputs", ("layer outputs",), False),
        ("benign cancer/tumor", ("benign cancer", "benign tumor"), True),
        ("contagious/transmissible diseases", ("contagious diseases", "transmissible diseases"), True),
        (
            "Human Machine Interface (HMI) OR Human-computer interaction (HCI)",
            ("Human Machine Interface", "Human-computer interaction"),
            True,
        ),
        ("social influence, see https://en.wikipedia.org/wiki/UTAUT", ("social influence",), False),
        ("???", (), True),
        ("(?)", (), True),
    ],
)
def test_clean_expected(raw: str, originals: tuple[str, ...], unsure: bool) -> None:
    cleaned = clean_expected(raw)
    assert cleaned.originals == originals
    assert cleaned.unsure is unsure
    assert all("," not in o for o in cleaned.originals)


# ---------------------------------------------------------------- conversion


def test_conditions_are_kept() -> None:
    lines = _by_spun(_entries())
    assert lines["bosom"] == ["bosom -> breast ; doc=breast ; count=300"]
    assert lines["magnetic cell separation"] == [
        "magnetic cell separation -> Magnetic-activated cell sorting ; not-doc=with macs ; count=60"
    ]
    # an exclusion that extends the phrase vetoes exactly that extension
    assert lines["randomized controlled preliminary"] == [
        "randomized controlled preliminary -> randomized controlled trial ; not-after=trial ; count=40"
    ]
    assert lines["corridor impact"] == ["corridor impact -> Hall effect ; doc=magnetic,voltage ; count=7"]
    assert lines["enhancement calculation"] == [
        "enhancement calculation -> optimization algorithm ; doc=optimization,optimize ; count=754"
    ]


def test_proximity_becomes_near_with_window() -> None:
    lines = _by_spun(_entries())
    assert lines["gatherings"] == ["gatherings -> clustering ; near=clustering ; window=10 ; count=120"]
    assert lines["impact"] == ["impact -> influence ; near=social ; near=utaut ; window=10 ; count=275"]


def test_or_alternatives_become_entries_and_acronyms_context() -> None:
    lines = _by_spun(_entries())
    assert "affirmed recuperated demise" in lines and "affirmed recuperated passing" in lines
    assert lines["web of things"] == ["web of things -> Internet of Things ; after=iot ; count=9"]
    # a comma list: each swapped part with its neighbour as context, no comma in any original
    assert lines["exactness"] == ["exactness -> precision ; after=review ; count=5"]
    assert lines["review"] == ["review -> recall ; before=exactness ; count=5"]


def test_unknown_and_unsure_expected_text() -> None:
    lines = _by_spun(_entries())
    assert lines["steering plan"][0].startswith("steering plan -> ; flag ; reason=")
    assert lines["cadence design"][0].startswith("cadence design -> rhythm pattern ; choose ;")
    favorable = lines["favorable cancer"][0]
    assert favorable.startswith(
        "favorable cancer -> benign cancer, benign tumor ; choose ; doc=benign cancer,benign tumor"
    )


def test_legitimate_terms_are_reported_and_skipped() -> None:
    result = import_rows(_rows())
    skipped = {s.row.fingerprint: s.reason for s in result.skipped}
    assert skipped == {'"breast"': "legitimate term: it is the expected term of another row or a co-term"}
    assert result.converted_rows == result.rows - 1
    assert "breast" in legitimate_terms(_rows())


def test_pairs_json_co_terms_are_skipped() -> None:
    data = {
        "phrases": [
            {"tortured": "neural organization", "correct": "neural network"},
            {"tortured": "neural network", "correct": "[neural network] layer outputs"},
            {"tortured": "cloud platform", "correct": "the cloud platform"},
        ]
    }
    result = import_rows(read_catalogue(json.dumps(data)))
    assert [e.spun for e in result.entries] == ["neural organization"]
    assert len(result.skipped) == 2
    assert all(s.reason.startswith("legitimate term") for s in result.skipped)


def test_punctuation_no_entry_can_span_is_skipped() -> None:
    with pytest.raises(RowSkipped, match="punctuation"):
        convert_row(CatalogueRow('"0.5 breed"', "half-breed"))


def test_imported_list_is_sorted_lint_clean_and_round_trips() -> None:
    result = import_rows(_rows(), expand=lambda p: (p + "ation",))
    wordlist = parse("".join(format_entry(e) + "\n" for e in result.entries), name="science")
    assert lint(wordlist) == []
    assert [format_entry(e) for e in wordlist.entries] == [format_entry(e) for e in result.entries]


def test_duplicates_are_merged() -> None:
    rows = [CatalogueRow('"huge information"', "big data", 10), CatalogueRow('"huge information"', "large data", 3)]
    result = import_rows(rows)
    assert [format_entry(e) for e in result.entries] == ["huge information -> big data, large data ; choose ; count=13"]


# ---------------------------------------------------------------- end to end


def test_imported_entries_find_and_restore() -> None:
    engine = Engine([_entries()], near=False)
    everything = Selection(threshold=0.0, safety=Safety.CHOOSE)
    text = "We apply counterfeit consciousness to the Web of Things (IoT). Gatherings (clustering) helped."
    fixed, applied = fix(text, engine, everything)
    assert fixed == "We apply artificial intelligence to the Internet of Things (IoT). Clustering (clustering) helped."
    assert len(applied) == 3


def test_and_co_term_and_not_veto_hold() -> None:
    engine = Engine([_entries()], near=False)
    assert [f.spun for f in engine.scan("A bosom mass was seen.")] == []
    assert [f.spun for f in engine.scan("A bosom mass was seen. Breast imaging followed.")] == ["bosom"]
    assert engine.scan("Magnetic cell separation with MACS beads.") == []
    assert [f.suggestions for f in engine.scan("Magnetic cell separation was used.")] == [
        ("Magnetic-activated cell sorting",)
    ]


# ---------------------------------------------------------------- risk score


def _finding(rule: str) -> Finding:
    return Finding(0, 1, "x", ("y",), 0.9, Safety.AUTO, "", rule)


@pytest.mark.parametrize(
    ("rules", "words", "level"),
    [
        ([], 1000, "none"),
        (["a"], 5000, "low"),
        (["a", "a"], 1000, "elevated"),  # one phrase, but 2 per 1,000 words
        (["a", "b"], 10000, "elevated"),
        (["a", "b", "c"], 10000, "elevated"),  # 0.3 per 1,000
        (["a", "b", "c"], 3000, "high"),
    ],
)
def test_risk_levels(rules: list[str], words: int, level: str) -> None:
    score = risk_score([_finding(r) for r in rules], words)
    assert score.level == level
    assert score.phrases == len(rules) and score.distinct == len(set(rules))
    assert level in score.summary()


def test_risk_per_1000_and_word_count() -> None:
    assert count_words("One two, three 4 five.") == 4
    score = risk_score([_finding("a"), _finding("b")], 400)
    assert score.per_1000 == pytest.approx(5.0)
    assert score.to_dict()["per_1000_words"] == 5.0
    assert risk_score([], 0).per_1000 == 0.0


# ---------------------------------------------------------------- command line


def test_cli_import_pps_writes_a_wordlist_check_uses(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    catalogue = tmp_path / "tortured.csv"
    catalogue.write_text(CSV, encoding="utf-8")
    out = tmp_path / "science.txt"
    assert main(["wordlist", "import-pps", str(catalogue), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "converted 14 of 15 catalogue rows" in err and "legitimate term" in err
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# kind: tortured-phrases\n# Tortured phrases imported from the Problematic Paper Screener")
    assert lint(parse(text, name="science")) == []
    paper = tmp_path / "paper.txt"
    paper.write_text("Counterfeit consciousness is everywhere.\n", encoding="utf-8")
    assert main(["check", "--no-config", "--wordlist", str(out), str(paper)]) == 1
    assert "artificial intelligence" in capsys.readouterr().out.lower()


def test_cli_import_pps_refuses_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"phrases": 3}', encoding="utf-8")
    assert main(["wordlist", "import-pps", str(bad)]) == 2
    assert "not a tortured-phrase catalogue" in capsys.readouterr().err
    assert main(["wordlist", "import-pps", str(tmp_path / "missing.csv")]) == 2


# ---------------------------------------------------------------- the real catalogue (../shared)


@pytest.mark.slow
@pytest.mark.shared
def test_real_catalogue_converts_and_spares_the_clean_seed(shared: Path) -> None:
    data = shared / "research" / "data"
    csv_path = next(data.glob("pps_tortured_phrases_export_*.csv"), None)
    if csv_path is None:
        pytest.skip("the catalogue export is not in ../shared")
    result = import_rows(read_catalogue(csv_path.read_text(encoding="utf-8")))
    assert result.rate >= 0.99
    wordlist = Wordlist("science", result.entries)
    assert lint(wordlist) == []
    engine = Engine([wordlist])
    _, applied = fix(CLEAN_SEED.read_text(encoding="utf-8"), engine)
    assert applied == []


def test_condition_type_is_the_models() -> None:
    entry = convert_row(CatalogueRow('"bosom" AND "breast"', "breast"))[0]
    assert entry.conditions == (Condition("doc", ("breast",)),)


def test_imported_lists_declare_their_kind() -> None:
    from repair.core.wordlists import TORTURED_PHRASES
    from repair.tools.pps import HEADER

    assert parse(HEADER.format(source="x.csv") + "a b -> c\n", name="science").kind == TORTURED_PHRASES
    assert parse("a b -> c\n", name="news").kind == ""
