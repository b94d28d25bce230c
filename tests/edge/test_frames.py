"""The data teams' API (repair.scan_bag, repair.scan_frame): the rows of the results table, computed anywhere."""

from __future__ import annotations

import pytest

import repair
from repair.edge.reporting import REPORT_THRESHOLD
from repair.edge.table import NAMES, document_row, finding_row

db = pytest.importorskip("dask.bag")
dd = pytest.importorskip("dask.dataframe")
pd = pytest.importorskip("pandas")

TEXTS = {
    "a": "The squaddies argued in opposition to the plan in Would possibly.\n",
    "b": "Nothing to see here.\n",
    "c": "<p>The squaddies left <a href='/squaddies'>at dawn</a>.</p>",
}


def _expected(ident: str, text: str, fmt: str = "text") -> list[dict[str, object]]:
    found = repair.scan(text, format=fmt)  # type: ignore[arg-type]
    assert all(f.confidence >= REPORT_THRESHOLD for f in found)
    rows = [finding_row(ident, f) for f in found]
    rows.append(document_row(ident, found, repair.core.risk.count_words(text)))
    return [dict(zip(NAMES, row, strict=True)) for row in rows]


def test_a_bag_gives_each_texts_findings_then_its_document_row() -> None:
    bag = db.from_sequence([*TEXTS.items(), ("none", None), ("number", 3)], npartitions=2)
    rows = repair.scan_bag(bag).compute(scheduler="sync")
    assert rows[:-2] == [row for ident in ("a", "b", "c") for row in _expected(ident, TEXTS[ident])]
    assert [(r["path"], r["kind"], r["error"]) for r in rows[-2:]] == [
        ("none", "document", "none: no text"),
        ("number", "document", "number: not a text but int"),
    ]
    html = repair.scan_bag(db.from_sequence([("c", TEXTS["c"])]), format="html").compute(scheduler="sync")
    assert html == _expected("c", TEXTS["c"], "html") and html[0]["spun"] == "squaddies"


def test_a_dataframe_gives_the_table_of_check_format_parquet() -> None:
    frame = dd.from_pandas(pd.DataFrame({"url": list(TEXTS), "text": list(TEXTS.values())}), npartitions=2)
    table = repair.scan_frame(frame, text="text", id="url").compute(scheduler="sync")
    assert list(table.columns) == list(NAMES)
    expected = [row for ident in TEXTS for row in _expected(ident, TEXTS[ident])]
    got = [{k: (None if v is pd.NA else v) for k, v in r.items()} for r in table.to_dict("records")]
    assert [{**r, "suggestions": None if r["suggestions"] is None else list(r["suggestions"])} for r in got] == expected
    by_index = repair.scan_frame(frame["text"]).compute(scheduler="sync")
    assert list(by_index.path.unique()) == ["0", "1", "2"]


@pytest.mark.slow
def test_on_a_cluster_the_table_is_the_one_computed_here(small_wordlist) -> None:
    distributed = pytest.importorskip("distributed")
    from repair.edge.setup import EngineSettings

    texts = [TEXTS["a"] * (i + 1) for i in range(12)] + [None]
    frame = dd.from_pandas(pd.DataFrame({"text": texts}), npartitions=5)
    settings = EngineSettings(wordlists=(str(small_wordlist),))  # read here, once; sent to each worker once
    here = repair.scan_frame(frame, settings=settings).compute(scheduler="sync")
    with (
        distributed.LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=":0") as local,
        distributed.Client(local),
    ):
        there = repair.scan_frame(frame, settings=settings).compute()
        bag = repair.scan_bag(db.from_sequence(enumerate(texts), npartitions=4), settings=settings).compute()
    pd.testing.assert_frame_equal(there.reset_index(drop=True), here.reset_index(drop=True))
    assert len(here) == 3 * sum(range(1, 13)) + 13 and here.error.iloc[-1] == "12: no text"  # 3 spins a copy
    assert [r["spun"] for r in bag if r["kind"] == "finding"] == list(here.spun.dropna())
