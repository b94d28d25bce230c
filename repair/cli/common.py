"""What the command modules share: exit codes, usage errors, argument types, and args -> scan options."""

from __future__ import annotations

import argparse
import enum
import os
import sys
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from repair.core.model import Safety
from repair.edge.config import Option
from repair.edge.documents import text_encoding
from repair.edge.inputs import DEFAULT_GLOBS, STDIN, Source
from repair.edge.reporting import REPORT_THRESHOLD

if TYPE_CHECKING:  # the engine, the batch and Dask's glue are imported by the commands that run them
    from repair.core.engine import Selection
    from repair.edge.batch import FileResult, ScanOptions
    from repair.edge.cluster import Scheduler

RECALL_THRESHOLD = 0.5  # --recall-mode: fix applies choices at least this confident
OWN_DECISIONS = ""  # `fix --decisions` without FILE: each document's own decisions file, where review keeps it


class ExitCode(enum.IntEnum):
    OK = 0  # nothing found (check), nothing left for review (fix)
    FINDINGS = 1  # findings remain
    ERROR = 2  # usage or input error
    INTERNAL = 3  # a bug in repair (one line; REPAIR_DEBUG=1 shows the traceback)
    INTERRUPTED = 130  # Ctrl-C
    BROKEN_PIPE = 141  # the reader of our output went away (e.g. `| head`)


def error(message: str) -> None:
    print(f"repair: error: {message}", file=sys.stderr)


def warning(message: str) -> None:
    print(f"repair: warning: {message}", file=sys.stderr)


class UsageError(Exception):
    """A bad command line; str() is one line, `repair: error: ...`, as every other error.

    `prog` names the command (`repair fix`) for the "see repair fix --help" hint.
    """

    def __init__(self, message: str, prog: str = "repair") -> None:
        super().__init__(f"repair: error: {message}")
        self.prog, self.message = prog, message


def fraction(value: str) -> float:
    """An argparse type: a number from 0 to 1 (thresholds, confidences)."""
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number from 0 to 1, got {value!r}") from None
    if not 0.0 <= number <= 1.0:
        raise argparse.ArgumentTypeError(f"expected a number from 0 to 1, got {value}")
    return number


def job_count_type(value: str) -> int:
    """An argparse type: `-j N`, a whole number (0 = one process per core)."""
    if not value.isdigit():
        raise argparse.ArgumentTypeError(f"expected a whole number (0 = all cores), got {value!r}")
    return int(value)


def scheduler_type(value: str) -> Scheduler:
    """An argparse type: `--scheduler local:N` or `tcp://HOST:PORT`."""
    from repair.edge.cluster import parse_scheduler

    try:
        return parse_scheduler(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def batch_results(args: argparse.Namespace, sources: Sequence[Source], options: ScanOptions) -> Iterator[FileResult]:
    """The batch of check and fix: in this process, a pool (-j N) or on a Dask cluster (--scheduler); input order."""
    from repair.edge.batch import scan_all

    if args.scheduler is None:
        return scan_all(sources, options, jobs=jobs_for(args, sources, options), tune_gc=True)
    if args.jobs is not None:
        raise UsageError("-j and --scheduler both say how to run in parallel: give one", f"repair {args.command}")
    return _on_cluster(args.scheduler, sources, options)


def _on_cluster(scheduler: Scheduler, sources: Sequence[Source], options: ScanOptions) -> Iterator[FileResult]:
    from repair.edge.cluster import connect, scan_on_cluster

    with connect(scheduler) as client:  # started on the first result asked for, closed after the last
        yield from scan_on_cluster(client, sources, options, tune_gc=scheduler.workers > 0)


def encoding_type(value: str) -> str:
    """An argparse type: a text encoding Python knows (not rot13, base64 and the like), by its canonical name."""
    try:
        return text_encoding(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def scan_options(args: argparse.Namespace, keep_document: bool) -> ScanOptions:
    """The scan options of `check` and `fix`: the wordlists and ignores (the user's own first), read now."""
    from repair.edge import blocks
    from repair.edge.batch import ScanOptions
    from repair.edge.setup import EngineSettings, load_settings
    from repair.edge.userdata import UserData

    settings = EngineSettings(
        wordlists=tuple(args.wordlist or ()),
        ignore_files=tuple(args.ignore or ()),
        userdata=None if args.no_user_lists else UserData.from_env(),
        discover=args.recall_mode,
    )
    return ScanOptions(
        load_settings(settings), args.encoding, keep_document=keep_document, block_chars=blocks.BLOCK_CHARS
    )


def jobs_for(args: argparse.Namespace, sources: Sequence[Source], options: ScanOptions) -> int:
    """`-j N` as given; without it, all cores where there is much to scan, else one process (`default_jobs`)."""
    from repair.edge.batch import default_jobs

    return default_jobs(sources, options) if args.jobs is None else args.jobs


def globs(args: argparse.Namespace) -> tuple[str, ...]:
    found = tuple(g.strip() for item in args.glob or () for g in item.split(",") if g.strip())
    return found or DEFAULT_GLOBS


def walk_sources(args: argparse.Namespace, patterns: tuple[str, ...], skip: tuple[str, ...] = ()) -> list[Source]:
    """The inputs of check, fix and report: folders and URLs walked, less --exclude and .gitignore (--no-ignore-vcs)."""
    from repair.edge.remote import walk_inputs

    paths = args.paths
    if on_a_running_scheduler(args):
        paths = [local_absolute(p) for p in paths]
        skip = tuple(local_absolute(p) for p in skip)
    return walk_inputs(
        paths, patterns, exclude=skip, patterns=tuple(args.exclude or ()), vcs_ignore=not args.no_ignore_vcs
    )


def on_a_running_scheduler(args: argparse.Namespace) -> bool:
    """Whether the batch runs on workers with working folders of their own (--scheduler tcp://...)."""
    scheduler = getattr(args, "scheduler", None)
    return scheduler is not None and not scheduler.workers


def local_absolute(path: str) -> str:
    """A local path made absolute, so that a worker elsewhere finds it; stdin and URLs as given."""
    from repair.edge.remote import is_url

    return path if path == STDIN or is_url(path) else os.path.abspath(path)


def report_threshold(args: argparse.Namespace) -> float:
    """What check and report show: --all everything, else --threshold, else the documented default."""
    if getattr(args, "all", False):
        return 0.0
    return REPORT_THRESHOLD if args.threshold is None else float(args.threshold)


def require_paths(args: argparse.Namespace) -> None:
    if not args.paths:
        taken = getattr(args, "decisions", None)
        if taken:  # `fix --decisions doc.txt`: argparse took the document for FILE
            hint = f"--decisions took {taken!r} as its FILE; put PATH before --decisions"
            raise UsageError(f"give at least one PATH ({hint})", f"repair {args.command}")
        raise UsageError("give at least one PATH (- reads stdin)", f"repair {args.command}")


def recall_selection(threshold: float) -> Selection:
    """What `--recall-mode` applies: choices too, where the evidence is at least even."""
    from repair.core.engine import Selection

    return Selection(threshold=max(threshold, RECALL_THRESHOLD), safety=Safety.CHOOSE)


class ConfigurableOptions:
    """Adds options to a subparser and records which ones a config file may set."""

    def __init__(self, parser: argparse.ArgumentParser) -> None:
        self.parser = parser
        self.table: dict[str, Option] = {}

    def add(self, *flags: str, is_path: bool = False, **kwargs: object) -> None:
        action = self.parser.add_argument(*flags, **kwargs)  # type: ignore[arg-type]
        long = next(f for f in flags if f.startswith("--"))
        repeatable = kwargs.get("action") == "append"
        self.table[long[2:]] = Option(long, takes_value=action.nargs != 0, repeatable=repeatable, is_path=is_path)


def config_options(parser: argparse.ArgumentParser) -> None:
    """--config FILE and --no-config, for every command that reads settings (check, fix, report, review)."""
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--config", metavar="FILE", help="read settings from FILE instead of searching for one")
    source.add_argument("--no-config", action="store_true", help="ignore .repair.toml and pyproject.toml")
