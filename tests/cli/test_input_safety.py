"""Reading inputs (issue 12): bytes kept under any encoding, UTF-16/32 with a BOM, FIFOs and devices never hang."""

from __future__ import annotations

import codecs
import os
import resource
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from repair.cli import ExitCode, main
from repair.edge.documents import InputError, read_document

from .helpers import DOC, assert_one_error, run

NOTHING = "nothing here -> nowhere\n"


@pytest.fixture
def nothing(tmp_path: Path) -> Path:
    path = tmp_path / "nothing.txt"
    path.write_text(NOTHING)
    return path


@pytest.fixture
def deadline() -> Iterator[None]:
    """A hang fails the test after 10 s instead of stopping the suite."""

    def expired(signum: int, frame: object) -> None:
        raise TimeoutError("hung")

    old = signal.signal(signal.SIGALRM, expired)
    signal.alarm(10)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def _fix_bytes(capsysbinary: pytest.CaptureFixture[bytes], path: str, *options: str) -> tuple[int, bytes]:
    code = main(["fix", path, "--no-config", *options])
    return int(code), capsysbinary.readouterr().out


# ---------------------------------------------------------------- 9. no edits, no byte changed


@pytest.mark.parametrize(
    ("encoding", "data"),
    [
        ("utf-8-sig", b"squaddies without a BOM\n"),
        ("utf-8-sig", b"\xef\xbb\xbfsquaddies with a BOM\n"),
        ("cp932", b"\x87\x90 squaddies\r\n"),  # an NEC mapping: decodes to a character cp932 writes differently
        ("utf-7", b"+AGE-b squaddies\n"),  # "a" written as base64
        ("unicode_escape", b"\\x41 squaddies\n"),
        ("utf-16", "squaddies, no BOM\n".encode("utf-16-le")),
    ],
)
def test_with_no_edits_the_bytes_are_the_input(
    capsysbinary: pytest.CaptureFixture[bytes], nothing: Path, encoding: str, data: bytes
) -> None:
    Path("in.txt").write_bytes(data)
    code, out = _fix_bytes(capsysbinary, "in.txt", "--encoding", encoding, "--wordlist", str(nothing))
    assert (code, out) == (ExitCode.OK, data)


@pytest.mark.parametrize(
    ("encoding", "data", "fixed"),
    [
        ("cp932", b"\x87\x90 squaddies \x87\x90\r\n", b"\x87\x90 soldiers \x87\x90\r\n"),
        ("utf-7", b"+AGE-b squaddies +AGE-\n", b"+AGE-b soldiers +AGE-\n"),
        ("unicode_escape", b"\\x41 squaddies \\x41\n", b"\\x41 soldiers \\x41\n"),
    ],
)
def test_edits_are_spliced_into_bytes_that_do_not_round_trip(
    capsysbinary: pytest.CaptureFixture[bytes], wl: Path, encoding: str, data: bytes, fixed: bytes
) -> None:
    Path("in.txt").write_bytes(data)
    assert _fix_bytes(capsysbinary, "in.txt", "--encoding", encoding, "--wordlist", str(wl)) == (ExitCode.OK, fixed)
    main(["fix", "in.txt", "--in-place", "--encoding", encoding, "--wordlist", str(wl), "--no-config"])
    assert Path("in.txt").read_bytes() == fixed and Path("in.txt.bak").read_bytes() == data


# ---------------------------------------------------------------- 12. UTF-16 and UTF-32 with a BOM


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
@pytest.mark.parametrize("given", [[], ["--encoding", "utf-16"], ["--encoding", "utf-32"]])
def test_utf16_and_utf32_with_a_bom_are_read_and_written_back_the_same_way(
    capsysbinary: pytest.CaptureFixture[bytes], wl: Path, codec: str, given: list[str]
) -> None:
    data = ("\ufeff" + DOC.replace("\n", "\r\n")).encode(codec)
    Path("wide.txt").write_bytes(data)
    code, out = _fix_bytes(capsysbinary, "wide.txt", "--wordlist", str(wl), *given)
    assert code == ExitCode.OK
    assert out.startswith(codecs.BOM_UTF32_LE if codec == "utf-32-le" else "\ufeff".encode(codec))
    text = out.decode(codec)
    assert "soldiers" in text and "squaddies" not in text and text.count("\r\n") == 3
    Path("tree").mkdir()
    Path("tree/wide.txt").write_bytes(data)
    walked = main(["check", "tree", "--wordlist", str(wl), "--no-config", "-q"])
    assert walked == ExitCode.FINDINGS  # found, not skipped as binary


# ---------------------------------------------------------------- 11. FIFOs, devices, sizes that lie


@pytest.mark.usefixtures("deadline")
@pytest.mark.parametrize("command", ["check", "fix"])
def test_a_named_fifo_is_refused_at_once(capsys: pytest.CaptureFixture[str], wl: Path, command: str) -> None:
    os.mkfifo("pipe.txt")
    assert_one_error(run(capsys, command, "pipe.txt", "--wordlist", str(wl)), "pipe.txt", "a FIFO, not a regular file")


@pytest.mark.usefixtures("deadline")
def test_a_fifo_in_a_folder_is_skipped_and_said_so(capsys: pytest.CaptureFixture[str], wl: Path) -> None:
    Path("tree").mkdir()
    os.mkfifo("tree/pipe.txt")
    Path("tree/real.txt").write_text(DOC)
    result = run(capsys, "check", "tree", "--wordlist", str(wl))
    assert result.code == ExitCode.FINDINGS
    assert "tree/real.txt:2:5: squaddies" in result.out
    assert any("tree/pipe.txt: skipped, a FIFO, not a regular file" in line for line in result.err_lines)


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))  # reading /dev/zero without end fails, not swaps


@pytest.mark.parametrize("where", ["input", "config", "wordlist", "wordlist check"])
def test_dev_zero_is_refused_as_input_config_and_wordlist(wl: Path, doc: Path, where: str) -> None:
    given = {
        "input": ["check", "/dev/zero", "--no-config", "--wordlist", str(wl)],
        "config": ["check", "doc.txt", "--config", "/dev/zero", "--wordlist", str(wl)],
        "wordlist": ["check", "doc.txt", "--no-config", "--wordlist", "/dev/zero"],
        "wordlist check": ["wordlist", "check", "/dev/zero"],
    }[where]
    argv = [sys.executable, "-m", "repair", *given]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=60, preexec_fn=_limit_memory, check=False)
    assert done.returncode == ExitCode.ERROR
    assert done.stderr.splitlines() == ["repair: error: /dev/zero: is a device, not a regular file; not read"]


@pytest.mark.usefixtures("deadline")
@pytest.mark.parametrize("where", ["wordlist", "ignore", "user.txt", "ignore.txt"])
def test_a_fifo_given_as_a_list_is_refused_at_once(
    capsys: pytest.CaptureFixture[str], doc: Path, tmp_path: Path, where: str
) -> None:
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    fifo = home / where if where.endswith(".txt") else tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    option = [] if where.endswith(".txt") else [f"--{where}", str(fifo)]
    assert_one_error(run(capsys, "check", "doc.txt", *option), str(fifo.name), "a FIFO, not a regular file")


@pytest.mark.skipif(not Path("/proc/self/status").is_file(), reason="needs /proc")
def test_the_size_limit_does_not_trust_st_size() -> None:
    assert os.stat("/proc/self/status").st_size == 0  # a regular file whose size says nothing
    with pytest.raises(InputError, match="larger than the"):
        read_document("/proc/self/status", max_bytes=10)
