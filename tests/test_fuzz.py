"""The fuzz suite of issue 12: no exception, exit codes 0/1/2 only, bytes outside the edits unchanged.

A few hundred cases here; `-m slow` runs ten times more, and tests/benchmarks/fuzz.py runs 100,000
and more (see docs/benchmarks.md). The generators and checks are in tests/fuzzing.py; every
CLI round and engine case is seeded, so a failure names the seed that reproduces it.
"""

from __future__ import annotations

import codecs
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from repair import fix, scan
from repair.core.model import Edit
from repair.edge.documents import Document, InputError, decode
from repair.edge.markup import protected_spans

from .fuzzing import (
    ODD,
    PROTECTED_TEMPLATES,
    WHITESPACE,
    WORDS,
    FuzzFile,
    Tally,
    cli_round,
    encodings_case,
    engine_case,
    outside_edits_kept,
)

EXAMPLES = int(os.environ.get("REPAIR_FUZZ_EXAMPLES", "0"))  # the benchmark's count; 0: each test's own
FAST_CLI_ROUNDS = ((1, ()), (2, ("--safety", "choose")))  # (seed, fix options) of 80 files each
SLOW_CLI_ROUNDS = 20
FAST_ENGINE_CASES, SLOW_ENGINE_CASES = 150, 1500  # engine texts: seeds [0, 150) fast, [150, 1500) slow
FAST_EXAMPLES, SLOW_EXAMPLES = 100, 1000  # texts drawn by hypothesis for the scan and idempotence properties


@pytest.fixture(autouse=True)
def _own_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPAIR_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("REPAIR_DEBUG", raising=False)


def _texts() -> st.SearchStrategy[str]:
    from .fuzzing import spun_phrases

    phrases = spun_phrases()
    piece = st.one_of(
        st.sampled_from(phrases),
        st.sampled_from(phrases).map(str.upper),
        st.sampled_from(phrases).map(lambda p: p.replace(" ", "\n")),
        st.sampled_from(WORDS),
        st.sampled_from(WHITESPACE),
        st.sampled_from(ODD),
        st.sampled_from(PROTECTED_TEMPLATES).map(lambda t: t.format(w="squaddies", p="in opposition to")),
        st.text(max_size=4),
    )
    return st.lists(piece, max_size=40).map(" ".join)


def _assert_clean(tally: Tally) -> None:
    assert tally.problems == [], "\n".join(tally.problems[:20])
    assert tally.not_idempotent == 0, f"a second fix changed: {', '.join(tally.examples[:10])}"  # issue 12 point 8


# ---------------------------------------------------------------- through the CLI


@pytest.mark.parametrize(("seed", "options"), FAST_CLI_ROUNDS)
def test_cli_fuzz(tmp_path: Path, seed: int, options: tuple[str, ...]) -> None:
    tally = cli_round(seed, tmp_path / "fuzz", 80, options=options)
    _assert_clean(tally)
    assert tally.cases == 80 and tally.written > 40 and tally.changed > 20  # the fuzzer reaches the fixer


def test_the_cli_fuzzer_notices_a_changed_byte(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = Document.encoded

    def careless(self: Document, text: str, edits: object = None) -> bytes:
        return real(self, text.replace("\r\n", "\n"), None) if self.raw is None else real(self, text, edits)  # type: ignore[arg-type]

    monkeypatch.setattr(Document, "encoded", careless)
    tally = cli_round(3, tmp_path / "fuzz", 20, options=())
    assert any("bytes outside the findings changed" in p for p in tally.problems)


@pytest.mark.slow
def test_cli_fuzz_more(tmp_path: Path) -> None:
    total = Tally()
    for seed in range(1000, 1000 + SLOW_CLI_ROUNDS):
        total.add(cli_round(seed, tmp_path / "fuzz", 100))
    _assert_clean(total)


# ---------------------------------------------------------------- the engine and the documents


def _engine_round(seeds: range) -> None:
    total = Tally()
    for seed in seeds:
        total.add(engine_case(seed, fix, lambda text: scan(text, threshold=0)))
    _assert_clean(total)


def test_engine_fuzz() -> None:
    _engine_round(range(FAST_ENGINE_CASES))


@pytest.mark.slow
def test_engine_fuzz_more() -> None:
    _engine_round(range(FAST_ENGINE_CASES, SLOW_ENGINE_CASES))


def test_encodings_fuzz() -> None:
    total = Tally()
    for seed in range(2000):
        total.add(encodings_case(seed))
    _assert_clean(total)
    assert total.written > 500 and total.refused > 500


def _own_findings(text: str, fmt: str) -> None:
    findings = scan(text, threshold=0, format=fmt)  # type: ignore[arg-type]
    end = 0
    for f in findings:
        assert end <= f.start < f.end <= len(text) and text[f.start : f.end] == f.spun
        end = f.end
    if fmt == "text":
        guarded = [(p.start, p.end) for p in protected_spans(text)]
        assert not [f for f in findings for a, b in guarded if f.start < b and a < f.end]
    fixed = fix(text, format=fmt)  # type: ignore[arg-type]
    assert fixed.count("\n") >= text.count("\n") - sum(f.spun.count("\n") for f in findings)


@settings(max_examples=EXAMPLES or FAST_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_texts(), st.sampled_from(["text", "markdown", "html"]))
def test_any_text_scans_into_findings_that_are_its_own(text: str, fmt: str) -> None:
    _own_findings(text, fmt)


@pytest.mark.slow
@settings(max_examples=SLOW_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_texts(), st.sampled_from(["text", "markdown", "html"]))
def test_any_text_scans_into_findings_that_are_its_own_more(text: str, fmt: str) -> None:
    _own_findings(text, fmt)


@settings(max_examples=EXAMPLES or 500, deadline=None)
@given(st.binary(max_size=80), st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-32", "cp932", "utf-7", "latin-1"]))
def test_bytes_are_read_and_written_back_unchanged_or_refused(data: bytes, codec: str) -> None:
    try:
        doc = decode(data, "x", codec)
    except InputError as exc:
        assert "\n" not in str(exc)
        return
    assert doc.encoded(doc.text) == data


@settings(max_examples=EXAMPLES or 300, deadline=None)
@given(
    st.text(alphabet=st.sampled_from("ab c≒①\\\nx+-é日"), max_size=30),
    st.sampled_from(["cp932", "utf-7", "unicode_escape", "shift_jis", "iso2022_jp"]),
    st.data(),
)
def test_edits_in_bytes_that_do_not_round_trip_keep_the_rest(text: str, codec: str, data: st.DataObject) -> None:
    raw = text.encode(codec, "ignore") + ("≒".encode("cp932") if codec == "cp932" else b"")
    try:
        doc = decode(raw, "x", codec)
    except InputError:
        return
    start = data.draw(st.integers(0, len(doc.text)))
    end = data.draw(st.integers(start, len(doc.text)))
    edit = Edit(start, end, doc.text[start:end], data.draw(st.sampled_from(["", "soldiers", "May", " "])))
    new = doc.text[:start] + edit.replacement + doc.text[end:]
    try:
        written = doc.encoded(new, [edit])
    except (InputError, UnicodeEncodeError):
        return
    assert codecs.decode(written, doc.encoding) == new
    if doc.raw is not None and codec in ("cp932", "shift_jis"):  # stateless: the bytes either side are the same
        head, tail = len(doc.text[:start].encode(codec)), len(doc.text[end:].encode(codec))
        assert written[:head] == doc.raw[:head] and written[len(written) - tail :] == doc.raw[len(doc.raw) - tail :]


# ---------------------------------------------------------------- point 8: fixing is idempotent


@settings(max_examples=FAST_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_texts())
def test_a_second_fix_changes_nothing(text: str) -> None:
    _fixed_once_for_all(text)


@pytest.mark.slow
@settings(max_examples=SLOW_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_texts())
def test_a_second_fix_changes_nothing_more(text: str) -> None:
    _fixed_once_for_all(text)


def _fixed_once_for_all(text: str) -> None:
    once = fix(text)
    assert fix(once) == once


def test_the_checker_accepts_a_suggestion_the_files_encoding_cannot_hold() -> None:
    # A finding in a Latin-1 HTML file may suggest "it’s" (the prose read "&rsquo;"): the fixer cannot
    # write it, so it is not in the output; the checker must judge the rest, not crash encoding it.
    text = "It is a squaddie's day."
    file = FuzzFile("f.html", text.encode("latin-1"), text, "latin-1")
    finding = {"start": 8, "end": 22, "suggestions": ["soldier’s day"]}  # "squaddie's day"
    assert outside_edits_kept(file, file.data, [finding])
    assert not outside_edits_kept(file, b"It is a soldier day.", [finding])
