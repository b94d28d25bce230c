"""The documents of one `repair review` run: options, files, and their sessions, scanned lazily.

The engine is built through `repair.edge.setup` like every other front end's, so a
review sees the same wordlists and ignore lists as `repair check`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from repair.core.engine import Engine
from repair.edge import decisions as store_mod
from repair.edge.decisions import DecisionLock, DecisionStore, Where
from repair.edge.documents import Document, InputError, file_mode, read_document, remove_stale_temps
from repair.edge.fixing import backup_exists, backup_path
from repair.edge.prose import format_for, scan_document
from repair.edge.setup import EngineSettings, EngineSpec, build_engine, load_settings
from repair.edge.userdata import UserData
from repair.review.session import ReviewFilter, ReviewSession, same_file


@dataclass(frozen=True, slots=True)
class ReviewOptions:
    """What `repair review` was asked to do (the CLI's arguments, without argparse)."""

    paths: tuple[str, ...]
    wordlists: tuple[str, ...] = ()  # shipped names or paths; empty: the shipped default
    encoding: str | None = None
    output: str | None = None
    in_place: bool = False
    force: bool = False  # in place: go ahead where NAME.EXT.bak exists from an earlier run (it is kept)
    decisions: str | None = None  # an explicit decisions file (one document only)
    decisions_in: Where = "beside"
    threshold: float = 0.0
    user_lists: bool = True  # use the user wordlist and ignore list
    home: str | None = None  # the user data folder; default from the environment
    discover: bool = False  # also offer thesaurus candidates for unlisted words (--recall-mode)


@dataclass(frozen=True, slots=True)
class ReviewFile:
    document: Document
    output: Path
    decisions_path: Path

    @property
    def name(self) -> str:
        return Path(self.document.path).name


def default_output(path: Path) -> Path:
    """NAME.repaired.EXT beside the input."""
    return path.with_name(f"{path.stem}.repaired{path.suffix}")


def engine_settings(options: ReviewOptions, userdata: UserData) -> EngineSettings:
    """What a review scans with: the given (or shipped) lists, the user's own list first and ignore list."""
    return EngineSettings(
        wordlists=options.wordlists,
        userdata=userdata if options.user_lists else None,
        discover=options.discover,
    )


@dataclass
class Workspace:
    """The documents of one `repair review` run, scanned lazily into sessions."""

    options: ReviewOptions
    engine: Engine | None = None
    userdata: UserData = field(init=False)
    files: list[ReviewFile] = field(init=False)
    sessions: list[ReviewSession | None] = field(init=False)
    locks: list[DecisionLock] = field(init=False, default_factory=list)  # one review at a time per document
    _spec: EngineSpec = field(init=False, repr=False)

    def __post_init__(self) -> None:
        opts = self.options
        if not opts.paths:
            raise InputError("review: give at least one file")
        if opts.in_place and opts.output:
            raise InputError("review: use either -o or --in-place, not both")
        if opts.decisions and len(opts.paths) > 1:
            raise InputError("review: --decisions names one file; with several documents use --decisions-in")
        if not 0.0 <= opts.threshold <= 1.0:
            raise InputError(f"review: threshold {opts.threshold} is not between 0 and 1")
        self.userdata = UserData(Path(opts.home)) if opts.home else UserData.from_env()
        out_dir = None
        if opts.output and (len(opts.paths) > 1 or Path(opts.output).is_dir()):
            out_dir = Path(opts.output)
            if not out_dir.is_dir():
                raise InputError(f"{opts.output}: with several files, -o must be an existing folder")
        files: list[ReviewFile] = []
        seen: set[Path] = set()
        for raw in opts.paths:
            if raw == "-":
                raise InputError("review: needs files, not standard input")
            path = Path(raw)
            if path.resolve() in seen:
                continue
            seen.add(path.resolve())
            document = read_document(raw, opts.encoding)
            if opts.in_place:
                output = path
            elif out_dir is not None:
                output = out_dir / path.name
            elif opts.output:
                output = Path(opts.output)
            else:
                output = default_output(path)
            if not opts.in_place and same_file(output, path):
                raise InputError(f"{output}: is the input; saving over it needs --in-place")
            if opts.in_place and not opts.force and backup_exists(path, document.encoded(document.text)):
                raise InputError(
                    f"{backup_path(path)}: a backup from an earlier run exists and is never replaced; "
                    "--force reviews in place and keeps it as it is"
                )
            if opts.decisions:
                where_path = Path(opts.decisions)
            else:
                where_path = store_mod.path_for(path, opts.decisions_in, self.userdata.home)
            files.append(ReviewFile(document, output, where_path))
        self.files = files
        if self.engine is None:
            # read now (errors before the app starts); the matcher is built on first scan, off the UI thread
            self._spec = load_settings(engine_settings(opts, self.userdata))
        self.sessions = [None] * len(files)
        for folder in {
            p.parent for file in files for p in (Path(file.document.path), file.output, file.decisions_path)
        }:
            remove_stale_temps(folder)  # what a killed review or fix left half-written
        try:
            for file in files:
                lock = DecisionLock(file.decisions_path)
                lock.acquire()  # a second review of the same document is told, before its app starts
                self.locks.append(lock)
        except InputError:
            self.release()
            raise

    def open(self, index: int) -> ReviewSession:
        """Scan document `index` and restore its saved decisions (slow for big documents)."""
        session = self.sessions[index]
        if session is not None:
            return session
        file = self.files[index]
        if self.engine is None:
            self.engine = build_engine(self._spec)
        document = file.document
        fmt = "text" if document.path == "-" else format_for(document.path)
        findings = scan_document(self.engine.scan, document.text, fmt)  # as check and fix see it
        label = file.document.path if self.options.decisions_in == "user" else file.name
        digest = store_mod.content_hash(file.document.text)
        store = DecisionStore(file.decisions_path, label, digest, mode=file_mode(file.document.path))
        session = ReviewSession(
            file.document,
            findings,
            store=store,
            output=file.output,
            in_place=self.options.in_place,
            userdata=self.userdata,
            review_filter=ReviewFilter(min_confidence=self.options.threshold),
        )
        self.sessions[index] = session
        return session

    @property
    def dirty(self) -> bool:
        return any(s is not None and s.dirty for s in self.sessions)

    def close(self) -> None:
        """Leave every decisions file compact, and let the next review of these documents in."""
        try:
            for session in self.sessions:
                if session is not None:
                    session.close()
        finally:
            self.release()

    def release(self) -> None:
        for lock in self.locks:
            lock.release()
        self.locks.clear()

    def summary(self) -> str:
        lines = []
        for file, session in zip(self.files, self.sessions, strict=True):
            if session is None:
                lines.append(f"{file.document.path}: not reviewed (closed before it was scanned)")
            else:
                lines.extend(session.summary())
        return "\n".join(lines)
