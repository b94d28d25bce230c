"""worddiff: unified and word-level diffs, plain and coloured."""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from repair.cli import ExitCode
from repair.cli.worddiff import GREEN, RED, RESET, render_diff

from .helpers import run

OLD = "Title\n\nThe go back of the our bodies of squaddies killed in motion.\nLast line\n"
NEW = "Title\n\nThe return of the bodies of soldiers killed in action.\nLast line\n"


def test_equal_texts_give_no_diff() -> None:
    assert render_diff(OLD, OLD) == ""
    assert render_diff(OLD, OLD, diff_format="unified") == ""


def test_words_marks_only_the_changed_words() -> None:
    assert render_diff(OLD, NEW, fromfile="a/x.txt", tofile="b/x.txt") == (
        "--- a/x.txt\n+++ b/x.txt\n@@ -1,4 +1,4 @@\nTitle\n\n"
        "The [-go back-]{+return+} of the [-our -]bodies of [-squaddies-]{+soldiers+} killed in "
        "[-motion-]{+action+}.\nLast line\n"
    )


def test_words_in_colour_has_no_markers() -> None:
    out = render_diff(OLD, NEW, color=True)
    assert f"{RED}go back{RESET}{GREEN}return{RESET}" in out
    assert "[-" not in out and "{+" not in out


def test_unified_is_difflib_when_plain_and_coloured_by_line() -> None:
    plain = render_diff(OLD, NEW, diff_format="unified")
    assert plain == "".join(difflib.unified_diff(OLD.splitlines(True), NEW.splitlines(True), "a", "b"))
    coloured = render_diff(OLD, NEW, diff_format="unified", color=True)
    assert f"{RED}-The go back" in coloured and f"{GREEN}+The return" in coloured


def test_one_word_in_a_long_paragraph_shows_short() -> None:
    filler = " ".join(f"word{i}" for i in range(80))
    old, new = f"{filler} squaddies {filler}\n", f"{filler} soldiers {filler}\n"
    out = render_diff(old, new).splitlines()[-1]
    assert out == "… word72 word73 word74 word75 word76 word77 word78 word79 [-squaddies-]{+soldiers+} " + (
        "word0 word1 word2 word3 word4 word5 word6 word7 …"
    )
    assert len(render_diff(old, new, line_context=None).splitlines()[-1]) > 900


def test_added_and_removed_lines_are_marked_per_line() -> None:
    assert render_diff("a\nb\nc\n", "a\nc\nd\n") == "--- a\n+++ b\n@@ -1,3 +1,3 @@\na\n[-b-]\nc\n{+d+}\n"


def test_missing_final_newline() -> None:
    assert render_diff("a\nb", "a\nc").endswith("a\n[-b-]{+c+}\n")


def strip_words(diff: str, side: str) -> str:
    """Rebuild one side's hunk text from a plain words diff."""
    body = "\n".join(line for line in diff.split("\n")[3:])
    keep, drop = ("-", "+") if side == "old" else ("+", "-")
    body = re.sub(r"\[-(.*?)-\]" if drop == "-" else r"\{\+(.*?)\+\}", "", body, flags=re.S)
    return re.sub(r"\[-(.*?)-\]" if keep == "-" else r"\{\+(.*?)\+\}", r"\1", body, flags=re.S)


@given(
    st.lists(st.sampled_from(["in", "motion", "action", "the", "go", "back", "\n", ","]), min_size=1, max_size=30),
    st.lists(st.sampled_from(["in", "motion", "action", "the", "go", "back", "\n", ","]), min_size=1, max_size=30),
)
def test_property_words_diff_holds_both_sides(a: list[str], b: list[str]) -> None:
    old, new = " ".join(a) + "\n", " ".join(b) + "\n"
    diff = render_diff(old, new, context=10_000, line_context=None)
    if old == new:
        assert diff == ""
        return
    # Line breaks inside a change stay outside its markers, so compare the words.
    assert strip_words(diff, "old").split() == old.split()
    assert strip_words(diff, "new").split() == new.split()


def test_fix_diff_is_unified_when_redirected_and_words_on_request(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, wl: Path, doc: Path
) -> None:
    unified = run(capsys, "fix", "doc.txt", "--diff", "--wordlist", str(wl))
    assert unified.code == ExitCode.FINDINGS
    assert "-The squaddies argued in opposition to the plan in Would possibly.\n" in unified.out
    words = run(capsys, "fix", "doc.txt", "--diff", "--diff-format", "words", "--wordlist", str(wl))
    assert "The [-squaddies-]{+soldiers+} argued [-in opposition to-]{+against+} the plan" in words.out
    coloured = run(
        capsys, "fix", "doc.txt", "--diff", "--diff-format", "words", "--color", "always", "--wordlist", str(wl)
    )
    assert f"{RED}squaddies{RESET}{GREEN}soldiers{RESET}" in coloured.out
    monkeypatch.setenv("NO_COLOR", "1")
    plain = run(
        capsys, "fix", "doc.txt", "--diff", "--diff-format", "words", "--color", "always", "--wordlist", str(wl)
    )
    assert "\x1b[" not in plain.out and plain.out == words.out
