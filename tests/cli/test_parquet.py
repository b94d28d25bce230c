"""`check --format parquet -o FILE`: a row per finding (the JSON output's fields) and per document; queryable."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .helpers import CLEAN, DOC, assert_one_error, run

pq = pytest.importorskip("pyarrow.parquet")


def _corpus() -> None:
    Path("docs").mkdir()
    Path("docs/a.txt").write_text(DOC)
    Path("docs/b.txt").write_text(CLEAN)
    Path("docs/blob.txt").write_bytes(b"\x89PNG\x00\x00")
    Path("docs/bad.txt").write_bytes(b"caf\xe9 squaddies\n")


def test_the_table_holds_what_json_reports_and_a_row_per_document(capsys, wl: Path) -> None:
    _corpus()
    as_json = run(capsys, "check", "--format", "json", "--risk", "--wordlist", str(wl), "docs")
    result = run(capsys, "check", "--format", "parquet", "-o", "r.parquet", "--wordlist", str(wl), "docs")
    assert result.code == as_json.code == 2 and result.out == ""  # bad.txt is not UTF-8
    table = pq.read_table("r.parquet")
    assert table.schema.metadata[b"repair.schema"] == b"1"
    rows = table.to_pylist()
    findings = [r for r in rows if r["kind"] == "finding"]
    expected = [j for j in map(json.loads, as_json.out.splitlines()) if "risk" not in j]
    assert [{k: r[k] for k in j if k != "schema"} for r, j in zip(findings, expected, strict=True)] == [
        {k: v for k, v in j.items() if k != "schema"} for j in expected
    ]
    documents = {r["path"]: r for r in rows if r["kind"] == "document"}
    assert list(documents) == ["docs/a.txt", "docs/b.txt", "docs/bad.txt", "docs/blob.txt"]
    risks = {j["path"]: j["risk"] for j in map(json.loads, as_json.out.splitlines()) if "risk" in j}
    a = documents["docs/a.txt"]
    assert (a["words"], a["findings"], a["risk"]) == (risks["docs/a.txt"]["words"], len(expected), "high")
    assert a["spin_score"] == pytest.approx(1000 * sum(j["confidence"] for j in expected) / a["words"], abs=0.01)
    assert documents["docs/b.txt"]["findings"] == 0 and documents["docs/b.txt"]["error"] is None
    assert "not valid utf-8" in documents["docs/bad.txt"]["error"] and documents["docs/bad.txt"]["words"] is None
    assert "binary" in documents["docs/blob.txt"]["warning"]
    assert sorted(p.name for p in Path().iterdir()) == ["docs", "list.txt", "r.parquet"]  # no temporary file left


def test_duckdb_queries_the_table(capsys, wl: Path) -> None:
    duckdb = pytest.importorskip("duckdb")
    _corpus()
    run(capsys, "check", "--format", "parquet", "-o", "r.parquet", "--wordlist", str(wl), "docs")
    auto = run(capsys, "check", "--format", "json", "--safety", "auto", "--wordlist", str(wl), "docs").out.count("\n")
    query = "SELECT path, count(*) FROM 'r.parquet' WHERE kind = 'finding' AND safety = 'auto' GROUP BY path"
    assert duckdb.sql(query).fetchall() == [("docs/a.txt", auto)] and auto > 0


def test_the_output_is_checked_before_anything_is_scanned(capsys, wl: Path) -> None:
    Path("a.txt").write_text(DOC)
    assert_one_error(run(capsys, "check", "--format", "parquet", "a.txt"), "give -o FILE")
    assert_one_error(run(capsys, "check", "-o", "r.parquet", "a.txt"), "-o is for --format parquet")
    Path("r.parquet").write_text("mine")
    assert_one_error(run(capsys, "check", "--format", "parquet", "-o", "r.parquet", "a.txt"), "r.parquet", "--force")
    assert Path("r.parquet").read_text() == "mine"
    result = run(capsys, "check", "--format", "parquet", "-o", "r.parquet", "--force", "--wordlist", str(wl), "a.txt")
    findings = run(capsys, "check", "--format", "json", "--wordlist", str(wl), "a.txt").out.count("\n")
    assert result.code == 1 and pq.read_table("r.parquet").num_rows == findings + 1 > 1  # and a document row
