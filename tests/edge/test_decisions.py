"""The decisions file: format, crash safety, matching findings by content, batch edits."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from repair.core.engine import Engine, apply_edits
from repair.core.model import Finding, Safety, StaleEditError
from repair.core.wordlists import parse
from repair.edge import decisions as dec
from repair.edge.decisions import Action, Decision, DecisionFile, DecisionStore
from repair.edge.documents import InputError

WORDLIST = """\
helps to keep -> keeps ; noinflect
in opposition to -> against, towards ; choose
squaddie -> soldier
would possibly -> may ; noinflect
"""

PARAGRAPH = "Meanwhile, in the northern town, the squaddies stood in opposition to the plan, said all.\n"
TEXT = PARAGRAPH + PARAGRAPH + "It Would possibly rain. She helps to keep calm.\n"


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine([parse(WORDLIST, name="t")], near=False)


def finding(start: int, spun: str, before: str = "a ", after: str = " b", rule: str = "t:x") -> Finding:
    return Finding(start, start + len(spun), spun, ("fix",), 0.9, Safety.AUTO, "", rule, before=before, after=after)


def decision(
    key: str, n: int = 1, action: Action = Action.ACCEPT, replacement: str = "fix", spun: str = "spun"
) -> Decision:
    return Decision(key, n, action, spun, "" if action is Action.REJECT else replacement, "t:x", "2025-01-01T00:00:00Z")


def test_slots_number_repeated_keys_in_document_order(engine: Engine) -> None:
    findings = engine.scan(TEXT)
    slots = dec.slots(findings)
    squaddies = [s for f, s in zip(findings, slots, strict=True) if f.spun == "squaddies"]
    # the same phrase in the same context twice: one key, told apart by n
    assert squaddies[0][0] == squaddies[1][0]
    assert [n for _, n in squaddies] == [1, 2]
    assert len(set(slots)) == len(findings)


def test_compact_form_is_sorted_one_decision_a_line_with_a_versioned_header() -> None:
    file = DecisionFile(
        "doc.txt", "abc", {("b", 1): decision("b"), ("a", 2): decision("a", 2), ("a", 1): decision("a")}
    )
    lines = file.render().splitlines()
    header = json.loads(lines[0])
    assert header == {"document": "doc.txt", "format": "repair-decisions", "sha256": "abc", "version": 1}
    assert [(json.loads(line)["key"], json.loads(line)["n"]) for line in lines[1:]] == [("a", 1), ("a", 2), ("b", 1)]
    assert all(line == json.dumps(json.loads(line), sort_keys=True, ensure_ascii=False) for line in lines)
    again = dec.parse(file.render())
    assert again.decisions == file.decisions and again.document == "doc.txt" and not again.torn


def test_later_lines_win_and_clear_removes(tmp_path: Path) -> None:
    store = DecisionStore(tmp_path / "d.jsonl", "doc.txt", "h")
    store.record([decision("a"), decision("b", action=Action.REJECT)])
    store.record([decision("a", replacement="other")])
    store.clear([("b", 1)])
    store.close()
    loaded = dec.load(tmp_path / "d.jsonl")
    assert set(loaded.decisions) == {("a", 1)}
    assert loaded.decisions[("a", 1)].replacement == "other"


def test_a_torn_last_line_at_any_byte_loses_only_that_decision(tmp_path: Path) -> None:
    path = tmp_path / "d.jsonl"
    store = DecisionStore(path, "doc.txt", "h")
    store.record([decision("a"), decision("b")])
    store.record([decision("c", action=Action.EDIT, replacement="typed ünïcode")])
    store.close()
    data = path.read_bytes()
    last_start = data.rstrip(b"\n").rfind(b"\n") + 1
    for cut in range(last_start, len(data) + 1):
        text = data[:cut].decode("utf-8", errors="ignore")
        loaded = dec.parse(text)
        assert {("a", 1), ("b", 1)} <= set(loaded.decisions)
        if cut >= len(data) - 1:  # the whole object arrived, with or without its newline
            assert ("c", 1) in loaded.decisions


def test_reopening_a_torn_file_repairs_it_so_later_appends_are_not_glued_on(tmp_path: Path) -> None:
    path = tmp_path / "d.jsonl"
    store = DecisionStore(path, "doc.txt", "h")
    store.record([decision("a"), decision("b")])
    store.close()
    path.write_bytes(path.read_bytes()[:-7])  # kill -9 in the middle of writing "b"
    store = DecisionStore(path, "doc.txt", "h")
    assert set(store.decisions) == {("a", 1)}
    store.record([decision("c")])
    store.close()
    assert set(dec.load(path).decisions) == {("a", 1), ("c", 1)}


def test_a_corrupt_line_in_the_middle_is_an_error_naming_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "d.jsonl"
    dec.save(path, DecisionFile("doc.txt", "", {("a", 1): decision("a"), ("b", 1): decision("b")}))
    lines = path.read_text().splitlines(keepends=True)
    lines[1] = "{not json\n"
    path.write_text("".join(lines))
    with pytest.raises(InputError, match=r"d\.jsonl:2: not a valid decisions line"):
        dec.load(path)


def test_an_unknown_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "d.jsonl"
    path.write_text('{"format": "repair-decisions", "version": 99}\n')
    with pytest.raises(InputError, match="version 99"):
        dec.load(path)


def test_compacting_sorts_the_journal_and_an_empty_set_removes_the_file(tmp_path: Path) -> None:
    path = tmp_path / "d.jsonl"
    store = DecisionStore(path, "doc.txt", "h")
    store.record([decision("z")])
    store.record([decision("a")])
    raw = path.read_text().splitlines()
    assert [json.loads(x)["key"] for x in raw[1:]] == ["z", "a"]  # the journal, in the order made
    store.compact()
    assert [json.loads(x)["key"] for x in path.read_text().splitlines()[1:]] == ["a", "z"]
    store.clear([("a", 1), ("z", 1)])
    store.compact()
    assert not path.exists()


def test_a_missing_file_is_an_empty_set(tmp_path: Path) -> None:
    assert dec.load(tmp_path / "nope.jsonl").decisions == {}


def test_path_beside_and_in_the_user_folder(tmp_path: Path) -> None:
    doc = tmp_path / "notes" / "article.txt"
    assert dec.path_for(doc) == tmp_path / "notes" / ".article.txt.repair-decisions.jsonl"
    home = tmp_path / "home"
    user = dec.path_for(doc, "user", home)
    assert user.parent == home / "decisions" and user.name.endswith("-article.txt.jsonl")
    assert dec.path_for(tmp_path / "other" / "article.txt", "user", home) != user  # keyed by the absolute path


def test_decisions_to_edits_applies_accepts_and_edits_only(engine: Engine) -> None:
    findings = engine.scan(TEXT)
    slots = dec.slots(findings)
    chosen: dict[tuple[str, int], Decision] = {}
    seen: dict[str, int] = {}
    for f, (key, n) in zip(findings, slots, strict=True):
        seen[f.spun] = seen.get(f.spun, 0) + 1
        if f.spun == "squaddies" and n == 2:
            chosen[(key, n)] = dec.decide(f, n, Action.ACCEPT, f.suggestions[0])
        elif f.spun == "in opposition to" and seen[f.spun] == 1:
            chosen[(key, n)] = dec.decide(f, n, Action.ACCEPT, f.suggestions[1])
        elif f.spun == "Would possibly":
            chosen[(key, n)] = dec.decide(f, n, Action.REJECT)
        elif f.spun == "helps to keep":
            chosen[(key, n)] = dec.decide(f, n, Action.EDIT, "stays")
    edits = dec.decisions_to_edits(TEXT, findings, DecisionFile(decisions=chosen))
    result = apply_edits(TEXT, edits)
    assert result == (
        "Meanwhile, in the northern town, the squaddies stood towards the plan, said all.\n"
        "Meanwhile, in the northern town, the soldiers stood in opposition to the plan, said all.\n"
        "It Would possibly rain. She stays calm.\n"
    )


def test_decisions_survive_edits_elsewhere_in_the_document(engine: Engine) -> None:
    findings = engine.scan(TEXT)
    target = next(f for f in findings if f.spun == "helps to keep")
    n = dict(zip(findings, dec.slots(findings), strict=True))[target][1]
    saved = {(target.key, n): dec.decide(target, n, Action.ACCEPT, "keeps")}
    moved = "A new first paragraph was added.\n\n" + TEXT.replace("northern town", "southern city", 1)
    result = apply_edits(moved, dec.decisions_to_edits(moved, engine.scan(moved), saved))
    assert "She keeps calm." in result
    assert result.count("squaddies") == 2


def test_decisions_that_no_longer_match_are_reported_not_applied(engine: Engine) -> None:
    findings = engine.scan(TEXT)
    stale = Decision("0" * 16, 1, Action.ACCEPT, "gone", "x", "t:gone", "")
    assert dec.decisions_to_edits(TEXT, findings, {stale.slot: stale}) == []
    assert dec.unmatched(findings, {stale.slot: stale}) == [stale]


def test_a_decision_whose_spun_text_differs_is_not_applied() -> None:
    f = finding(0, "squaddies")
    wrong = Decision(f.key, 1, Action.ACCEPT, "soldiers", "x")
    assert dec.match([f], {wrong.slot: wrong}) == {}


def test_apply_edits_still_refuses_a_stale_span() -> None:
    f = finding(0, "squaddies")
    edits = dec.decisions_to_edits("squaddies", [f], {(f.key, 1): decision(f.key, spun="squaddies")})
    assert apply_edits("squaddies", edits) == "fix"
    with pytest.raises(StaleEditError):
        apply_edits("changed!!", edits)


def test_bad_decision_lines_are_rejected() -> None:
    header = '{"format": "repair-decisions", "version": 1}\n'
    for line in (
        '{"action": "accept", "key": "a", "n": 1, "spun": "x"}',  # accept without a replacement
        '{"action": "maybe", "key": "a", "n": 1, "spun": "x"}',
        '{"action": "reject", "key": "a", "n": 0, "spun": "x"}',
        "[1, 2]",
    ):
        with pytest.raises(InputError):
            dec.parse(header + line + "\n" + header.replace("format", "other"))


CHILD = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from repair.edge.decisions import Action, Decision, DecisionStore
    store = DecisionStore(Path(sys.argv[1]), "doc.txt", "h")
    i = 0
    while True:
        i += 1
        store.record([Decision(f"k{i:06d}", 1, Action.EDIT, "spun", "x" * 2000, "t:x", "2025-01-01T00:00:00Z")])
        print(i, flush=True)
    """
)


@pytest.mark.slow
def test_kill_9_while_writing_never_corrupts_and_loses_at_most_the_decision_in_flight(tmp_path: Path) -> None:
    path = tmp_path / "d.jsonl"
    for round_ in range(3):
        proc = subprocess.Popen([sys.executable, "-c", CHILD, str(path)], stdout=subprocess.PIPE, text=True)
        assert proc.stdout is not None
        confirmed = 0
        deadline = time.monotonic() + 30
        while confirmed < 40 + 25 * round_ and time.monotonic() < deadline:
            confirmed = int(proc.stdout.readline())
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
        loaded = dec.load(path)  # never raises
        keys = {key for key, _ in loaded.decisions}
        assert {f"k{i:06d}" for i in range(1, confirmed + 1)} <= keys
