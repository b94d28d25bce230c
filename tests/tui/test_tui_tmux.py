"""`repair review` for real, in a tmux terminal: keys in, screen text out, files checked.

Also the crash test: the app is killed with SIGKILL mid-review and reopened, and every
decision made before the kill must be back.
"""

from __future__ import annotations

import os
import shlex
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from repair.edge import decisions as dec
from repair.edge.decisions import Action

from ..review_fixture import TEXT, WORDLIST

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]


class Terminal:
    """One tmux server on a private socket, running one command in a fixed-size window."""

    def __init__(self, socket: Path) -> None:
        self.socket = socket

    def tmux(self, *args: str) -> str:
        result = subprocess.run(["tmux", "-S", str(self.socket), *args], capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise RuntimeError(f"tmux {args[0]}: {result.stderr.strip()}")
        return result.stdout

    def start(self, command: str, width: int = 100, height: int = 30) -> None:
        self.tmux("new-session", "-d", "-s", "review", "-x", str(width), "-y", str(height), command)

    def keys(self, *keys: str) -> None:
        for key in keys:  # one at a time, as a person types
            self.tmux("send-keys", "-t", "review", key)
            time.sleep(0.05)

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "review")

    def wait_for(self, text: str, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            try:
                screen = self.screen()
            except RuntimeError:
                break
            if text in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never appeared; the screen was:\n{screen}")

    def wait_gone(self, text: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while text in (screen := self.screen()):
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} stayed; the screen was:\n{screen}")
            time.sleep(0.1)

    def pid(self) -> int:
        return int(self.tmux("display-message", "-p", "-t", "review", "#{pane_pid}").strip())

    def running(self) -> bool:
        try:
            self.tmux("has-session", "-t", "review")
        except RuntimeError:
            return False
        return True

    def wait_until_closed(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while self.running():
            if time.monotonic() > deadline:
                raise AssertionError(f"the app did not exit; the screen was:\n{self.screen()}")
            time.sleep(0.1)

    def stop(self) -> None:
        if self.running():
            self.tmux("kill-server")


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    term = Terminal(tmp_path / "tmux.sock")
    yield term
    term.stop()


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    doc = tmp_path / "article.txt"
    doc.write_text(TEXT, encoding="utf-8")
    wordlist = tmp_path / "test-list.txt"
    wordlist.write_text(WORDLIST, encoding="utf-8")
    return doc, wordlist


def review_command(tmp_path: Path, doc: Path, wordlist: Path, summary: Path) -> str:
    """The real command line, with the summary printed at exit captured from stdout."""
    root = str(Path(__file__).resolve().parents[2])
    env = {"REPAIR_HOME": str(tmp_path / "home"), "TERM": "xterm-256color", "PYTHONPATH": root}
    args = [sys.executable, "-m", "repair", "review", "--all", "-w", str(wordlist), str(doc)]
    exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
    return f"cd {shlex.quote(str(tmp_path))} && exec env -u NO_COLOR {exports} {shlex.join(args)} > {summary}"


def test_review_in_a_real_terminal(tmp_path: Path, terminal: Terminal, files: tuple[Path, Path]) -> None:
    doc, wordlist = files
    summary = tmp_path / "summary.txt"
    terminal.start(review_command(tmp_path, doc, wordlist, summary))
    screen = terminal.wait_for("0 of 9 reviewed")
    assert "spherical" in screen and "1 round" in screen and "aAccept" in screen.replace(" ", "")
    terminal.keys("a")
    terminal.wait_for("1 of 9 reviewed · 1 accepted · 0 rejected")
    terminal.keys("x")
    terminal.wait_for("2 of 9 reviewed · 1 accepted · 1 rejected")
    terminal.keys("e")
    terminal.wait_for("Replace “Expectancies” with")
    terminal.keys("Hopes", "Enter")  # the suggestion is selected in the box: typing replaces it
    terminal.wait_for("3 of 9 reviewed · 1 accepted · 1 edited · 1 rejected")
    terminal.keys("?")
    terminal.wait_for("Reviewing a spun document")
    terminal.keys("Escape")  # a lone escape: wait, or the next key would read as alt+key
    terminal.wait_gone("Reviewing a spun document")
    terminal.keys("s")
    terminal.wait_for("Saved 2 fix(es)")
    terminal.keys("q")
    terminal.wait_until_closed()
    out = tmp_path / "article.repaired.txt"
    assert out.read_text(encoding="utf-8").splitlines()[0] == (
        "Russia and Ukraine met for a third round of talks in Would possibly. Hopes were low."
    )
    assert doc.read_text(encoding="utf-8") == TEXT
    printed = summary.read_text(encoding="utf-8")
    assert f"{doc}: 3 of 9 reviewed · 1 accepted · 1 edited · 1 rejected; saved to {out}" in printed
    assert "  1:36  spherical -> round" in printed and "  1:74  Expectancies -> Hopes" in printed


def test_killed_mid_review_then_reopened_restores_every_decision(
    tmp_path: Path, terminal: Terminal, files: tuple[Path, Path]
) -> None:
    doc, wordlist = files
    summary = tmp_path / "summary.txt"
    terminal.start(review_command(tmp_path, doc, wordlist, summary))
    terminal.wait_for("0 of 9 reviewed")
    steps = [
        ("a", "1 of 9 reviewed · 1 accepted · 0 rejected"),
        ("r", "2 of 9 reviewed · 1 accepted · 1 rejected"),
        ("n", "2 of 9 reviewed"),  # skip Expectancies
        ("a", "3 of 9 reviewed · 2 accepted · 1 rejected"),  # squaddies
        ("2", "4 of 9 reviewed · 3 accepted · 1 rejected"),  # in opposition to -> towards
    ]
    for key, progress in steps:
        terminal.keys(key)
        terminal.wait_for(progress)
    os.kill(terminal.pid(), signal.SIGKILL)  # no save, no quit, no clean-up
    terminal.wait_until_closed()
    assert not (tmp_path / "article.repaired.txt").exists()

    saved = dec.load(dec.path_for(doc)).decisions
    assert sorted((d.spun, d.action, d.replacement) for d in saved.values()) == [
        ("Would possibly", Action.REJECT, ""),
        ("in opposition to", Action.ACCEPT, "towards"),
        ("spherical", Action.ACCEPT, "round"),
        ("squaddies", Action.ACCEPT, "soldiers"),
    ]

    terminal.start(review_command(tmp_path, doc, wordlist, summary))
    screen = terminal.wait_for("4 of 9 reviewed · 3 accepted · 1 rejected")
    assert "6/9 helps to keep" in screen  # resumes after the last decision
    terminal.keys("s", "q")
    terminal.wait_until_closed()
    assert (tmp_path / "article.repaired.txt").read_text(encoding="utf-8").splitlines()[:2] == [
        "Russia and Ukraine met for a third round of talks in Would possibly. Expectancies were low.",
        "The soldiers stood towards the plan, and the captain helps to keep his word.",
    ]
