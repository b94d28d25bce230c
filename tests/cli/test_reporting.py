"""What check reports by default (a clean file passes), inline suppression, and which files a walk takes."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from repair.cli import ExitCode
from repair.edge.reporting import REPORT_THRESHOLD, suppressed_lines

from ..conftest import CLEAN_SEED, SPUN_SEED
from .helpers import DOC, _json_findings, _json_paths, run

# ---------------------------------------------------------------- the reporting threshold


def test_the_clean_seed_passes_by_default_and_all_shows_the_doubts(capsys: pytest.CaptureFixture[str]) -> None:
    clean = run(capsys, "check", str(CLEAN_SEED), "--risk", "--format", "json")
    assert clean.code == ExitCode.OK
    risk = json.loads(clean.out.splitlines()[-1])["risk"]
    assert risk["level"] == "none"  # graded on what is reported, not on the engine's doubts
    everything = run(capsys, "check", str(CLEAN_SEED), "--all", "--format", "json")
    doubts = _json_findings(everything)
    assert everything.code == ExitCode.FINDINGS and doubts
    assert all(f["confidence"] < REPORT_THRESHOLD for f in doubts)
    lowest = min(float(f["confidence"]) for f in doubts)  # type: ignore[arg-type]
    overridden = run(capsys, "check", str(CLEAN_SEED), "--threshold", str(lowest), "--format", "json")
    assert overridden.code == ExitCode.FINDINGS and len(_json_findings(overridden)) >= 1


def test_the_spun_seed_still_fails_by_default(capsys: pytest.CaptureFixture[str]) -> None:
    spun = run(capsys, "check", str(SPUN_SEED), "--format", "json")
    assert spun.code == ExitCode.FINDINGS and len(_json_findings(spun)) > 200


def test_threshold_from_a_config_file_and_all_on_the_command_line(
    capsys: pytest.CaptureFixture[str], wl: Path, doc: Path
) -> None:
    Path(".repair.toml").write_text(f'wordlist = ["{wl}"]\nthreshold = 1.0\nformat = "json"\n')
    assert run(capsys, "check", "doc.txt", config=True).code == ExitCode.OK
    assert _json_findings(run(capsys, "check", "doc.txt", "--all", config=True))


# ---------------------------------------------------------------- inline suppression


def test_suppressed_lines_by_marker_in_any_comment_syntax() -> None:
    text = "a\nb <!-- repair: ignore -->\n# repair: off\nc\nd // repair:on\ne\n% Repair: OFF\nf\n"
    assert suppressed_lines(text) == {2, 3, 4, 5, 7, 8, 9}
    assert suppressed_lines("no markers, only repair work\n") == frozenset()


def test_ignore_and_off_on_silence_findings_in_check_and_fix(
    capsys: pytest.CaptureFixture[str], wl: Path, tmp_path: Path
) -> None:
    text = (
        "The squaddies argued.  <!-- repair: ignore -->\n"
        "The squaddies agreed.\n"
        "# repair: off\n"
        "The squaddies left.\n"
        "# repair: on\n"
        "The squaddies came back.\n"
    )
    Path("doc.md").write_text(text)
    found = _json_findings(run(capsys, "check", "doc.md", "--wordlist", str(wl), "--format", "json"))
    assert [f["line"] for f in found] == [2, 6]
    fixed = run(capsys, "fix", "doc.md", "--wordlist", str(wl)).out
    assert fixed.splitlines()[0] == "The squaddies argued.  <!-- repair: ignore -->"
    assert "The soldiers agreed." in fixed and "The squaddies left." in fixed and "The soldiers came back." in fixed


# ---------------------------------------------------------------- walks: --exclude and .gitignore


def _project(root: Path) -> None:
    for name in ("notes/a.txt", "notes/drafts/b.txt", "build/c.txt", "keep/d.md", "keep/e.log.txt", "page.html"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(DOC)
    (root / ".gitignore").write_text("build/\n*.log.txt\n")
    (root / "notes" / ".gitignore").write_text("drafts/\n")


def test_walks_respect_gitignore_unless_no_ignore_vcs(
    capsys: pytest.CaptureFixture[str], wl: Path, tmp_path: Path
) -> None:
    _project(tmp_path / "proj")
    subprocess.run(["git", "init", "-q", str(tmp_path / "proj")], check=True)
    walked = _json_paths(run(capsys, "check", "proj", "--wordlist", str(wl), "--format", "json", "--all"))
    assert sorted(set(walked)) == ["proj/keep/d.md", "proj/notes/a.txt", "proj/page.html"]
    # From a subfolder, the repository's .gitignore above it still applies.
    below = _json_paths(run(capsys, "check", "proj/keep", "--wordlist", str(wl), "--format", "json", "--all"))
    assert sorted(set(below)) == ["proj/keep/d.md"]
    everything = run(capsys, "check", "proj", "--wordlist", str(wl), "--format", "json", "--no-ignore-vcs", "--all")
    assert len(set(_json_paths(everything))) == 6


def test_exclude_patterns_are_repeatable_and_gitignore_style(
    capsys: pytest.CaptureFixture[str], wl: Path, tmp_path: Path
) -> None:
    _project(tmp_path / "proj")
    args = ("--wordlist", str(wl), "--format", "json", "--no-ignore-vcs", "--all")
    walked = _json_paths(run(capsys, "check", "proj", "--exclude", "notes/", "--exclude", "*.html", *args))
    assert sorted(set(walked)) == ["proj/build/c.txt", "proj/keep/d.md", "proj/keep/e.log.txt"]
    named = _json_paths(run(capsys, "check", "proj/page.html", "--exclude", "*.html", *args))
    assert set(named) == {"proj/page.html"}  # a file named on the command line is always taken
