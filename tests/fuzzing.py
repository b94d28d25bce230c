"""Fuzzing `repair` (issue 12's figures): random texts and files, and the properties every run must keep.

Shared by tests/test_fuzz.py (a few thousand cases in the fast suite, more under `-m slow`)
and tests/benchmarks/fuzz.py (100,000 and more). Everything is seeded: a failure names
the seed that reproduces it.

The CLI fuzzer (`cli_round`) writes a folder of random files (plain text, Markdown and HTML;
UTF-8 with and without a BOM, UTF-16/32 with a BOM, Latin-1, cp1252; CRLF, lone CR,
tabs, NBSP, line separators, emoji and combining marks; spun phrases, also wrapped over
lines, in capitals, hyphenated, and inside URLs, e-mail addresses and code; now and then
bytes cut short, NUL bytes, a file that is empty), then runs `repair check --format json
--all` and `repair fix` on it through `repair.cli.main`, and checks:

- the exit code is 0, 1 or 2, and stderr is `repair: ...` lines only (no traceback, no
  internal error);
- every file is either reported on stderr or written, and a written file's bytes are the
  input's outside the findings `check` reported (each finding's span holds its spun text
  or one of its suggestions): BOM, encoding and line endings included;
- with `--in-place`, every backup is the original and every file the `--output-dir` output;
- a second `fix` of the output changes nothing (issue 12 point 8; failed by the tests; not counted after
  `--safety choose`, whose applied choices can open others).
"""

from __future__ import annotations

import codecs
import contextlib
import io
import json
import os
import random
import shutil
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from repair.cli import main

OK_CODES = (0, 1, 2)

# ---------------------------------------------------------------- texts

_ORDINARY = (
    "the a of and to in was said that for on with as at by it from his he Russia Ukraine talks soldiers army "
    "round may plan captain report government minister people city week police court year Tuesday percent"
)
WORDS = tuple(_ORDINARY.split())
WHITESPACE = (" ", " ", " ", " ", "  ", "\t", "\n", "\n", "\r\n", "\r", "\u00a0", "\u2028", "\n\n", " \n")
PUNCTUATION = (".", ",", ";", ":", "!", "?", " - ", "—", "–", "'", "’", '"', "(", ")", "[", "]", "…")
ODD = (
    "é", "ß", "İ", "ﬁ", "Σ", "日本語", "🙂", "e\u0301", "\u200b", "\ufeff", "שלום", "٣", "²", "\x1b", "\x0c", "\x85",
    "\u0000", "&amp;", "&#8217;", "*", "_", "<em>", "</em>", "<br>", "#", "> ", "- ", "1. ", "\\", "|",
)  # fmt: skip
PROTECTED_TEMPLATES = (
    "{w}@example.com",
    "www.{w}.co.uk",
    "https://x.y/{w}-killed-in-motion",
    "`{p}`",
    "\n```\n{p}\n```\n",
    "[{p}](https://x.y/{w})",
    "<code>{p}</code>",
    "{w}.co.uk/news",
    "@{w}",
    "#{w}",
)


@cache
def spun_phrases() -> tuple[str, ...]:
    """Every spun phrase of the shipped lists (what makes findings)."""
    from repair.core.wordlists import load_shipped

    return tuple(sorted({e.spun for wl in load_shipped() for e in wl.entries}))


def _phrase(rng: random.Random) -> str:
    words = rng.choice(spun_phrases()).split()
    style = rng.random()
    if style < 0.15:
        words = [w.upper() for w in words]
    elif style < 0.35:
        words = [w.title() for w in words]
    gaps = [rng.choice((" ", " ", " ", "\n", "\r\n", "-", "  ", "\u00a0", "\t")) for _ in words[1:]]
    return words[0] + "".join(g + w for g, w in zip(gaps, words[1:], strict=True))


def random_text(rng: random.Random, pieces: int | None = None) -> str:
    """A text of spun phrases and ordinary words, with everything a real file may hold around them."""
    n = pieces if pieces is not None else rng.choice((0, 1, 5, 20, 60, 200))
    out: list[str] = []
    for _ in range(n):
        r = rng.random()
        if r < 0.35:
            out.append(_phrase(rng))
        elif r < 0.65:
            out.append(rng.choice(WORDS))
        elif r < 0.72:
            out.append(rng.choice(PUNCTUATION))
        elif r < 0.80:
            out.append(rng.choice(ODD))
        elif r < 0.86:
            word = rng.choice(spun_phrases()).split()[0]
            out.append(rng.choice(PROTECTED_TEMPLATES).format(w=word, p=_phrase(rng)))
        else:
            out.append(rng.choice(WHITESPACE))
        out.append(rng.choice(WHITESPACE) if rng.random() < 0.8 else "")
    return "".join(out)


# ---------------------------------------------------------------- files


@dataclass(frozen=True, slots=True)
class FuzzFile:
    """A file as the fuzzer wrote it: its bytes, and (unless damaged) the text they hold and how."""

    name: str
    data: bytes
    text: str | None  # None: damaged on purpose (cut short, binary): only "no crash" is checked
    codec: str = "utf-8"  # how `text` is encoded (no BOM in it)
    bom: bytes = b""

    def encode(self, text: str) -> bytes:
        return text.encode(self.codec)


# The run's --encoding, and the codecs a file may be written in under it.
ENCODINGS: dict[str | None, tuple[str, ...]] = {
    None: ("utf-8", "utf-8", "utf-8", "utf-8-bom", "utf-16-le-bom", "utf-16-be-bom", "utf-32-le-bom"),
    "latin-1": ("latin-1",),
    "cp1252": ("cp1252",),
    "utf-16": ("utf-16-le-bom", "utf-16-be-bom", "utf-16-le"),
}


def random_file(rng: random.Random, name: str, encoding: str | None) -> FuzzFile:
    text = random_text(rng)
    kind = rng.choice(ENCODINGS[encoding])
    codec, bom = kind.removesuffix("-bom"), b""
    if kind.endswith("-bom"):
        bom = "\ufeff".encode(codec)
    if encoding == "utf-16" and not bom:
        codec = "utf-16-le" if sys.byteorder == "little" else "utf-16-be"
    text = text.encode(codec, "ignore").decode(codec)  # what this codec can hold
    if text.startswith("\ufeff"):
        text = "x" + text  # a leading U+FEFF would read as a BOM
    data = bom + text.encode(codec)
    r = rng.random()
    if r < 0.03 and data:
        return FuzzFile(name, data[: rng.randrange(len(data))] + bytes([rng.randrange(128, 256)]), None)
    if r < 0.05:
        return FuzzFile(name, data + b"\x00" + os.urandom(rng.randrange(1, 64)), None)
    if r < 0.06:
        return FuzzFile(name, b"", "", codec, b"")
    return FuzzFile(name, data, text, codec, bom)


# ---------------------------------------------------------------- running main in-process


@dataclass
class Run:
    code: int
    out: bytes
    err: str


@contextlib.contextmanager
def _streams(stdin: bytes = b"") -> Iterator[tuple[io.BytesIO, io.StringIO]]:
    out, err = io.BytesIO(), io.StringIO()
    saved = sys.stdin, sys.stdout, sys.stderr
    sys.stdin = io.TextIOWrapper(io.BytesIO(stdin))
    sys.stdout = io.TextIOWrapper(out, encoding="utf-8", write_through=True)
    sys.stderr = err
    try:
        yield out, err
    finally:
        with contextlib.suppress(Exception):
            sys.stdout.flush()
        sys.stdin, sys.stdout, sys.stderr = saved


def run_main(argv: Sequence[str], stdin: bytes = b"") -> Run:
    with _streams(stdin) as (out, err):
        code = main(list(argv))
        sys.stdout.flush()
        return Run(int(code), out.getvalue(), err.getvalue())


# ---------------------------------------------------------------- properties


def stderr_problems(run: Run, what: str) -> list[str]:
    problems = []
    if run.code not in OK_CODES:
        problems.append(f"{what}: exit {run.code}")
    for line in run.err.splitlines():
        if not line.startswith("repair") or "Traceback" in line or "internal error" in line:
            problems.append(f"{what}: stderr line {line[:200]!r}")
    return problems


def _encodable(enc: Callable[[str], bytes], text: str) -> bytes | None:
    """`text` in the file's encoding, or None where it has no bytes there (such a suggestion cannot be written)."""
    try:
        return enc(text)
    except UnicodeEncodeError:
        return None


def outside_edits_kept(file: FuzzFile, output: bytes, findings: Sequence[dict[str, object]]) -> bool:
    """Whether `output` is the file's bytes with each finding's span holding its spun text or a suggestion."""
    assert file.text is not None
    text, enc = file.text, file.encode
    spans = sorted((int(f["start"]), int(f["end"]), f) for f in findings)  # type: ignore[call-overload]
    gaps = [text[: spans[0][0]] if spans else text]
    options: list[list[bytes]] = []
    for k, (start, end, f) in enumerate(spans):
        choices = [text[start:end], *f["suggestions"]]  # type: ignore[misc]
        options.append(sorted({b for c in choices if (b := _encodable(enc, c)) is not None}, key=len, reverse=True))
        gaps.append(text[end : spans[k + 1][0]] if k + 1 < len(spans) else text[end:])
    head = file.bom + enc(gaps[0])
    if not output.startswith(head):
        return False
    encoded_gaps = [enc(g) for g in gaps]
    reachable = {len(head)}
    for k in range(len(spans)):
        reachable = {
            pos + len(choice) + len(encoded_gaps[k + 1])
            for pos in reachable
            for choice in options[k]
            if output.startswith(choice, pos) and output.startswith(encoded_gaps[k + 1], pos + len(choice))
        }
        if not reachable:
            return False
    return len(output) in reachable


@dataclass
class Tally:
    """What a fuzz run did and found."""

    cases: int = 0  # files through the CLI, or texts through the engine
    written: int = 0  # files fixed and checked byte for byte
    changed: int = 0  # ...of which the fix changed
    refused: int = 0  # files reported on stderr (damaged, binary, not encodable)
    not_idempotent: int = 0  # a second fix changed the output (issue 12 point 8)
    problems: list[str] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)  # where a second fix changed something

    def add(self, other: Tally) -> None:
        self.cases += other.cases
        self.written += other.written
        self.changed += other.changed
        self.refused += other.refused
        self.not_idempotent += other.not_idempotent
        self.problems += other.problems
        self.examples += other.examples[: max(0, 5 - len(self.examples))]


FIX_OPTIONS: tuple[tuple[str, ...], ...] = ((), (), (), ("--safety", "choose"), ("--threshold", "0.3"), ("-j", "2"))


def cli_round(seed: int, folder: Path, files: int = 100, *, options: Sequence[str] | None = None) -> Tally:
    """One round of the CLI fuzzer: `files` random files through check, fix (and fix again)."""
    rng = random.Random(seed)
    tally = Tally()
    shutil.rmtree(folder, ignore_errors=True)
    inputs, out, again, work = folder / "in", folder / "out", folder / "again", folder / "work"
    for path in (inputs, out, again):
        path.mkdir(parents=True)
    encoding = rng.choice([None, None, None, "latin-1", "cp1252", "utf-16"])
    written: dict[str, FuzzFile] = {}
    for k in range(files):
        name = f"f{k:04}{rng.choice(('.txt', '.txt', '.md', '.html'))}"
        written[name] = file = random_file(rng, name, encoding)
        (inputs / name).write_bytes(file.data)
    common = ["--no-config", "--no-user-lists", "-q", *(["--encoding", encoding] if encoding else [])]
    chosen = list(options if options is not None else rng.choice(FIX_OPTIONS))
    where = f"seed {seed}"
    jobs = chosen[chosen.index("-j") : chosen.index("-j") + 2] if "-j" in chosen else []
    check = run_main(["check", str(inputs), "--format", "json", "--all", *common, *jobs])
    tally.problems += stderr_problems(check, f"{where}: check")
    findings: dict[str, list[dict[str, object]]] = {name: [] for name in written}
    for line in check.out.decode("utf-8").splitlines():
        item = json.loads(line)
        if "start" in item:
            findings[Path(str(item["path"])).name].append(item)
    fix = run_main(["fix", str(inputs), "--output-dir", str(out), *common, *chosen])
    tally.problems += stderr_problems(fix, f"{where}: fix {' '.join(chosen)}")
    for name, file in written.items():
        tally.cases += 1
        target = out / name
        if not target.exists():
            tally.refused += 1
            if name not in fix.err:
                tally.problems.append(f"{where}: {name} neither written nor reported")
            continue
        result = target.read_bytes()
        if file.text is None:
            continue
        tally.written += 1
        tally.changed += result != file.data
        if not outside_edits_kept(file, result, findings[name] if check.code != 2 or name not in check.err else []):
            tally.problems.append(f"{where}: {name}: bytes outside the findings changed")
    second = run_main(["fix", str(out), "--output-dir", str(again), *common, *chosen])
    tally.problems += stderr_problems(second, f"{where}: second fix")
    # A second default fix changes nothing; applied choices (`--safety choose`) can open others, not counted.
    for path in sorted(out.iterdir()) if "choose" not in chosen else ():
        if (again / path.name).exists() and (again / path.name).read_bytes() != path.read_bytes():
            tally.not_idempotent += 1
            tally.examples.append(f"{where}: {path.name}")
    scratch = folder / "scratch"
    scratch.mkdir()
    for _ in range(2):
        tally.problems += argv_round(rng, inputs, scratch, where)
    if rng.random() < 0.3:  # in place: every backup the original, every file the --output-dir result
        shutil.copytree(inputs, work)
        in_place = run_main(["fix", str(work), "--in-place", *common, *chosen])
        tally.problems += stderr_problems(in_place, f"{where}: fix --in-place")
        for name, file in written.items():
            now, bak = (work / name).read_bytes(), work / f"{name}.bak"
            expected = (out / name).read_bytes() if (out / name).exists() else file.data
            if now != expected or (bak.exists() and bak.read_bytes() != file.data) or (now != file.data) > bak.exists():
                tally.problems.append(f"{where}: {name}: --in-place differs from --output-dir or its backup")
    return tally


ARGV_CHOICES: tuple[tuple[str, ...], ...] = (
    ("--threshold", "0.5"), ("--threshold", "2"), ("--threshold", "nan"), ("--threshold", "x"), ("--safety", "choose"),
    ("--safety", "sometimes"), ("--encoding", "latin-1"), ("--encoding", "rot13"), ("--encoding", "klingon"),
    ("--encoding", "utf-16"), ("-j", "x"), ("-j", "0"), ("--glob", "*.md"), ("--glob", "["), ("--diff",),
    ("--exit-zero",), ("--format", "json"), ("--format", "sarif"), ("--format", "github"), ("--format", "xml"),
    ("--all",), ("-q",), ("--ignore", "missing.txt"), ("--wordlist", "news"), ("--wordlist", "missing.txt"),
    ("--config", "/dev/null"), ("--config", "missing.toml"), ("--no-config",), ("--statistics",), ("--bogus",),
    ("--decisions",), ("--only-decisions",), ("--force",), ("--no-backup",), ("-o", "-"),
)  # fmt: skip


def argv_round(rng: random.Random, inputs: Path, scratch: Path, where: str) -> list[str]:
    """A random command line, sane or not, over the fuzz files: exit 0, 1 or 2 and `repair...` lines only."""
    names = sorted(p.name for p in inputs.iterdir())
    command = rng.choice(["check", "check", "fix", "report"])
    argv = [command, "--no-user-lists"]
    for _ in range(rng.randrange(0, 5)):
        argv += rng.choice(ARGV_CHOICES)
    if rng.random() < 0.3:  # a wordlist, config or ignore list that is really a fuzz file
        argv += [rng.choice(["--wordlist", "--config", "--ignore"]), str(inputs / rng.choice(names))]
    paths = rng.choice([[str(inputs)], [str(inputs / rng.choice(names))], ["missing.txt"], ["-"], []])
    argv += paths
    if command == "fix" and "-o" not in argv:
        argv += ["--output-dir", str(scratch), "--force"]
    if command == "report":
        argv += ["-o", str(scratch / "report.html"), "--force"]
    stdin = (inputs / rng.choice(names)).read_bytes() if "-" in paths else b""
    run = run_main(argv, stdin)
    return stderr_problems(run, f"{where}: repair {' '.join(argv)}")


def engine_case(seed: int, fix_text: Callable[[str], str], scan: Callable[[str], Sequence[object]]) -> Tally:
    """One random text through the API: well-formed findings, and whether a second fix changes anything."""
    rng = random.Random(seed)
    text = random_text(rng)
    tally = Tally(cases=1)
    try:
        findings = scan(text)
        fixed = fix_text(text)
        refixed = fix_text(fixed)
    except Exception as exc:  # the property: nothing a text holds makes the engine fail
        tally.problems.append(f"seed {seed}: {type(exc).__name__}: {exc}")
        return tally
    previous = 0
    for f in findings:
        start, end, spun = f.start, f.end, f.spun  # type: ignore[attr-defined]
        if not (previous <= start < end <= len(text)) or text[start:end] != spun:
            tally.problems.append(f"seed {seed}: finding {start}-{end} {spun!r} is not the text's")
        previous = end
    tally.changed += fixed != text
    if refixed != fixed:
        tally.not_idempotent += 1
        tally.examples.append(f"seed {seed}")
    return tally


def encodings_case(seed: int) -> Tally:
    """Random bytes and texts under many codecs: decoded and written back unchanged, or refused in one line."""
    from repair.edge.documents import InputError, decode

    rng = random.Random(seed)
    tally = Tally(cases=1)
    codec = rng.choice(["utf-8", "utf-8-sig", "utf-16", "utf-32", "cp1252", "latin-1", "cp932", "utf-7",
                        "unicode_escape", "iso2022_jp", "gb18030", "shift_jis", "rot13", "base64"])  # fmt: skip
    if rng.random() < 0.5:
        data = random_text(rng, rng.randrange(0, 30)).encode(codecs.lookup(codec).name, "ignore") if codec not in (
            "rot13", "base64") else os.urandom(rng.randrange(0, 64))  # fmt: skip
    else:
        data = bytes(rng.randrange(256) for _ in range(rng.randrange(0, 64)))
    try:
        doc = decode(data, "x", codec)
    except InputError as exc:
        if "\n" in str(exc):
            tally.problems.append(f"seed {seed}: a two-line error for {codec}")
        tally.refused += 1
        return tally
    except Exception as exc:
        tally.problems.append(f"seed {seed}: {codec}: {type(exc).__name__}: {exc}")
        return tally
    tally.written += 1
    if doc.encoded(doc.text) != data:
        tally.problems.append(f"seed {seed}: {codec}: unchanged text written back as other bytes")
    return tally
