"""Find input files and scan many of them, in one process or several, results in input order.

No argparse and no printing here: the CLI, the benchmark scripts and the TUI share it.
A problem with one input ends up as a one-line `error` (or `warning`) on its
`FileResult`, never as an exception that stops the batch.

`with_user_data` adds the user's own wordlist and ignore list (what `repair review`
saves) to the scan options, so check and fix see what the reviewer taught them;
`apply_decisions` applies saved review decisions to a scanned document.
"""

from __future__ import annotations

import fnmatch
import gc
import itertools
import os
import signal
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from repair import decisions
from repair.decisions import Decision, DecisionFile
from repair.engine import CONTEXT_CHARS, Engine, Selection, apply_edits, select
from repair.io import BINARY_SNIFF, Document, InputError, read_document, read_problem
from repair.model import Edit, Finding
from repair.text import phrase_key
from repair.userdata import UserData
from repair.wordlists import Wordlist, WordlistError, resolve, shipped_names

DEFAULT_GLOBS = ("*.txt", "*.md")
STDIN = "-"
STDIN_LABEL = "<stdin>"
# Texts longer than this are scanned a piece at a time, cut at paragraph breaks, so a
# 50 MB file scans in about 350 MB of memory instead of 500; no single article comes near it.
CHUNK_CHARS = 8_000_000
SAFE = Selection()  # what a batch fix applies without a reviewer


@dataclass(frozen=True, slots=True)
class Source:
    """One input: a file named by the user, a file found under a folder, or stdin."""

    path: str
    root: str | None = None  # the folder argument it was found under; None when named directly
    error: str | None = None  # a problem met while walking (e.g. an unreadable folder)

    @property
    def label(self) -> str:
        return STDIN_LABEL if self.path == STDIN else self.path

    @property
    def relative(self) -> str:
        """Its path below the folder it was found in (or its file name when named directly)."""
        if self.root is None:
            return os.path.basename(self.path)
        return os.path.relpath(self.path, self.root)


@dataclass(frozen=True, slots=True)
class ScanOptions:
    """Everything a worker needs to build its own Engine and read files; picklable."""

    wordlists: tuple[Wordlist, ...]
    ignore: frozenset[str] = frozenset()
    encoding: str | None = None
    keep_document: bool = False  # return the decoded text too (fix needs it; check does not)
    count_words: bool = False  # count the text's words (for a risk score) so the text need not come back
    discover: bool = False  # also offer thesaurus candidates for words the lists do not have (--recall-mode)
    # A picklable function of a FileResult, run where the file was scanned (in the worker
    # process with -j N): what it returns travels back as FileResult.summary, and the
    # findings stay behind. `repair check` makes its report lines this way, so that with
    # -j N the parent only prints them instead of unpickling and formatting every finding.
    summarise: Callable[[FileResult], object] | None = None


@dataclass(frozen=True, slots=True)
class FileResult:
    source: Source
    findings: tuple[Finding, ...] = ()
    document: Document | None = None
    error: str | None = None  # the file could not be scanned (exit 2)
    warning: str | None = None  # the file was skipped on purpose (e.g. binary, found while walking)
    words: int | None = None  # the text's word count (`repair.pps.count_words`), when asked for
    summary: object = None  # what ScanOptions.summarise made of the findings (which are then left out)

    @property
    def scanned(self) -> bool:
        return self.error is None and self.warning is None


@dataclass(frozen=True, slots=True)
class FixResult:
    """The outcome of applying a selection (and saved review decisions) to one document."""

    text: str
    applied: tuple[Finding, ...]
    remaining: tuple[Finding, ...] = ()  # left for a reviewer
    rejected: tuple[Finding, ...] = ()  # a reviewer decided to keep the text as it is
    decided: int = 0  # how many of `applied` a saved accept/edit decision made
    unmatched: tuple[Decision, ...] = ()  # saved decisions that match no finding any more


# ---------------------------------------------------------------- inputs


def load_wordlists(specs: Sequence[str]) -> tuple[Wordlist, ...]:
    """Resolve wordlist specs (shipped names or paths); raises InputError with one line."""
    lists: list[Wordlist] = []
    for spec in specs:
        try:
            lists.extend(resolve([spec]))
        except WordlistError as exc:
            raise InputError(str(exc)) from None
        except FileNotFoundError:
            known = ", ".join(shipped_names()) or "none"
            raise InputError(f"{spec}: no such wordlist file or shipped list (shipped: {known})") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(read_problem(spec, exc, "wordlist file")) from None
    return tuple(lists)


def with_user_data(options: ScanOptions, userdata: UserData) -> ScanOptions:
    """`options` with the user's wordlist first and the user's ignore list added, as `repair review` scans.

    Raises InputError (one line naming the file) for an unreadable or broken user file.
    """
    user = userdata.load_wordlist()
    wordlists = options.wordlists if user is None else (user, *options.wordlists)
    ignore = options.ignore | {k for k in map(ignore_key, userdata.load_ignore()) if k}
    return replace(options, wordlists=wordlists, ignore=frozenset(ignore))


def ignore_key(phrase: str) -> str:
    """How an ignore-list line is compared: rule ids as written, phrases normalised."""
    name, colon, spun = phrase.strip().partition(":")
    if colon and name and " " not in name:
        return f"{name}:{' '.join(phrase_key(spun))}"
    return " ".join(phrase_key(phrase))


def load_ignore(path: str) -> frozenset[str]:
    """Read a user ignore list: one rule id (`news:squaddie`) or spun phrase a line, `#` comments."""
    doc = read_document(path)
    keys = (ignore_key(line) for line in doc.text.splitlines() if line.strip() and not line.lstrip().startswith("#"))
    return frozenset(k for k in keys if k)


def _matches(name: str, relative: str, globs: Sequence[str]) -> bool:
    # A pattern with a slash is matched against the path below the folder, others against the name.
    return any(fnmatch.fnmatch(relative if "/" in g else name, g) for g in globs)


def walk(
    paths: Iterable[str], globs: Sequence[str] = DEFAULT_GLOBS, *, exclude: Iterable[str | Path] = ()
) -> list[Source]:
    """The files to scan, in a stable order.

    Files named directly are always taken (whatever `globs` says); folders are
    walked recursively in sorted order, taking files whose name matches one of
    `globs`, skipping hidden files and folders and anything under `exclude`.
    A path that does not exist is kept, so that reading it reports the error in order.
    """
    excluded = {Path(p).resolve() for p in exclude}
    seen: set[Path] = set()
    sources: list[Source] = []

    def add(source: Source) -> None:
        if source.path != STDIN:
            key = Path(source.path).resolve()
            if key in seen:
                return
            seen.add(key)
        sources.append(source)

    for path in paths:
        if path == STDIN or not os.path.isdir(path):
            add(Source(path))
            continue
        problems: list[OSError] = []
        found: list[tuple[str, str]] = []
        for folder, dirs, files in os.walk(path, onerror=problems.append):
            dirs[:] = [d for d in dirs if not d.startswith(".") and Path(folder, d).resolve() not in excluded]
            for name in files:
                full = os.path.join(folder, name)
                relative = os.path.relpath(full, path).replace(os.sep, "/")
                if not name.startswith(".") and _matches(name, relative, globs):
                    found.append((relative, full))
        for _, full in sorted(found):
            add(Source(full, root=path))
        for problem in problems:
            where = problem.filename or path
            add(Source(str(where), root=path, error=f"{where}: cannot read folder ({problem.strerror or problem})"))
    return sources


def _looks_binary(path: str) -> bool:
    try:
        with open(path, "rb") as handle:
            return b"\x00" in handle.read(BINARY_SNIFF)
    except OSError:
        return False  # reading it properly will report the problem


# ---------------------------------------------------------------- scanning


def _split_points(text: str, size: int) -> list[int]:
    """Offsets to cut a long text at: paragraph breaks if possible, else line breaks, else spaces."""
    cuts = [0]
    while len(text) - cuts[-1] > size:
        start, target = cuts[-1], cuts[-1] + size
        cut = -1
        for sep in ("\n\n", "\n", " "):
            at = text.rfind(sep, start + size // 2, target)
            if at != -1:
                cut = at + len(sep)
                break
        cuts.append(cut if cut != -1 else target)
    cuts.append(len(text))
    return cuts


def scan_text(engine: Engine, text: str, *, chunk: int = CHUNK_CHARS) -> list[Finding]:
    """`engine.scan`, but a long text is scanned in pieces so memory stays bounded.

    Findings have offsets, line, column and context relative to the whole text,
    the same as a single scan gives. Document-level evidence (density, `doc=`
    conditions) is then judged per piece of about `chunk` characters.
    """
    if len(text) <= chunk:
        return engine.scan(text)
    cuts = _split_points(text, chunk)
    findings: list[Finding] = []
    lines_before = 0
    for start, end in itertools.pairwise(cuts):
        line_start = text.rfind("\n", 0, start) + 1
        for f in engine.scan(text[start:end]):
            s, e = f.start + start, f.end + start
            findings.append(
                replace(
                    f,
                    start=s,
                    end=e,
                    line=f.line + lines_before,
                    column=f.column + (start - line_start if f.line == 1 else 0),
                    before=text[max(0, s - CONTEXT_CHARS) : s],
                    after=text[e : e + CONTEXT_CHARS],
                )
            )
        lines_before += text.count("\n", start, end)
    return findings


def is_ignored(finding: Finding, ignore: frozenset[str]) -> bool:
    return bool(ignore) and (finding.rule in ignore or " ".join(phrase_key(finding.spun)) in ignore)


def scan_source(engine: Engine, source: Source, options: ScanOptions, document: Document | None = None) -> FileResult:
    """Read and scan one input; never raises for a problem the user can cause."""
    if source.error is not None:
        return FileResult(source, error=source.error)
    if source.root is not None and _looks_binary(source.path):
        return FileResult(source, warning=f"{source.path}: skipped, looks like a binary file")
    try:
        doc = document or read_document(source.path, options.encoding)
    except InputError as exc:
        return FileResult(source, error=str(exc))
    findings = tuple(scan_text(engine, doc.text))
    if options.ignore:
        findings = tuple(f for f in findings if not is_ignored(f, options.ignore))
    words = None
    if options.count_words:
        from repair.pps import count_words  # imported only when asked: plain scans never load pps

        words = count_words(doc.text)
    result = FileResult(source, findings, doc if options.keep_document else None, words=words)
    if options.summarise is not None:
        return replace(result, findings=(), summary=options.summarise(result))
    return result


def build_engine(options: ScanOptions) -> Engine:
    return Engine(options.wordlists, ignore=options.ignore, discover=options.discover)


# The young generation's collection threshold during a batch (Python's default is 700).
GC_YOUNG_THRESHOLD = 20_000


def _batch_engine(options: ScanOptions) -> Engine:
    """The engine a batch builds for its process, its tables loaded and set aside from garbage collection.

    The tables (entries, inflections, the vocabulary) live as long as the process, so
    `gc.freeze` takes them out of the collector's sight: otherwise every full collection
    walks them again while the scan allocates findings (~8% of the time of a large check).
    A scan allocates hundreds of thousands of small objects (matches, candidates,
    findings) that die with their file and form no cycles, so collecting the young
    generation every 700 of them is wasted work: the batch process collects it every
    GC_YOUNG_THRESHOLD allocations instead (a large check spent ~6% of its time in
    the collector, now ~2%).
    """
    engine = build_engine(options)
    _ = engine.vocabulary  # loaded now, so that it is frozen too
    gc.freeze()
    _, older, oldest = gc.get_threshold()
    gc.set_threshold(GC_YOUNG_THRESHOLD, older, oldest)
    return engine


# One Engine per worker process, built once by the pool initializer: building it
# costs far more than scanning a typical file, so it must not happen per task.
_worker_engine: tuple[Engine, ScanOptions] | None = None


def _init_worker(options: ScanOptions) -> None:
    global _worker_engine
    # The parent handles Ctrl-C and shuts the pool down; workers must not print tracebacks.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker_engine = (_batch_engine(options), options)


def _work(task: tuple[Source, Document | None]) -> FileResult:
    assert _worker_engine is not None, "worker used before its initializer ran"
    engine, options = _worker_engine
    return scan_source(engine, task[0], options, task[1])


def job_count(jobs: int) -> int:
    """`-j 0` means one process per CPU."""
    return max(1, os.cpu_count() or 1) if jobs <= 0 else jobs


def scan_all(
    sources: Sequence[Source], options: ScanOptions, *, jobs: int = 1, engine: Engine | None = None
) -> Iterator[FileResult]:
    """Scan every source; results come back in input order as they are ready.

    With jobs > 1 and several inputs, files are scanned by a pool of processes,
    each building its own Engine once. Stdin is read here, in the parent.
    """
    workers = min(job_count(jobs), len(sources))
    if workers <= 1:
        return _serial(sources, options, engine)
    tasks: list[tuple[Source, Document | None]] = []
    for source in sources:
        document = None
        if source.path == STDIN:
            try:
                document = read_document(STDIN, options.encoding)
            except InputError as exc:
                source = replace(source, error=str(exc))
        tasks.append((source, document))
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=(options,))
    # Submitting here, not lazily, starts the workers before the caller starts any thread
    # (a progress bar): forking a process that runs threads can deadlock.
    # Small chunks keep results flowing for the progress bar while sparing per-file round trips.
    results = pool.map(_work, tasks, chunksize=max(1, min(16, len(tasks) // (workers * 8))))
    return _drain(pool, results)


def _serial(sources: Sequence[Source], options: ScanOptions, engine: Engine | None) -> Iterator[FileResult]:
    engine = engine or _batch_engine(options)
    for source in sources:
        yield scan_source(engine, source, options)


def _drain(pool: ProcessPoolExecutor, results: Iterator[FileResult]) -> Iterator[FileResult]:
    finished = False
    try:
        yield from results
        finished = True
    finally:
        # On Ctrl-C or an early stop, drop queued work instead of waiting for it.
        pool.shutdown(wait=finished, cancel_futures=not finished)


# ---------------------------------------------------------------- fixing


def apply_selection(text: str, findings: Sequence[Finding], selection: Selection = SAFE) -> FixResult:
    """Apply what `selection` accepts, by span; the rest stays for a reviewer."""
    applied = select(findings, selection)
    chosen = {id(f) for f in applied}
    new_text = apply_edits(text, (Edit.from_finding(f) for f in applied))
    return FixResult(new_text, tuple(applied), tuple(f for f in findings if id(f) not in chosen))


def apply_decisions(
    text: str, findings: Sequence[Finding], saved: DecisionFile, selection: Selection | None = SAFE
) -> FixResult:
    """Apply saved review decisions, then `selection` to the findings nobody decided.

    An accept or edit decision is applied whatever the finding's safety and confidence;
    a rejected finding is never applied; an undecided one is applied when `selection`
    accepts it (never when `selection` is None). Raises StaleEditError only if the
    findings were not scanned from `text`.
    """
    decided = decisions.match(findings, saved.decisions)
    undecided = [f for i, f in enumerate(findings) if i not in decided]
    chosen = select(undecided, selection) if selection is not None else []
    edits = decisions.decisions_to_edits(text, findings, saved)
    new_text = apply_edits(text, [*edits, *(Edit.from_finding(f) for f in chosen)])
    by_decision = [findings[i] for i in sorted(decided) if decided[i].changes_text]
    picked = {id(f) for f in chosen}
    return FixResult(
        new_text,
        tuple(sorted([*by_decision, *chosen], key=lambda f: f.start)),
        tuple(f for f in undecided if id(f) not in picked),
        tuple(findings[i] for i in sorted(decided) if not decided[i].changes_text),
        len(by_decision),
        tuple(decisions.unmatched(findings, saved)),
    )


def mirror_path(source: Source, output_dir: str | Path) -> Path:
    """Where `--output-dir` puts a source: its path below the folder it came from."""
    return Path(output_dir, source.relative)


def backup_path(path: str | Path) -> Path:
    p = Path(path)
    return p.with_name(p.name + ".bak")
