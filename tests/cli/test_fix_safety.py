"""`repair fix` never loses or damages a byte (issue 12): outputs over inputs, backups, symlinks, modes, temp files."""

from __future__ import annotations

import os
import stat
import textwrap
from pathlib import Path

import pytest

from repair.cli import ExitCode
from repair.core.engine import Engine, fix

from ..conftest import SPUN_SEED
from .helpers import DOC, _tree, assert_one_error, run, snapshot

# ---------------------------------------------------------------- 1. writing over an input is --in-place only


@pytest.mark.parametrize("force", [[], ["--force"]])
@pytest.mark.parametrize("output", ["doc.txt", "./doc.txt", "hard.txt", "link.txt"])
def test_fix_o_onto_its_own_input_is_refused(
    capsys: pytest.CaptureFixture[str], wl: Path, doc: Path, output: str, force: list[str]
) -> None:
    os.link(doc, "hard.txt")
    os.symlink("doc.txt", "link.txt")
    before = snapshot(doc.parent)
    result = run(capsys, "fix", "doc.txt", "-o", output, *force, "--wordlist", str(wl))
    assert_one_error(result, str(Path(output)), "is the input doc.txt", "--in-place")
    assert snapshot(doc.parent) == before


@pytest.mark.parametrize("force", [[], ["--force"]])
@pytest.mark.parametrize(("inputs", "output_dir"), [(["articles"], "articles"), (["articles/a.txt"], "articles")])
def test_fix_output_dir_onto_the_inputs_is_refused(
    capsys: pytest.CaptureFixture[str], wl: Path, tmp_path: Path, inputs: list[str], output_dir: str, force: list[str]
) -> None:
    _tree(tmp_path)
    before = snapshot(tmp_path)
    result = run(capsys, "fix", *inputs, "--output-dir", output_dir, *force, "--wordlist", str(wl))
    assert_one_error(result, "is the input", "--in-place")
    assert snapshot(tmp_path) == before


# ---------------------------------------------------------------- 2. a backup is never replaced


def test_repeated_in_place_runs_keep_the_first_backup(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    first, second = tmp_path / "first.txt", tmp_path / "second.txt"
    first.write_text("squaddie -> soldier\n")
    second.write_text("in opposition to -> against\nsquaddie -> soldier\n")
    Path("a.txt").write_text(DOC)
    assert run(capsys, "fix", "a.txt", "--in-place", "--wordlist", str(first)).code == ExitCode.OK
    once = Path("a.txt").read_text()
    assert once != DOC and Path("a.txt.bak").read_text() == DOC
    # Nothing new to fix: nothing is written and nothing is asked.
    assert run(capsys, "fix", "a.txt", "--in-place", "--wordlist", str(first)).code == ExitCode.OK
    # More to fix: refused without --force; following the advice keeps the first backup.
    refused = run(capsys, "fix", "a.txt", "--in-place", "--wordlist", str(second))
    assert_one_error(refused, "a.txt.bak", "never replaced")
    assert Path("a.txt").read_text() == once
    forced = run(capsys, "fix", "a.txt", "--in-place", "--force", "--wordlist", str(second))
    assert forced.code == ExitCode.OK
    assert "against" in Path("a.txt").read_text()
    assert Path("a.txt.bak").read_text() == DOC


def test_a_backup_equal_to_the_file_is_not_in_the_way(capsys: pytest.CaptureFixture[str], wl: Path) -> None:
    # What a run killed between writing the backup and the file leaves.
    Path("a.txt").write_text(DOC)
    Path("a.txt.bak").write_text(DOC)
    assert run(capsys, "fix", "a.txt", "--in-place", "--wordlist", str(wl)).code == ExitCode.OK
    assert Path("a.txt").read_text() != DOC
    assert Path("a.txt.bak").read_text() == DOC


def test_in_place_refuses_a_file_changed_since_it_was_read(
    capsys: pytest.CaptureFixture[str], wl: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import repair.cli.fix as fix_command

    Path("a.txt").write_text(DOC)
    real = fix_command._fix_one

    def meanwhile(*args: object, **kwargs: object) -> object:
        Path("a.txt").write_text(DOC + "A line someone just added.\n")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(fix_command, "_fix_one", meanwhile)
    result = run(capsys, "fix", "a.txt", "--in-place", "--wordlist", str(wl))
    assert_one_error(result, "a.txt", "changed on disk")
    assert Path("a.txt").read_text() == DOC + "A line someone just added.\n"
    assert not Path("a.txt.bak").exists()


# ---------------------------------------------------------------- 4. symlinks


def test_in_place_on_a_symlink_fixes_the_real_file_and_keeps_the_link(
    capsys: pytest.CaptureFixture[str], wl: Path, engine: Engine, tmp_path: Path
) -> None:
    (tmp_path / "real").mkdir()
    real = tmp_path / "real" / "doc.txt"
    real.write_text(DOC)
    os.symlink(real, "link.txt")
    assert run(capsys, "fix", "link.txt", "--in-place", "--wordlist", str(wl)).code == ExitCode.OK
    assert os.path.islink("link.txt") and os.readlink("link.txt") == str(real)
    assert real.read_text() == fix(DOC, engine)[0]
    assert Path("link.txt.bak").read_text() == DOC and not Path("link.txt.bak").is_symlink()


def test_o_onto_a_dangling_symlink_needs_force_and_then_writes_through_it(
    capsys: pytest.CaptureFixture[str], wl: Path, doc: Path, engine: Engine
) -> None:
    os.symlink("target.txt", "out.txt")
    refused = run(capsys, "fix", "doc.txt", "-o", "out.txt", "--wordlist", str(wl))
    assert_one_error(refused, "out.txt", "already exists", "--force")
    assert os.path.islink("out.txt") and not os.path.exists("target.txt")
    assert run(capsys, "fix", "doc.txt", "-o", "out.txt", "--force", "--wordlist", str(wl)).code == ExitCode.OK
    assert os.path.islink("out.txt")
    assert Path("target.txt").read_text() == fix(DOC, engine)[0]


# ---------------------------------------------------------------- 5. modes


def _mode(path: str | Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_every_output_keeps_the_inputs_mode(capsys: pytest.CaptureFixture[str], wl: Path, tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        Path("in").mkdir()
        Path("out").mkdir()
        for name in ("a.txt", "b.txt"):
            Path("in", name).write_text(DOC)
            os.chmod(Path("in", name), 0o600)
        assert run(capsys, "fix", "in/a.txt", "-o", "o.txt", "--wordlist", str(wl)).code == ExitCode.OK
        assert run(capsys, "fix", "in", "--output-dir", "out", "--wordlist", str(wl)).code == ExitCode.OK
        assert run(capsys, "fix", "in", "--in-place", "--wordlist", str(wl)).code == ExitCode.OK
    finally:
        os.umask(old)
    for path in ("o.txt", "out/a.txt", "out/b.txt", "in/a.txt", "in/a.txt.bak", "in/b.txt.bak"):
        assert _mode(path) == 0o600, path


def test_an_output_replaced_with_force_is_never_made_wider(capsys: pytest.CaptureFixture[str], wl: Path) -> None:
    Path("a.txt").write_text(DOC)
    Path("o.txt").write_text("old")
    os.chmod("o.txt", 0o600)
    assert run(capsys, "fix", "a.txt", "-o", "o.txt", "--force", "--wordlist", str(wl)).code == ExitCode.OK
    assert _mode("o.txt") == 0o600


# ---------------------------------------------------------------- 15. temporary files a kill leaves


def _dead_pid() -> int:
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)
    return pid


def test_temporary_files_of_a_killed_run_are_removed_and_never_block(
    capsys: pytest.CaptureFixture[str], wl: Path
) -> None:
    Path("a.txt").write_text(DOC)
    Path("out").mkdir()
    dead = _dead_pid()
    stale = [Path(f".a.txt.repair-tmp-{dead}-x1y2z3"), Path(f"out/.a.txt.repair-tmp-{dead}-abcd")]
    alive = Path(f".a.txt.repair-tmp-{os.getppid()}-live")  # a running process's: left alone
    for path in (*stale, alive):
        path.write_text("half a file")
    assert run(capsys, "fix", "a.txt", "--output-dir", "out", "--wordlist", str(wl)).code == ExitCode.OK
    assert run(capsys, "fix", "a.txt", "--in-place", "--wordlist", str(wl)).code == ExitCode.OK
    assert not any(p.exists() for p in stale)
    assert alive.exists()
    assert sorted(p.name for p in Path("out").iterdir()) == ["a.txt"]


# ---------------------------------------------------------------- 6. line breaks inside a matched phrase


def test_a_phrase_over_a_line_break_keeps_it(capsys: pytest.CaptureFixture[str], wl: Path) -> None:
    Path("wrapped.txt").write_bytes(b"The squaddies argued in opposition\r\nto the plan in Would\r\npossibly.\r\n")
    result = run(capsys, "fix", "wrapped.txt", "--wordlist", str(wl), "--safety", "choose")
    assert result.out == "The soldiers argued \r\nagainst the plan in \r\nMay.\r\n"


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_the_wrapped_seed_loses_no_line_break(capsys: pytest.CaptureFixture[str], newline: str) -> None:
    """The issue's measurement: the spun seed wrapped at 72 columns lost 18 of 103 line breaks."""
    paragraphs = SPUN_SEED.read_text(encoding="utf-8").split("\n")
    wrapped = newline.join(textwrap.fill(p, 72).replace("\n", newline) if p.strip() else p for p in paragraphs)
    Path("seed.txt").write_bytes(wrapped.encode())
    result = run(capsys, "fix", "seed.txt", "-o", "out.txt", "--no-user-lists")
    assert result.code == ExitCode.OK and "fixes applied" in result.err
    fixed = Path("out.txt").read_bytes().decode()
    assert fixed != wrapped
    assert (fixed.count("\n"), fixed.count("\r\n")) == (wrapped.count("\n"), wrapped.count("\r\n"))
    assert fixed.count(newline * 2) == wrapped.count(newline * 2)  # no paragraph break made either


# ---------------------------------------------------------------- 7. URLs, addresses and code are never changed

PROTECTED = (
    "Write to squaddies@example.com, see www.squaddies.co.uk or https://x.y/squaddies-killed-in-motion today.\n"
    "Code: `in opposition to` and squaddies.co.uk/news stay.\n"
    "```\nsquaddies in opposition to\n```\n"
    "The squaddies stood in opposition to it.\n"
)


@pytest.mark.parametrize("name", ["notes.txt", "notes.md"])
def test_urls_addresses_and_code_are_never_changed(capsys: pytest.CaptureFixture[str], wl: Path, name: str) -> None:
    extra = "Read [the story](https://x.y/squaddies-killed-in-motion).\n" if name.endswith(".md") else ""
    Path(name).write_text(PROTECTED + extra)
    result = run(capsys, "fix", name, "--wordlist", str(wl))
    expected = PROTECTED.replace("The squaddies stood in opposition to", "The soldiers stood against") + extra
    assert (result.code, result.out) == (ExitCode.OK, expected)
