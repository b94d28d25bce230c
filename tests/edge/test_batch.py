"""Walking inputs, scanning many files (in order, in parallel) and applying selections (repair.edge)."""

from __future__ import annotations

import bisect
import pickle
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from repair.core.engine import Engine, Selection
from repair.core.model import Safety
from repair.core.risk import count_words
from repair.core.text import line_starts
from repair.core.wordlists import ignore_key
from repair.edge import decisions as dec
from repair.edge.batch import FileResult, ScanOptions, scan_all, scan_source, scan_text
from repair.edge.blocks import cut
from repair.edge.decisions import Action, Decision, DecisionFile
from repair.edge.documents import InputError
from repair.edge.fixing import apply_decisions, apply_selection, backup_path
from repair.edge.inputs import DEFAULT_GLOBS, Source, mirror_path, walk
from repair.edge.setup import EngineSettings, EngineSpec, build_engine, load_ignore, load_settings, load_wordlists
from repair.edge.userdata import UserData

from ..conftest import SPUN_SEED


@pytest.fixture
def options(small_wordlist: Path) -> ScanOptions:
    return ScanOptions(EngineSpec(load_wordlists([str(small_wordlist)])), keep_document=True)


@pytest.fixture
def engine(options: ScanOptions) -> Engine:
    return build_engine(options.engine)


def _tree(root: Path) -> None:
    (root / "sub" / "deeper").mkdir(parents=True)
    (root / ".hidden").mkdir()
    for name in ("b.txt", "a.md", "c.html", ".dot.txt", "sub/z.txt", "sub/deeper/y.md", ".hidden/h.txt"):
        (root / name).write_text("The squaddies left.\n")


def test_walk_is_recursive_sorted_and_skips_hidden(tmp_path: Path) -> None:
    _tree(tmp_path)
    found = walk([str(tmp_path)])
    assert [s.relative for s in found] == ["a.md", "b.txt", "c.html", "sub/deeper/y.md", "sub/z.txt"]
    assert all(s.root == str(tmp_path) for s in found)
    assert DEFAULT_GLOBS == ("*.txt", "*.md", "*.markdown", "*.html", "*.htm")


def test_walk_globs_match_names_or_relative_paths(tmp_path: Path) -> None:
    _tree(tmp_path)
    assert [s.relative for s in walk([str(tmp_path)], ["*.html"])] == ["c.html"]
    assert [s.relative for s in walk([str(tmp_path)], ["sub/*.txt"])] == ["sub/z.txt"]


def test_walk_takes_named_files_whatever_the_glob_and_keeps_order(tmp_path: Path) -> None:
    _tree(tmp_path)
    named = [str(tmp_path / "c.html"), str(tmp_path / "missing.txt"), "-"]
    found = walk(named, ["*.txt"])
    assert [s.path for s in found] == named
    assert all(s.root is None for s in found)
    assert found[2].label == "<stdin>"


def test_walk_drops_duplicates_and_excluded_folders(tmp_path: Path) -> None:
    _tree(tmp_path)
    found = walk([str(tmp_path / "b.txt"), str(tmp_path)], exclude=[tmp_path / "sub"])
    assert [s.relative for s in found] == ["b.txt", "a.md", "c.html"]


@pytest.mark.parametrize("chunk", [120, 400, 1500])
def test_a_long_text_is_scanned_a_block_at_a_time_each_as_a_document_placed_in_the_whole(
    engine: Engine, chunk: int
) -> None:
    text = SPUN_SEED.read_text(encoding="utf-8")
    text = text + text.replace("\n", " ")  # long lines too, so some cuts fall mid-line
    pieces = scan_text(engine, text, chunk=chunk)
    assert pieces, "the seed has spun phrases"
    starts = line_starts(text)
    expected = []
    at = 0
    while at < len(text):  # each block is scanned as a text of its own (repair.edge.blocks.cut says where)
        end = at + cut(text[at:], chunk)
        for f in engine.scan(text[at:end]):
            expected.append((f.start + at, f.end + at, f.rule, f.suggestions, f.confidence, f.safety))
        at = end
    assert [(f.start, f.end, f.rule, f.suggestions, f.confidence, f.safety) for f in pieces] == expected
    for f in pieces:  # and placed in the whole text
        assert text[f.start : f.end] == f.spun
        line = bisect.bisect_right(starts, f.start)
        assert (f.line, f.column) == (line, f.start - starts[line - 1] + 1)
        assert (f.before, f.after) == (text[max(0, f.start - 40) : f.start], text[f.end : f.end + 40])


def test_scan_text_leaves_short_texts_to_the_engine(engine: Engine) -> None:
    text = SPUN_SEED.read_text(encoding="utf-8")
    assert scan_text(engine, text) == engine.scan(text)


def test_scan_source_errors_and_warnings(tmp_path: Path, engine: Engine, options: ScanOptions) -> None:
    binary = tmp_path / "x.txt"
    binary.write_bytes(b"abc\x00def")
    named = scan_source(engine, Source(str(binary)), options)
    assert named.error is not None and "binary" in named.error and named.warning is None
    walked = scan_source(engine, Source(str(binary), root=str(tmp_path)), options)
    assert walked.warning is not None and "binary" in walked.warning and walked.error is None
    latin = tmp_path / "latin.txt"
    latin.write_bytes("café squaddies".encode("latin-1"))
    bad = scan_source(engine, Source(str(latin)), options)
    assert bad.error is not None and "utf-8" in bad.error and not bad.scanned
    good = scan_source(engine, Source(str(latin)), ScanOptions(options.engine, encoding="latin-1"))
    assert good.scanned and [f.spun for f in good.findings] == ["squaddies"]
    assert good.document is None  # only kept when asked


def test_ignored_rules_and_phrases_are_dropped(tmp_path: Path, options: ScanOptions) -> None:
    path = tmp_path / "doc.txt"
    path.write_text("The squaddies fought in opposition to them in Would possibly.\n")
    ignore = tmp_path / "ignore.txt"
    ignore.write_text("# comments are skipped\nsquaddies\nsmall:In Opposition To\n")
    keys = load_ignore(str(ignore))
    assert keys == {"squaddies", "small:in opposition to"}
    opts = ScanOptions(EngineSpec(options.engine.wordlists, keys))
    result = scan_source(build_engine(opts.engine), Source(str(path)), opts)
    assert [f.spun for f in result.findings] == ["Would possibly"]


def test_ignore_key_normalises_phrases_but_keeps_rule_ids() -> None:
    assert ignore_key("  Would   Possibly ") == "would possibly"
    assert ignore_key("news:Would possibly") == "news:would possibly"


def test_load_wordlists_reports_one_line(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such wordlist"):
        load_wordlists([str(tmp_path / "nope.txt")])
    broken = tmp_path / "broken.txt"
    broken.write_text("a -> b\nno arrow here\n")
    with pytest.raises(InputError, match=r"broken\.txt:2: expected 'spun -> original'"):
        load_wordlists([str(broken)])


def _files(tmp_path: Path, n: int) -> list[Source]:
    text = SPUN_SEED.read_text(encoding="utf-8").splitlines()
    sources = []
    for i in range(n):
        path = tmp_path / f"f{i:02d}.txt"
        path.write_text("\n".join(text[i % len(text) :]) + "\n")
        sources.append(Source(str(path)))
    sources.insert(3, Source(str(tmp_path / "missing.txt")))
    return sources


def test_parallel_scan_matches_serial_scan_in_input_order(tmp_path: Path, options: ScanOptions) -> None:
    sources = _files(tmp_path, 9)
    serial = list(scan_all(sources, options, jobs=1))
    parallel = list(scan_all(sources, options, jobs=2))
    assert [r.source for r in parallel] == sources
    assert parallel == serial
    assert serial[3].error is not None and "no such file" in serial[3].error
    assert sum(len(r.findings) for r in serial) > 0


def _spun_words(result: FileResult) -> tuple[str, ...]:  # a summary; module-level, so workers can unpickle it
    return tuple(f.spun for f in result.findings)


def test_a_summary_is_made_where_the_file_was_scanned_and_comes_back_instead_of_the_findings(
    tmp_path: Path, options: ScanOptions
) -> None:
    sources = _files(tmp_path, 6)
    plain = list(scan_all(sources, options, jobs=1))
    summarising = replace(options, summarise=_spun_words)
    for jobs in (1, 2):
        results = list(scan_all(sources, summarising, jobs=jobs))
        assert [r.summary for r in results] == [_spun_words(r) if r.scanned else None for r in plain]
        assert all(r.findings == () for r in results)
    assert any(r.summary for r in results)


def test_apply_selection_partitions_findings(engine: Engine) -> None:
    text = SPUN_SEED.read_text(encoding="utf-8")
    findings = engine.scan(text)
    outcome = apply_selection(text, findings)
    assert len(outcome.applied) + len(outcome.remaining) == len(findings)
    assert all(Selection().accepts(f) for f in outcome.applied)
    assert not any(Selection().accepts(f) for f in outcome.remaining)
    for f in outcome.applied:
        assert f.replacement in outcome.text
    everything = apply_selection(text, findings, Selection(threshold=0.0, safety=Safety.CHOOSE))
    assert len(everything.applied) >= len(outcome.applied)
    nothing = apply_selection(text, findings, Selection(threshold=1.01))
    assert nothing.text == text and not nothing.applied


def test_output_paths(tmp_path: Path) -> None:
    walked = Source(str(tmp_path / "in" / "sub" / "a.txt"), root=str(tmp_path / "in"))
    named = Source(str(tmp_path / "elsewhere" / "b.txt"))
    assert mirror_path(walked, tmp_path / "out") == tmp_path / "out" / "sub" / "a.txt"
    assert mirror_path(named, tmp_path / "out") == tmp_path / "out" / "b.txt"
    assert backup_path(tmp_path / "a.txt") == tmp_path / "a.txt.bak"


def test_word_counts_come_back_only_when_asked_and_the_same_from_workers(tmp_path: Path, options: ScanOptions) -> None:
    sources = _files(tmp_path, 5)
    counting = ScanOptions(options.engine, count_words=True)
    serial = list(scan_all(sources, counting, jobs=1))
    parallel = list(scan_all(sources, counting, jobs=2))
    assert parallel == serial
    for source, result in zip(sources, serial, strict=True):
        if result.scanned:
            assert result.words == count_words(Path(source.path).read_text(encoding="utf-8")) > 0
            assert result.document is None  # the count travels back, not the text
        else:
            assert result.words is None
    assert all(r.words is None for r in scan_all(sources, options, jobs=1))


def test_user_data_puts_the_user_list_first_and_adds_normalised_ignores(tmp_path: Path, small_wordlist: Path) -> None:
    home = UserData(tmp_path / "home")
    plain = EngineSettings(wordlists=(str(small_wordlist),))
    with_home = replace(plain, userdata=home)
    assert load_settings(with_home) == load_settings(plain)  # an empty folder changes nothing
    home.add_entry("go back", "return")
    home.add_ignore("small:squaddie")
    home.add_ignore("In  Opposition To")
    mine = load_settings(with_home)
    assert [w.name for w in mine.wordlists] == ["user", "small"]
    assert mine.ignore == {"small:squaddie", "in opposition to"}
    options = ScanOptions(mine, keep_document=True)
    assert pickle.loads(pickle.dumps(options)) == options  # what -j N workers receive
    path = tmp_path / "doc.txt"
    path.write_text("The squaddies fought in opposition to the go back of Would possibly.\n")
    sources = [Source(str(path))] * 3
    serial = list(scan_all(sources, options, jobs=1))
    assert list(scan_all(sources, options, jobs=2)) == serial
    assert [f.spun for f in serial[0].findings] == ["go back", "Would possibly"]


def test_apply_decisions_partitions_findings(engine: Engine) -> None:
    text = "The squaddies fought in opposition to them in Would possibly. Our bodies help to keep it.\n"
    findings = engine.scan(text)
    by_spun = {f.spun: f for f in findings}
    slots = dict(zip((f.spun for f in findings), dec.slots(findings), strict=True))
    chosen = {
        "squaddies": dec.decide(by_spun["squaddies"], slots["squaddies"][1], Action.EDIT, "troops"),
        "in opposition to": dec.decide(by_spun["in opposition to"], 1, Action.REJECT),
    }
    stale = Decision("f" * 16, 1, Action.ACCEPT, "gone", "x")
    saved = DecisionFile(decisions={d.slot: d for d in [*chosen.values(), stale]})
    safe = apply_decisions(text, findings, saved)
    assert safe.text.startswith("The troops fought in opposition to them")
    assert safe.decided == 1 and safe.unmatched == (stale,)
    assert [f.spun for f in safe.rejected] == ["in opposition to"]
    undecided = [f for f in findings if f.spun not in chosen]
    expected = apply_selection(text, undecided)
    assert [f.spun for f in safe.applied] == sorted(
        ["squaddies", *(f.spun for f in expected.applied)], key=lambda s: by_spun[s].start
    )
    assert safe.remaining == expected.remaining
    only = apply_decisions(text, findings, saved, None)
    assert only.text == text.replace("squaddies", "troops")
    assert [f.spun for f in only.applied] == ["squaddies"] and len(only.remaining) == len(undecided)
    assert apply_decisions(text, findings, DecisionFile()) == apply_selection(text, findings)


HALF_SENT = """
import os, struct, sys, time
from concurrent.futures import ProcessPoolExecutor
from repair.edge.blocks import cut
from repair.edge.batch import _stop

def half_sent(flag):  # a worker killed while sending a big result: the parent has read part of it
    queue = sys._getframe(1).f_locals["result_queue"]
    os.write(queue._writer.fileno(), struct.pack("!i", 1000) + b"x" * 10)
    open(flag, "w").close()
    time.sleep(60)

if __name__ == "__main__":
    flag = sys.argv[1]
    pool = ProcessPoolExecutor(1)
    pool.submit(half_sent, flag)
    while not os.path.exists(flag):
        time.sleep(0.01)
    time.sleep(0.1)  # the manager thread is reading the rest of the result
    _stop(pool)
    print("stopped")
"""


def test_stopping_a_pool_whose_worker_died_mid_result_lets_python_exit(tmp_path: Path) -> None:
    script = tmp_path / "half_sent.py"
    script.write_text(HALF_SENT)
    argv = [sys.executable, str(script), str(tmp_path / "sent")]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=30, check=False)
    assert (done.returncode, done.stdout, done.stderr) == (0, "stopped\n", "")
