"""What the scan works out once and reuses gives what working it out afresh gives.

The settling pass scores the fixed text with the first pass's memos (language-model gains, thesaurus
options), the scorer leaves out spans no caller wants, and the word table, the LM's batched windows
and the thesaurus ranking replace per-word loops: each is checked here against the plain computation.
"""

from __future__ import annotations

import random
import re
from functools import cache

import pytest
from hypothesis import given
from hypothesis import strategies as st

from repair.core import engine as engine_module
from repair.core import text as text_module
from repair.core.candidates import THESAURUS_OPTIONS, thesaurus_spans, thesaurus_static
from repair.core.discover import _prepare, _sentence_starts, ranked, ranking, sites
from repair.core.engine import THESAURUS_FLOOR, Engine
from repair.core.lm import load
from repair.core.model import Edit, Safety
from repair.core.text import WORD_RE, lowered, phrase_key, words_after, words_before, words_between, words_of

from ..conftest import CLEAN_SEED, SPUN_SEED
from ..fuzzing import random_text


@cache
def engine() -> Engine:
    return Engine()


@cache
def sentences() -> tuple[str, ...]:
    text = SPUN_SEED.read_text(encoding="utf-8") + "\n" + CLEAN_SEED.read_text(encoding="utf-8")
    return tuple(s for s in re.split(r"(?<=[.!?\n])\s+", text) if s.strip())


def mixed_text(seed: int) -> str:
    """Sentences of the spun and the clean seed in a random order, with random spun phrases and odd characters."""
    rng = random.Random(seed)
    pieces = [rng.choice(sentences()) for _ in range(rng.choice((5, 20, 60)))]
    for _ in range(rng.randrange(4)):
        pieces.insert(rng.randrange(len(pieces) + 1), random_text(rng, rng.choice((5, 20))))
    return rng.choice((" ", "\n", "\n\n")).join(pieces)


class _Fresh(engine_module._Document):
    """A document that shares nothing with the one it is a fixed version of."""

    def __init__(self, text: str, earlier: engine_module._Document | None = None) -> None:
        super().__init__(text)


@pytest.mark.parametrize("seed", range(12))
def test_settling_with_the_first_passes_memos_gives_what_a_fresh_rescore_gives(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = mixed_text(seed)
    shared = engine().scan(text)
    monkeypatch.setattr(engine_module, "_Document", _Fresh)
    assert engine().scan(text) == shared


def test_the_mixed_texts_make_the_settling_pass_score_again(monkeypatch: pytest.MonkeyPatch) -> None:
    # Otherwise the test above would compare nothing: the fixed text must be scored in most of them.
    settled = []
    score = Engine.score

    def counting(self: Engine, *args: object, **kwargs: object) -> object:
        settled.append(bool(kwargs.get("auto_only")))
        return score(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Engine, "score", counting)
    for seed in range(12):
        engine().scan(mixed_text(seed))
    assert sum(settled) >= 8


def test_the_fixed_text_scores_the_same_with_the_first_passes_memos() -> None:
    # The whole score, every span: what the settling pass keeps of it is only its `auto` spans. The engine
    # looks closer (the thesaurus asked whatever the spin rate), so that every fixed text asks the thesaurus memo.
    eng = Engine(discover=True)
    closer = 0
    for seed in range(400, 408):
        text = mixed_text(seed)
        doc = engine_module._Document(text)
        scored = eng.score(eng._analyse(doc), doc.lm_memo)
        fixes = [f for f in eng._findings(doc, scored) if f.safety is Safety.AUTO and f.suggestions]
        fixed = engine_module.apply_edits(text, [Edit.from_finding(f) for f in fixes])
        assert fixes and doc.lm_memo
        shared, fresh = engine_module._Document(fixed, doc), engine_module._Document(fixed)
        again = eng.score(eng._analyse(shared), shared.lm_memo)
        assert again == eng.score(eng._analyse(fresh), fresh.lm_memo)
        closer += again.looked_closer
    assert closer == 8  # the thesaurus memo was asked about every fixed text


def test_a_memo_filled_by_another_text_gives_the_thesaurus_spans_the_ranking_gives() -> None:
    first, second = mixed_text(100), mixed_text(101)
    memo: dict = {}  # type: ignore[type-arg]
    thesaurus_spans(first, lowered(first), [], memo=memo)
    assert memo
    reused = thesaurus_spans(second, lowered(second), [], memo=memo)
    expected = []  # what `ranked` says of each site, as the thesaurus pass makes spans of it
    for start, end, word, _, left, right in sites(second, lowered(second), []):
        pairs = [(o, rank) for rank, o in enumerate(ranked(word, left, right)[:THESAURUS_OPTIONS])]
        pairs = [(o, rank) for o, rank in pairs if " ".join(phrase_key(o.form)) not in ("", word)]
        if pairs:
            originals = [" ".join(phrase_key(o.form)) for o, _ in pairs]
            statics = [thesaurus_static(word, x, o.share, rank) for x, (o, rank) in zip(originals, pairs, strict=True)]
            expected.append(
                (start, end, word, originals, [o.form for o, _ in pairs], statics, [o.lm_gain for o, _ in pairs])
            )
    assert [
        (s.start, s.end, s.spun, [o.original for o in s.options], [o.wording for o in s.options],
         [o.features for o in s.options], list(s.lm))
        for s in reused
    ] == expected  # fmt: skip
    assert all(s.thesaurus and {o.rule for o in s.options} == {f"thesaurus:{s.spun}"} for s in reused)


@pytest.mark.parametrize("seed", range(4))
def test_the_scorer_leaves_out_exactly_the_spans_it_is_told_to(seed: int) -> None:
    text = mixed_text(200 + seed)
    found = engine().analyse(text)
    full = engine().score(found, {}).spans
    auto = engine().score(found, {}, auto_only=True).spans
    floored = engine().score(found, {}, thesaurus_floor=THESAURUS_FLOOR).spans
    assert any(s.span.thesaurus for s in full) and any(s.span.thesaurus and s.confidence < 0.3 for s in full)
    assert auto == tuple(s for s in full if s.safety is Safety.AUTO)
    assert floored == tuple(s for s in full if not (s.span.thesaurus and s.confidence < THESAURUS_FLOOR))


def test_batched_windows_are_the_windows_one_at_a_time() -> None:
    model = load()
    middles = [("round",), ("spherical",), ("a", "round"), ("zzqxv",), ("</s>",), ("<s>", "the"), ()]
    for left in [(), ("<s>",), ("held", "a"), ("a",), ("zzqxv", "of")]:
        for right in [(), ("</s>",), ("of", "talks", "with"), ("zzqxv",)]:
            assert model.windows(left, middles, right) == [model.window(left, m, right) for m in middles]


def test_the_ranking_is_the_ranked_candidates_order() -> None:
    for word, left, right in [("spherical", ("held", "a"), ("of", "talks")), ("spherical", ("<s>",), ("</s>",))]:
        known = _prepare(word)
        assert known is not None
        order, gains = ranking(known, left, right)
        expected = ranked(word, left, right)
        assert [known.options[c][0] for c in order] == [o.form for o in expected]
        assert [gains[c] for c in order] == [o.lm_gain for o in expected]


def _sentence_starts_by_search(low: str) -> list[bool]:
    """The definition: the first word, and the first word after each sentence end (. ! ? or a line break)."""
    firsts = [m.start() for m in WORD_RE.finditer(low)]
    starts = [False] * len(firsts)
    if firsts:
        starts[0] = True
        for m in re.finditer(r"[.!?\n]", low[firsts[0] :]):
            later = [k for k, f in enumerate(firsts) if f > m.start() + firsts[0]]
            if later:
                starts[later[0]] = True
    return starts


@given(st.text(alphabet=st.sampled_from("ab Z.!?\n\r,'’-\u2028é2"), max_size=60))
def test_sentence_starts_from_the_word_table(text: str) -> None:
    low = lowered(text)
    table = words_of(low)
    assert table.words == WORD_RE.findall(low)
    assert [(s, e) for s, e in zip(table.starts, table.ends, strict=False)] == [m.span() for m in WORD_RE.finditer(low)]
    assert _sentence_starts(table) == _sentence_starts_by_search(low)


@pytest.mark.parametrize("seed", range(3))
def test_sites_and_matches_are_the_same_with_a_shared_word_table(seed: int) -> None:
    text = mixed_text(300 + seed)
    low = lowered(text)
    table = words_of(low)
    matcher = engine().matcher
    assert matcher.find(low, engine().vocabulary, None, table) == matcher.find(low, engine().vocabulary)
    assert list(sites(text, low, [], table=table)) == list(sites(text, low, []))


@given(
    st.text(alphabet=st.sampled_from("ab Zé2.'’-\n"), max_size=40),
    st.integers(0, 45),
    st.integers(0, 12),
    st.integers(1, 3),
)
def test_neighbouring_words_from_the_word_table(text: str, offset: int, reach: int, n: int) -> None:
    low = lowered(text)
    offset = min(offset, len(low))
    table = words_of(low)
    assert words_before(low, table, offset, reach, n) == words_between(low, max(0, offset - reach), offset)[-n:]
    assert words_after(low, table, offset, reach, n) == words_between(low, offset, offset + reach)[:n]


def test_neighbouring_words_from_the_table_without_falling_back() -> None:
    # Most spans have both neighbours whole within reach: then the table answers alone.
    low = lowered("Officials held a spherical of talks with the union on Monday.")
    table = words_of(low)
    at = low.index("spherical")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(text_module, "words_between", None)  # not asked
        assert words_before(low, table, at, 48, 2) == ["held", "a"]
        assert words_after(low, table, at + len("spherical"), 48, 2) == ["of", "talks"]
