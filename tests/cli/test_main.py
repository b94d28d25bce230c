"""`repair` as a whole: version, help, exit codes, usage and input errors, interrupts, big files, start-up."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import repair.cli.check
import repair.cli.fix
import repair.edge.batch
from repair import __version__
from repair.cli import ExitCode
from repair.edge.documents import MAX_BYTES

from ..conftest import SPUN_SEED
from .helpers import (
    DOC,
    assert_one_error,
    run,
)

# ---------------------------------------------------------------- basics


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    result = run(capsys, "--version")
    assert result.code == ExitCode.OK
    assert result.out.strip() == f"repair {__version__}"


def test_no_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    result = run(capsys)
    assert result.code == ExitCode.ERROR
    assert "check" in result.err and "fix" in result.err


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["--help"], "wordlist"),
        (["check", "--help"], "--threshold"),
        (["fix", "--help"], "--in-place"),
        (["wordlist", "check", "--help"], "FILE"),
    ],
)
def test_help(capsys: pytest.CaptureFixture[str], argv: list[str], needle: str) -> None:
    result = run(capsys, *argv)
    assert result.code == ExitCode.OK
    assert needle in result.out


def test_exit_codes_are_an_int_enum() -> None:
    assert [int(c) for c in (ExitCode.OK, ExitCode.FINDINGS, ExitCode.ERROR)] == [0, 1, 2]


# ---------------------------------------------------------------- bad input


def _denied(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    real = os.open

    def open_file(path: str | Path, *args: object, **kwargs: object) -> int:
        if Path(path).name == name:
            raise PermissionError(13, "Permission denied")
        return real(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", open_file)  # chmod is no barrier for root


@pytest.mark.parametrize("command", ["check", "fix"])
@pytest.mark.parametrize(
    ("case", "needles"),
    [
        ("missing", ["missing.txt", "no such file"]),
        ("denied", ["secret.txt", "permission denied"]),
        ("binary", ["image.txt", "binary"]),
        ("latin1", ["latin.txt", "not valid utf-8", "--encoding"]),
        ("huge", ["huge.txt", "limit"]),
        ("bad-wordlist", ["broken.txt:2:", "expected 'spun -> original'"]),
        ("missing-wordlist", ["nope.txt", "no such wordlist"]),
        ("missing-ignore", ["ignore-nope.txt", "no such file"]),
    ],
)
def test_bad_input_is_one_line_exit_2_and_touches_nothing(
    capsys: pytest.CaptureFixture[str],
    wl: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    command: str,
    case: str,
    needles: list[str],
) -> None:
    Path("secret.txt").write_text(DOC)
    Path("image.txt").write_bytes(b"GIF89a\x00\x01squaddies")
    Path("latin.txt").write_bytes("Café squaddies\n".encode("latin-1"))
    Path("broken.txt").write_text("squaddie -> soldier\nthis line has no arrow\n")
    with Path("huge.txt").open("wb") as handle:
        handle.truncate(MAX_BYTES + 1)
    Path("doc.txt").write_text(DOC)
    path, extra = {
        "missing": ("missing.txt", []),
        "denied": ("secret.txt", []),
        "binary": ("image.txt", []),
        "latin1": ("latin.txt", []),
        "huge": ("huge.txt", []),
        "bad-wordlist": ("doc.txt", ["--wordlist", "broken.txt"]),
        "missing-wordlist": ("doc.txt", ["--wordlist", "nope.txt"]),
        "missing-ignore": ("doc.txt", ["--ignore", "ignore-nope.txt"]),
    }[case]
    if case == "denied":
        _denied(monkeypatch, "secret.txt")
    before = {name: os.stat(name).st_mtime_ns for name in os.listdir(".")}
    wordlist = [] if "wordlist" in case else ["--wordlist", str(wl)]
    output = ["-o", "out.txt"] if command == "fix" else []
    result = run(capsys, command, path, *wordlist, *extra, *output)
    assert_one_error(result, *needles)
    assert result.out == ""
    assert {name: os.stat(name).st_mtime_ns for name in os.listdir(".")} == before


def test_a_non_utf8_file_is_read_with_encoding(capsys: pytest.CaptureFixture[str], wl: Path) -> None:
    Path("latin.txt").write_bytes("Café squaddies\n".encode("latin-1"))
    result = run(capsys, "check", "latin.txt", "--wordlist", str(wl), "--encoding", "latin-1", "--format", "json")
    assert [json.loads(line)["spun"] for line in result.out.splitlines()] == ["squaddies"]


def test_interrupt_exits_130_without_a_traceback(
    capsys: pytest.CaptureFixture[str], wl: Path, doc: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(repair.edge.batch, "scan_all", interrupted)  # the batch of check and fix
    for command in ("check", "fix"):
        result = run(capsys, command, "doc.txt", "--wordlist", str(wl))
        assert result.code == ExitCode.INTERRUPTED == 130
        assert result.err_lines == ["repair: error: interrupted"]
        assert doc.read_text() == DOC


@pytest.mark.slow
def test_a_50_mb_file_is_read_scanned_and_written(capsys: pytest.CaptureFixture[str], wl: Path) -> None:
    block = SPUN_SEED.read_bytes() + b"\n" + DOC.encode()
    count = 50_000_000 // len(block)
    Path("big.txt").write_bytes(block * count)
    result = run(capsys, "fix", "big.txt", "-o", "big.fixed.txt", "--wordlist", str(wl))
    assert result.code == ExitCode.OK  # fix wrote its output; what is left for review is in the summary
    fixed = Path("big.fixed.txt").read_bytes()
    assert fixed.count(b"squaddies") == 0 and block.count(b"squaddies") > 0
    assert fixed.count(b"soldiers") == block.replace(b"squaddies", b"soldiers").count(b"soldiers") * count
    assert len(fixed.splitlines()) == len(block.splitlines()) * count
    assert Path("big.txt").read_bytes() == block * count


# ---------------------------------------------------------------- other subcommands


def test_every_command_is_in_the_one_parser(capsys: pytest.CaptureFixture[str]) -> None:
    listing = run(capsys, "--help").out
    for command in ("check", "fix", "wordlist", "eval", "review", "learn", "trace"):
        assert command in listing
    assert "import-pps" in run(capsys, "wordlist", "--help").out


def test_a_commands_input_errors_are_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert_one_error(run(capsys, "wordlist", "import-pps", str(tmp_path / "x.csv")), "x.csv")
    assert_one_error(run(capsys, "wordlist"), "choose an action: check, list, import-pps")


def test_the_cli_module_imports_no_ui_until_asked() -> None:
    # Each command loads its tools when it runs, so `repair check` starts without them.
    code = "import json, sys, repair.cli; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    loaded = json.loads(out)
    assert not any(name.startswith("textual") for name in loaded)
    assert "repair.tui" not in loaded and "nltk" not in loaded
    assert not {
        "repair.tools.evaluate",
        "repair.tools.pps",
        "repair.review",
        "repair.tools.learn",
        "repair.tools.trace",
    } & set(loaded)


def test_python_dash_m_repair(tmp_path: Path, wl: Path) -> None:
    (tmp_path / "doc.txt").write_text(DOC)
    done = subprocess.run(
        [sys.executable, "-m", "repair", "check", "doc.txt", "--wordlist", str(wl), "--no-config", "-q"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert done.returncode == ExitCode.FINDINGS
    assert done.stdout.startswith("doc.txt:")
    assert done.stderr == ""


def _modules_after(tmp_path: Path, *argv: str) -> set[str]:
    """The modules a `repair` command line has imported once it is done (run twice: the first fills the cache)."""
    code = (
        "import json, sys\n"
        "from repair.cli import main\n"
        f"code = main({list(argv)!r})\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    env = {**os.environ, "REPAIR_CACHE": str(tmp_path / "cache"), "REPAIR_HOME": str(tmp_path / "home")}
    for _ in range(2):
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path)
    return set(json.loads(done.stdout.splitlines()[-1]))


def test_the_version_is_printed_without_the_engine(tmp_path: Path) -> None:
    loaded = _modules_after(tmp_path, "--version")
    assert not {"numpy", "pocketsphinx", "repair.core.engine", "repair.edge.batch", "repair.cli.check"} & loaded


def test_a_one_line_check_imports_only_what_it_runs(tmp_path: Path) -> None:
    (tmp_path / "one.txt").write_text("One short line of ordinary English text.\n", encoding="utf-8")
    loaded = _modules_after(tmp_path, "check", "one.txt")
    assert "repair.core.engine" in loaded and "repair.cli.check" in loaded  # it did check the file
    never = {
        "wordfreq",  # no word outside the language model's vocabulary
        "rapidfuzz",  # no unknown word to match nearly
        "concurrent.futures.process",  # one process
        "tomllib",  # no config file
        "tempfile",  # nothing written
        "markdown_it",
        "pathspec",  # no folder walked
        "lemminflect",
        "repair.edge.api",
        "repair.edge.cluster",
        "repair.edge.frames",
        "repair.edge.table",
        "repair.edge.fixing",
        "repair.edge.decisions",
        "repair.cli.fix",
        "repair.cli.eval",
        "repair.cli.learn",
        "repair.cli.trace",
        "repair.cli.report_html",
    }
    assert never & loaded == set()
    assert not [name for name in loaded if name.startswith(("repair.tools", "repair.review", "dask", "pyarrow"))]


def test_the_default_selection_of_the_check_report_is_what_fix_applies() -> None:
    from repair.cli.report import FIX_DEFAULT
    from repair.edge.fixing import SAFE

    assert FIX_DEFAULT == SAFE


def test_start_up_collects_the_young_generation_as_a_batch_does(tmp_path: Path) -> None:
    from repair.cli import GC_YOUNG_THRESHOLD
    from repair.edge.batch import GC_YOUNG_THRESHOLD as BATCH

    assert GC_YOUNG_THRESHOLD == BATCH
    code = "import gc\nfrom repair.cli import main\nmain(['--version'])\nprint(gc.get_threshold()[0])\n"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path)
    assert done.stdout.splitlines()[-1] == str(BATCH)


_BLAS_THREADS = (
    "import os, sys\n"
    "if sys.argv[1] == 'repair':\n"
    "    from repair.cli import main\n"
    "    main(['check', '--no-config', '-q', 'one.txt'])\n"
    "import numpy\n"
    "a = numpy.ones((600, 600))\n"
    "a @ a\n"  # a product big enough for a threaded BLAS to use every thread it has
    "print(len(os.listdir('/proc/self/task')))\n"
)


def _threads_after(tmp_path: Path, first: str, **env: str) -> int:
    clean = {k: v for k, v in os.environ.items() if not k.endswith("_NUM_THREADS")}
    done = subprocess.run(
        [sys.executable, "-c", _BLAS_THREADS, first],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
        env={**clean, **env},
    )
    return int(done.stdout.splitlines()[-1])


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="counts threads in /proc")
def test_the_command_runs_numpys_blas_on_one_thread(tmp_path: Path) -> None:
    """A threaded BLAS busy-waits on every core after each small product of the scorer: CPU taken from -j N workers."""
    (tmp_path / "one.txt").write_text("The squaddies left at dawn.\n", encoding="utf-8")
    if _threads_after(tmp_path, "numpy") == 1:
        pytest.skip("numpy's BLAS here runs on one thread anyway (one core, or not a threaded BLAS)")
    assert _threads_after(tmp_path, "repair") == 1
    assert _threads_after(tmp_path, "repair", OPENBLAS_NUM_THREADS="2") > 1  # a user's own setting is kept
