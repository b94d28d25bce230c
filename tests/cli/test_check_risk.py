"""`repair check --risk` (tortured-phrase risk score) and `--recall-mode`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from repair.cli import ExitCode
from repair.cli.report import JSON_SCHEMA
from repair.core.engine import Engine
from repair.core.model import Safety
from repair.core.risk import count_words, risk_score

from .helpers import (
    CLEAN,
    DOC,
    LINE,
    run,
)

# ---------------------------------------------------------------- check --risk


def test_check_risk_prints_a_line_per_file(
    capsys: pytest.CaptureFixture[str], wl: Path, doc: Path, engine: Engine
) -> None:
    Path("clean.txt").write_text(CLEAN)
    result = run(capsys, "check", "doc.txt", "clean.txt", "--wordlist", str(wl), "--risk", "--all")
    assert result.code == ExitCode.FINDINGS
    lines = result.out.splitlines()
    findings = engine.scan(DOC)
    score = risk_score(findings, count_words(DOC))
    assert score.phrases == len(findings) >= 4 and score.words == count_words(DOC) > 0
    assert lines[len(findings)] == f"doc.txt: {score.summary()}"
    assert lines[len(findings) + 1 :] == [f"clean.txt: {risk_score([], count_words(CLEAN)).summary()}"]
    assert "risk: none" in lines[-1]
    assert all(LINE.match(line) for line in lines[: len(findings)])
    assert not any("risk" in line for line in run(capsys, "check", "doc.txt", "--wordlist", str(wl)).out.splitlines())
    clean_only = run(capsys, "check", "clean.txt", "--wordlist", str(wl), "--risk")
    assert clean_only.code == ExitCode.OK  # a risk line is no finding


def test_check_risk_json_line_and_filters(
    capsys: pytest.CaptureFixture[str], wl: Path, doc: Path, engine: Engine
) -> None:
    result = run(capsys, "check", "doc.txt", "--wordlist", str(wl), "--risk", "--format", "json", "--all")
    records = [json.loads(line) for line in result.out.splitlines()]
    findings = engine.scan(DOC)
    assert records[-1] == {
        "schema": JSON_SCHEMA,
        "path": "doc.txt",
        "risk": risk_score(findings, count_words(DOC)).to_dict(),
    }
    assert len(records) == len(findings) + 1 and all("risk" not in r for r in records[:-1])
    auto = run(
        capsys, "check", "doc.txt", "--wordlist", str(wl), "--risk", "--format", "json", "--safety", "auto", "--all"
    )
    shown = [f for f in findings if f.safety is Safety.AUTO]
    assert 0 < len(shown) < len(findings)
    assert json.loads(auto.out.splitlines()[-1])["risk"] == risk_score(shown, count_words(DOC)).to_dict()


def test_check_risk_is_the_same_in_parallel(capsys: pytest.CaptureFixture[str], wl: Path, tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(5):
        (folder / f"f{i}.txt").write_text("Filler words here. " * i + DOC)
    serial = run(capsys, "check", "many", "--wordlist", str(wl), "--risk", "--format", "json", "-j", "1")
    parallel = run(capsys, "check", "many", "--wordlist", str(wl), "--risk", "--format", "json", "-j", "2")
    assert parallel.out == serial.out
    words = [json.loads(line)["risk"]["words"] for line in serial.out.splitlines() if "risk" in json.loads(line)]
    assert words == [count_words("Filler words here. " * i + DOC) for i in range(5)]


def test_recall_mode_applies_confident_choices_that_plain_fix_leaves(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from repair.cli.common import recall_selection
    from repair.core.engine import fix

    from ..conftest import SPUN_SEED

    text = SPUN_SEED.read_text(encoding="utf-8")
    Path("doc.txt").write_text(text, encoding="utf-8")
    plain = run(capsys, "fix", "doc.txt", "-o", "-")
    recall = run(capsys, "fix", "doc.txt", "-o", "-", "--recall-mode")
    assert recall.code == ExitCode.OK and recall.out != plain.out
    # what recall mode adds is the choices at least even, which plain fix leaves for a reviewer
    expected, applied = fix(text, Engine(discover=True), recall_selection(0.0))
    assert recall.out == expected
    assert any(f.safety is Safety.CHOOSE and f.confidence >= 0.5 for f in applied)


def test_a_tortured_phrase_list_gets_its_risk_score_without_asking(capsys: pytest.CaptureFixture[str]) -> None:
    science = Path("science.txt")
    science.write_text("# kind: tortured-phrases\ncounterfeit consciousness -> artificial intelligence\n")
    Path("paper.txt").write_text("We apply counterfeit consciousness to the data.\n")
    lines = run(capsys, "check", "paper.txt", "--wordlist", str(science), "--no-user-lists").out.splitlines()
    assert lines[-1].startswith("paper.txt: tortured-phrase risk: ")
    plain = Path("plain.txt")
    plain.write_text("counterfeit consciousness -> artificial intelligence\n")
    lines = run(capsys, "check", "paper.txt", "--wordlist", str(plain), "--no-user-lists").out.splitlines()
    assert not any("risk" in line for line in lines)
