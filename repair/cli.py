"""The `repair` command line: a thin layer over the engine, `repair.batch` and `repair.io`.

Every problem the user can cause (a bad path, bad text, a bad wordlist or config)
ends as one line on stderr and exit code 2; nothing is ever half-written.
"""

from __future__ import annotations

import argparse
import codecs
import difflib
import enum
import importlib
import importlib.util
import json
import os
import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import ClassVar, NoReturn, TextIO

from repair import __version__
from repair import decisions as decisions_mod
from repair.batch import (
    DEFAULT_GLOBS,
    SAFE,
    STDIN,
    FileResult,
    FixResult,
    ScanOptions,
    Source,
    apply_decisions,
    apply_selection,
    backup_path,
    load_ignore,
    load_wordlists,
    mirror_path,
    scan_all,
    walk,
    with_user_data,
)
from repair.config import Config, ConfigError, Option, find_config, load_config, to_argv
from repair.decisions import DecisionFile
from repair.engine import Selection
from repair.inflections import table_problem
from repair.io import Document, InputError, atomic_write_bytes, read_problem
from repair.model import Finding, Safety, StaleEditError
from repair.userdata import UserData
from repair.wordlists import (
    DEFAULT_LISTS,
    TORTURED_PHRASES,
    WordlistError,
    lint,
    load_path,
    shipped_names,
    wordlist_dir,
)

JSON_SCHEMA = 1  # the "schema" field of every `check --format json` line
CONFIG_COMMANDS = ("check", "fix")
FIX = "repair fix"
# Options that choose where output goes, or which config to read, are never taken from a config file.
CLI_ONLY = frozenset(
    {
        "output",
        "output-dir",
        "in-place",
        "diff",
        "force",
        "config",
        "no-config",
        "help",
        "version",
        "decisions",
        "only-decisions",
    }
)
OWN_DECISIONS = ""  # `--decisions` without FILE: each document's own decisions file, where review keeps it


RECALL_THRESHOLD = 0.5  # --recall-mode: fix applies choices at least this confident


class ExitCode(enum.IntEnum):
    OK = 0  # nothing found (check), nothing left for review (fix)
    FINDINGS = 1  # findings remain
    ERROR = 2  # usage or input error
    INTERRUPTED = 130  # Ctrl-C
    BROKEN_PIPE = 141  # the reader of our output went away (e.g. `| head`)


class UsageError(Exception):
    """A bad command line; str() is one line naming the command."""

    def __init__(self, message: str, prog: str = "repair") -> None:
        super().__init__(f"{prog}: error: {message}")
        self.prog, self.message = prog, message


class _Parser(argparse.ArgumentParser):
    """Reports usage errors as one line through `main` instead of exiting."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see {self.prog} --help)", self.prog)


# ---------------------------------------------------------------- subcommands written elsewhere


@dataclass(frozen=True, slots=True)
class Plugin:
    words: tuple[str, ...]  # e.g. ("wordlist", "import-pps")
    module: str
    help: str


PLUGINS = (
    Plugin(("eval",), "repair.evaluate", "measure fixes against original texts"),
    Plugin(("review",), "repair.review_cli", "review findings in a terminal UI and save decisions"),
    Plugin(("learn",), "repair.learn", "learn wordlist entries from spun/original pairs"),
    Plugin(("trace",), "repair.trace", "rank the files of a corpus by how likely each is the original of a spun text"),
    Plugin(("wordlist", "import-pps"), "repair.pps", "convert a tortured-phrase catalogue into a wordlist"),
)


def _available(plugin: Plugin) -> bool:
    try:
        return importlib.util.find_spec(plugin.module) is not None
    except (ImportError, ValueError):
        return False


def _attach(parser: argparse.ArgumentParser, plugin: Plugin, invoked: bool) -> None:
    """Import a plugin only when it is the command being run, so the others start fast."""
    if not invoked:
        return
    try:
        module = importlib.import_module(plugin.module)
        module.configure(parser)
        run = module.run
    except Exception as exc:  # a half-written plugin must not take the other commands down
        prog = f"repair {' '.join(plugin.words)}"
        raise UsageError(f"unavailable ({type(exc).__name__}: {exc})", prog) from None
    parser.set_defaults(handler=run)


# ---------------------------------------------------------------- the parser


def fraction(value: str) -> float:
    """An argparse type: a number from 0 to 1 (thresholds, confidences)."""
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number from 0 to 1, got {value!r}") from None
    if not 0.0 <= number <= 1.0:
        raise argparse.ArgumentTypeError(f"expected a number from 0 to 1, got {value}")
    return number


def _jobs(value: str) -> int:
    if not value.isdigit():
        raise argparse.ArgumentTypeError(f"expected a whole number (0 = all cores), got {value!r}")
    return int(value)


def _encoding(value: str) -> str:
    try:
        return codecs.lookup(value).name
    except LookupError:
        raise argparse.ArgumentTypeError(f"unknown encoding {value!r}") from None


class _Options:
    """Adds options to a subparser and records which ones a config file may set."""

    def __init__(self, parser: argparse.ArgumentParser) -> None:
        self.parser = parser
        self.table: dict[str, Option] = {}

    def add(self, *flags: str, is_path: bool = False, **kwargs: object) -> None:
        action = self.parser.add_argument(*flags, **kwargs)  # type: ignore[arg-type]
        long = next(f for f in flags if f.startswith("--"))
        repeatable = kwargs.get("action") == "append"
        self.table[long[2:]] = Option(long, takes_value=action.nargs != 0, repeatable=repeatable, is_path=is_path)


def _common(opts: _Options) -> None:
    """Options shared by check and fix."""
    p = opts.parser
    p.add_argument("paths", nargs="*", metavar="PATH", help="files or folders to scan; - reads stdin")
    opts.add(
        "--wordlist",
        action="append",
        metavar="SPEC",
        is_path=True,
        help=f"a shipped list name{_shipped()} or a wordlist file; repeatable (default: {', '.join(DEFAULT_LISTS)})",
    )
    opts.add(
        "--ignore",
        action="append",
        metavar="FILE",
        is_path=True,
        help="a file of rule ids (news:squaddie) or spun phrases to ignore, one a line; repeatable",
    )
    opts.add(
        "--glob",
        action="append",
        metavar="PATTERN",
        help=f"which files to take from folders, comma-separated or repeated (default: {','.join(DEFAULT_GLOBS)})",
    )
    opts.add(
        "--recall-mode",
        action="store_true",
        help="trade precision for recall: also offer thesaurus candidates for unlisted words, and let fix apply "
        f"choices at confidence >= {RECALL_THRESHOLD}",
    )
    opts.add("-j", "--jobs", type=_jobs, default=1, metavar="N", help="scan with N processes; 0 = one per core")
    opts.add("--encoding", type=_encoding, metavar="NAME", help="decode inputs with NAME (default: UTF-8)")
    opts.add(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour output: auto = only on a terminal; never when NO_COLOR is set",
    )
    opts.add(
        "--no-user-lists",
        action="store_true",
        help="leave out user.txt and ignore.txt of the user data folder (see repair --help)",
    )
    opts.add("-q", "--quiet", action="store_true", help="no summary line and no progress bar")
    opts.add("--exit-zero", action="store_true", help="exit 0 even when findings remain (errors still exit 2)")
    source = p.add_mutually_exclusive_group()
    source.add_argument("--config", metavar="FILE", help="read settings from FILE instead of searching for one")
    source.add_argument("--no-config", action="store_true", help="ignore .repair.toml and pyproject.toml")


def _shipped() -> str:
    try:
        names = shipped_names()
    except FileNotFoundError:
        return ""
    return f" ({', '.join(names)})" if names else ""


MAIN_EPILOG = """\
Settings for check and fix come from the nearest .repair.toml, or [tool.repair] in pyproject.toml,
from the current folder upward (--config FILE names one, --no-config skips them). Keys are long
option names: threshold = 0.8, wordlist = ["news", "mine.txt"], quiet = true; a [check] or [fix]
table holds keys for that command only. The command line wins: an option given there replaces
the file's value (for wordlist, ignore and glob, the file's whole list).

check and fix also read the user data folder ($REPAIR_HOME, else $XDG_DATA_HOME/repair, else
~/.local/share/repair), as `repair review` does and writes it: user.txt, a wordlist scanned
before the others, and ignore.txt, rule ids or phrases never reported ("reject always" in the
review adds to it). --no-user-lists leaves both out.
Exit status: 0 nothing found, 1 findings remain, 2 usage or input error, 130 interrupted.
"""

CHECK_EPILOG = """\
By default every finding is reported, whatever its safety; --threshold and --safety narrow
the report. --risk adds a line per file after its findings (automatic when a --wordlist
declares "# kind: tortured-phrases", as lists from `repair wordlist import-pps` do),
  PATH: tortured-phrase risk: LEVEL — N tortured phrases (D distinct) in W words = R per 1,000 words
(with --format json: {"schema": 1, "path": PATH, "risk": {"level": ..., "per_1000_words": ...}}),
scored from the findings the report shows. It is meant for a tortured-phrase list made by
`repair wordlist import-pps`: give it with --wordlist (with --no-user-lists for a pure score).
Exit status: 0 nothing found, 1 findings reported, 2 usage or input error.
"""

FIX_EPILOG = """\
Where the fixed text goes (pick at most one):
  (none)            one input file: the fixed text is printed to stdout
  -o OUT            one input file: written to OUT (- = stdout)
  --output-dir DIR  each input written below DIR at its path relative to the folder it was found in
  --in-place        inputs are overwritten (atomically), keeping NAME.EXT.bak unless --no-backup
  --diff            a unified diff is printed; nothing is written
An output that exists is refused without --force. Inputs are never modified except by --in-place;
BOM, line endings and encoding are kept. By default only fixes safe without a reviewer
(safety auto) are applied. A one-line summary goes to stderr.

Saved review decisions (--decisions [FILE], written by `repair review`):
  accepted or edited  applied as decided, whatever their safety, confidence or --threshold
  rejected            never applied, even when safe (auto)
  undecided           applied by the usual --threshold/--safety rules; with --only-decisions, never
A decision is matched to a finding by its text and context, not its line, so edits elsewhere
do not stale it; decisions matching no finding any more are not applied, and one warning line
per file counts them. With no FILE each input uses its own file, where `repair review` keeps it:
.NAME.repair-decisions.jsonl beside it, or else the one in the user data folder. Put PATH
before a bare --decisions (or write --decisions=FILE), since a word after it is taken as FILE.
Exit status: 0 fixed (findings left for review are counted in the summary line), 1 with --diff
when there are changes to make, 2 usage or input error.
"""


@dataclass(frozen=True, slots=True)
class _Cli:
    parser: argparse.ArgumentParser
    options: dict[str, dict[str, Option]]  # per configurable command: key -> option


def build_parser(invoked: Sequence[str] = ()) -> _Cli:
    """The whole parser; `invoked` (the command words of argv) says which plugin to import."""
    parser = _Parser(
        prog="repair",
        description="Find article-spinner synonyms and restore the original wording.",
        epilog=MAIN_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"repair {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    formatter = argparse.RawDescriptionHelpFormatter

    check = commands.add_parser(
        "check", help="report spun phrasing", epilog=CHECK_EPILOG, formatter_class=formatter, allow_abbrev=False
    )
    check_opts = _Options(check)
    _common(check_opts)
    check_opts.add("--format", choices=("human", "json"), default="human", help="human lines or JSON Lines")
    check_opts.add("--risk", action="store_true", help="also print each file's tortured-phrase risk score (see below)")
    check_opts.add("--threshold", type=fraction, default=0.0, metavar="FLOAT", help="report only this confident")
    check_opts.add(
        "--safety",
        choices=[s.value for s in Safety],
        default=Safety.FLAG.value,
        help="report only findings at least this safe (default flag: everything)",
    )
    check.set_defaults(handler=_run_check)

    fix = commands.add_parser(
        "fix", help="apply safe fixes", epilog=FIX_EPILOG, formatter_class=formatter, allow_abbrev=False
    )
    fix_opts = _Options(fix)
    _common(fix_opts)
    where = fix.add_mutually_exclusive_group()
    where.add_argument("-o", "--output", metavar="OUT", help="write the one fixed file to OUT (- = stdout)")
    where.add_argument("--output-dir", metavar="DIR", help="write fixed files below DIR (it must exist)")
    where.add_argument("--in-place", action="store_true", help="overwrite the inputs (atomic writes)")
    where.add_argument("--diff", action="store_true", help="print a unified diff, write nothing")
    fix_opts.add("--no-backup", action="store_true", help="with --in-place, keep no NAME.EXT.bak")
    fix.add_argument("--force", action="store_true", help="overwrite outputs (and backups) that exist")
    fix.add_argument(
        "--decisions",
        nargs="?",
        const=OWN_DECISIONS,
        metavar="FILE",
        help="apply the review decisions saved in FILE (one input only); without FILE, each input's own",
    )
    fix.add_argument(
        "--only-decisions",
        action="store_true",
        help="with --decisions, apply nothing a reviewer did not accept or edit",
    )
    fix_opts.add("--threshold", type=fraction, default=0.0, metavar="FLOAT", help="apply only fixes this confident")
    fix_opts.add(
        "--safety",
        choices=(Safety.AUTO.value, Safety.CHOOSE.value),
        default=Safety.AUTO.value,
        help="auto (default): only fixes safe without a reviewer; choose: also each choice's first option",
    )
    fix.set_defaults(handler=_run_fix)

    wordlist = commands.add_parser("wordlist", help="check, list or import wordlists", allow_abbrev=False)
    wordlist_commands = wordlist.add_subparsers(dest="wordlist_command", metavar="ACTION", parser_class=_Parser)
    wordlist.set_defaults(handler=_no_action)
    wl_check = wordlist_commands.add_parser("check", help="lint the shipped lists or the given files")
    wl_check.add_argument(
        "files",
        nargs="*",
        metavar="FILE",
        help="wordlist files (default: every shipped list, and the inflection table made from them)",
    )
    wl_check.set_defaults(handler=_run_wordlist_check)
    wl_list = wordlist_commands.add_parser("list", help="the shipped lists and their entry counts")
    wl_list.set_defaults(handler=_run_wordlist_list)

    for plugin in PLUGINS:
        if not _available(plugin):
            continue
        group = wordlist_commands if plugin.words[0] == "wordlist" else commands
        sub = group.add_parser(plugin.words[-1], help=plugin.help, allow_abbrev=False)
        _attach(sub, plugin, tuple(invoked[: len(plugin.words)]) == plugin.words)
    return _Cli(parser, {"check": check_opts.table, "fix": fix_opts.table})


def _no_action(args: argparse.Namespace) -> int:
    actions = ["check", "list"] + [p.words[1] for p in PLUGINS if p.words[0] == "wordlist" and _available(p)]
    raise UsageError(f"choose an action: {', '.join(actions)}", "repair wordlist")


def _command_words(argv: Sequence[str]) -> list[str]:
    """The leading command words (`wordlist import-pps`); top-level options take no values."""
    words = [a for a in argv if not a.startswith("-")][:2]
    return words if words[:1] == ["wordlist"] else words[:1]


# ---------------------------------------------------------------- main


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    try:
        return int(_main(args_list))
    except UsageError as exc:
        print(exc, file=sys.stderr)
        return ExitCode.ERROR
    except (InputError, ConfigError) as exc:
        _error(str(exc))
        return ExitCode.ERROR
    except SystemExit as exc:  # --help and --version exit through argparse
        return exc.code if isinstance(exc.code, int) else ExitCode.OK if exc.code is None else ExitCode.ERROR
    except KeyboardInterrupt:
        _error("interrupted")
        return ExitCode.INTERRUPTED
    except BrokenPipeError:
        # Python would complain again when flushing stdout at exit; point it at nothing.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return ExitCode.BROKEN_PIPE


def _main(argv: list[str]) -> int:
    words = _command_words(argv)
    cli = build_parser(words)
    args = cli.parser.parse_args(argv)
    if args.command is None:
        cli.parser.print_help(sys.stderr)
        return ExitCode.ERROR
    if args.command in CONFIG_COMMANDS and not args.no_config:
        config = _config(args.config)
        if config is not None:
            args = _with_config(cli, config, args, argv)
    return int(args.handler(args))


def _config(explicit: str | None) -> Config | None:
    path = Path(explicit) if explicit else find_config(Path.cwd())
    return None if path is None else load_config(path, CONFIG_COMMANDS)


def _with_config(cli: _Cli, config: Config, given: argparse.Namespace, argv: list[str]) -> argparse.Namespace:
    """Parse again with the config's arguments placed before the real ones (so the real ones win)."""
    command = given.command
    table = cli.options[command]
    others = {k for name, t in cli.options.items() if name != command for k in t}
    extra = to_argv(config, command, table, elsewhere=others, cli_only=CLI_ONLY)
    # A list option given on the command line replaces the config's list rather than adding to it.
    replaced = tuple(f"{o.flag}=" for k, o in table.items() if o.repeatable and getattr(given, k.replace("-", "_")))
    extra = [a for a in extra if not a.startswith(replaced)]
    try:
        cli.parser.parse_args([command, *extra])
    except UsageError as exc:  # the config alone is wrong: name the file, not the command line
        raise ConfigError(f"{config.path}: {exc.message.rsplit(' (see ', 1)[0]}") from None
    at = argv.index(command)
    return cli.parser.parse_args([*argv[:at], command, *extra, *argv[at + 1 :]])


# ---------------------------------------------------------------- output helpers


def _error(message: str) -> None:
    print(f"repair: error: {message}", file=sys.stderr)


def _warning(message: str) -> None:
    print(f"repair: warning: {message}", file=sys.stderr)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}es" if word.endswith("x") else f"{n} {word}s"


class _Style:
    """ANSI colour when wanted; otherwise every method returns its text unchanged."""

    CODES: ClassVar[dict[str, str]] = {
        "path": "1",
        "spun": "31",
        "fix": "32",
        "dim": "2",
        "auto": "32",
        "choose": "33",
        "flag": "35",
    }

    def __init__(self, choice: str, stream: TextIO) -> None:
        # NO_COLOR (any non-empty value) wins even over --color always: it is the user's standing wish.
        wanted = choice == "always" or (choice == "auto" and stream.isatty())
        self.on = wanted and not os.environ.get("NO_COLOR")

    def __call__(self, kind: str, text: str) -> str:
        return f"\x1b[{self.CODES[kind]}m{text}\x1b[0m" if self.on else text


def format_finding(path: str, finding: Finding, style: _Style | None = None) -> str:
    """`path:line:col: spun → original (confidence 0.93, auto, reason)`."""
    spun = " ".join(finding.spun.split())  # a phrase may run over a line break
    fixes, arrow, safety, reason = finding.suggestions, "→", finding.safety.value, finding.reason
    if style is not None and style.on:  # plain text (the common case: a pipe or a file) skips the styling calls
        path, spun, arrow, safety = style("path", path), style("spun", spun), style("dim", arrow), style(safety, safety)
        fixes = tuple(style("fix", x) for x in fixes)
        reason = style("dim", reason) if reason else reason
    suggested = f" {arrow} {' | '.join(fixes)}" if fixes else ""
    details = f"confidence {finding.confidence:.2f}, {safety}{f', {reason}' if reason else ''}"
    return f"{path}:{finding.line}:{finding.column}: {spun}{suggested} ({details})"


def finding_json(path: str, finding: Finding) -> str:
    return json.dumps({"schema": JSON_SCHEMA, **finding.to_dict(path)}, ensure_ascii=False)


def _progress(results: Iterable[FileResult], total: int, quiet: bool) -> Iterator[FileResult]:
    """A progress bar on stderr, only on a terminal and for several files."""
    if quiet or total < 2 or not sys.stderr.isatty():
        yield from results
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn("scanning"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    # Only a terminal stdout is routed around the bar; piped output must stay on stdout untouched.
    redirect = sys.stdout.isatty()
    with Progress(*columns, console=Console(stderr=True), transient=True, redirect_stdout=redirect) as progress:
        task = progress.add_task("scan", total=total)
        for result in results:
            yield result
            progress.advance(task)


def _scan_options(args: argparse.Namespace, keep_document: bool, count_words: bool = False) -> ScanOptions:
    """The wordlists and ignores for a scan: the user's own first, as `repair review` has them."""
    wordlists = load_wordlists(args.wordlist or DEFAULT_LISTS)
    ignore = frozenset(k for path in args.ignore or () for k in load_ignore(path))
    options = ScanOptions(wordlists, ignore, args.encoding, keep_document, count_words, args.recall_mode)
    if args.no_user_lists:
        return options
    try:
        return with_user_data(options, UserData.from_env())
    except InputError as exc:
        raise InputError(f"{exc} (--no-user-lists skips the user data folder)") from None


def _globs(args: argparse.Namespace) -> tuple[str, ...]:
    globs = tuple(g.strip() for item in args.glob or () for g in item.split(",") if g.strip())
    return globs or DEFAULT_GLOBS


def _require_paths(args: argparse.Namespace) -> None:
    if not args.paths:
        taken = getattr(args, "decisions", None)
        if taken:  # `fix --decisions doc.txt`: argparse took the document for FILE
            hint = f"--decisions took {taken!r} as its FILE; put PATH before --decisions"
            raise UsageError(f"give at least one PATH ({hint})", f"repair {args.command}")
        raise UsageError("give at least one PATH (- reads stdin)", f"repair {args.command}")


# ---------------------------------------------------------------- check


def _run_check(args: argparse.Namespace) -> int:
    _require_paths(args)
    options = _scan_options(args, keep_document=False)
    # A manuscript screened with a tortured-phrase list gets its risk score without asking.
    args.risk = args.risk or any(wl.kind == TORTURED_PHRASES for wl in options.wordlists)
    shown_classes = tuple(s for s in Safety if s.rank <= Safety(args.safety).rank)
    report = _CheckReport(args.format, shown_classes, args.threshold, args.risk, _Style(args.color, sys.stdout).on)
    options = replace(options, count_words=args.risk, summarise=report)
    sources = walk(args.paths, _globs(args))
    errors = scanned = files_with_findings = 0
    by_safety: Counter[Safety] = Counter()
    fixable = 0
    for result in _progress(scan_all(sources, options, jobs=args.jobs), len(sources), args.quiet):
        if _report_problem(result):
            errors += result.error is not None
            continue
        scanned += 1
        summary: _CheckSummary = result.summary  # type: ignore[assignment]  # made by `report`
        if summary.lines:
            sys.stdout.write("\n".join(summary.lines) + "\n")
        if not summary.by_safety:
            continue
        files_with_findings += 1
        by_safety.update(dict(summary.by_safety))
        fixable += summary.fixable
    sys.stdout.flush()
    total = sum(by_safety.values())
    if total and not args.quiet:
        kinds = ", ".join(f"{by_safety[s]} {s.value}" for s in Safety if by_safety[s])
        hint = f"; {fixable} can be applied by `repair fix`" if fixable else ""
        files = f"{files_with_findings} of {scanned} files" if scanned > 1 else _plural(scanned, "file")
        print(f"repair: {_plural(total, 'finding')} in {files} ({kinds}){hint}", file=sys.stderr)
    if errors:
        return ExitCode.ERROR
    return ExitCode.FINDINGS if total and not args.exit_zero else ExitCode.OK


@dataclass(frozen=True, slots=True)
class _CheckSummary:
    """What `repair check` reports of one file."""

    lines: tuple[str, ...]  # the findings shown (and the risk score), formatted
    by_safety: tuple[tuple[Safety, int], ...]  # the findings shown, by safety class (none: no finding shown)
    fixable: int  # how many of them `repair fix` would apply


@dataclass(frozen=True, slots=True)
class _CheckReport:
    """`repair check`'s report of one file, made where the file was scanned (ScanOptions.summarise)."""

    format: str  # "human" or "json"
    shown_classes: tuple[Safety, ...]
    threshold: float
    risk: bool
    colour: bool  # worked out in the parent, which owns the terminal

    def __call__(self, result: FileResult) -> _CheckSummary:
        shown = [f for f in result.findings if f.safety in self.shown_classes and f.confidence >= self.threshold]
        label = result.source.label
        style = _Style("always" if self.colour else "never", sys.stdout)
        if self.format == "json":
            lines = [finding_json(label, f) for f in shown]
        else:
            lines = [format_finding(label, f, style) for f in shown]
        if self.risk:
            lines.append(_risk_line(label, shown, result.words or 0, self.format, style))
        counts = tuple(Counter(f.safety for f in shown).items())
        return _CheckSummary(tuple(lines), counts, sum(SAFE.accepts(f) for f in shown))


def _risk_line(label: str, shown: Sequence[Finding], words: int, fmt: str, style: _Style) -> str:
    from repair.pps import risk_score  # only with --risk: a plain check never loads pps

    score = risk_score(shown, words)
    if fmt == "json":
        return json.dumps({"schema": JSON_SCHEMA, "path": label, "risk": score.to_dict()}, ensure_ascii=False)
    return f"{style('path', label)}: {score.summary()}"


def _report_problem(result: FileResult) -> bool:
    """Print a result's error or warning; True when there was one (and so nothing to report)."""
    if result.error is not None:
        _error(result.error)
    elif result.warning is not None:
        _warning(result.warning)
    return not result.scanned


# ---------------------------------------------------------------- fix


def _write_stdout(data: bytes) -> None:
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # a text-only stream (some embedding hosts): fall back to text
        sys.stdout.write(data.decode("utf-8", "surrogateescape"))
    else:
        buffer.write(data)
        buffer.flush()


def unified_diff(path: str, old: str, new: str) -> str:
    """A unified diff that marks a last line without a newline the way patch expects."""
    lines = []
    for line in difflib.unified_diff(
        old.splitlines(keepends=True), new.splitlines(keepends=True), f"a/{path}", f"b/{path}"
    ):
        lines.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(lines)


def _encoded(doc: Document, text: str, label: str) -> bytes:
    try:
        return doc.encoded(text)
    except UnicodeEncodeError as exc:
        raise InputError(f"{label}: the fixed text cannot be written as {doc.encoding} ({exc.reason})") from None


@dataclass(frozen=True, slots=True)
class _Plan:
    """Where `fix` sends its output, decided and checked before anything is scanned."""

    mode: str  # stdout | file | dir | in-place | diff
    targets: dict[Source, Path]


def _plan_fix(args: argparse.Namespace, sources: list[Source]) -> _Plan:
    if args.diff:
        return _Plan("diff", {})
    if args.in_place:
        if any(s.path == STDIN for s in sources):
            raise UsageError("stdin cannot be fixed in place (use -o OUT or no output option)", FIX)
        return _Plan("in-place", {})
    if args.output_dir:
        folder = Path(args.output_dir)
        if not folder.is_dir():
            raise InputError(f"{args.output_dir}: output folder does not exist")
        if any(s.path == STDIN for s in sources):
            raise UsageError("stdin has no name to write below --output-dir (use -o OUT)", FIX)
        targets: dict[Source, Path] = {}
        claimed: dict[Path, Source] = {}
        for source in sources:
            target = mirror_path(source, folder)
            other = claimed.setdefault(target.resolve(), source)
            if other is not source:
                raise InputError(f"{target}: both {other.path} and {source.path} would be written here")
            targets[source] = target
        _refuse_existing(targets.values(), args.force)
        return _Plan("dir", targets)
    if len(sources) != 1 or sources[0].root is not None:
        if args.output:
            raise UsageError("-o writes one file; for several use --output-dir, --in-place or --diff", FIX)
        raise UsageError("several inputs need --output-dir, --in-place or --diff (one prints to stdout)", FIX)
    if args.output and args.output != "-":
        target = Path(args.output)
        if not target.parent.is_dir():
            raise InputError(f"{target}: folder {target.parent} does not exist")
        _refuse_existing([target], args.force)
        return _Plan("file", {sources[0]: target})
    return _Plan("stdout", {})


def _refuse_existing(targets: Iterable[Path], force: bool) -> None:
    if force:
        return
    existing = [t for t in targets if t.exists()]
    for target in existing[:-1]:
        _error(f"{target}: already exists (use --force to overwrite)")
    if existing:
        raise InputError(f"{existing[-1]}: already exists (use --force to overwrite)")


def _write_in_place(source: Source, doc: Document, data: bytes, backup: bool, force: bool) -> None:
    path = Path(source.path)
    if backup:
        bak = backup_path(path)
        if bak.exists() and not force:
            raise InputError(f"{bak}: backup already exists (use --force to replace it, or --no-backup)")
        try:
            original, mode = path.read_bytes(), path.stat().st_mode & 0o7777
        except OSError as exc:
            raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
        atomic_write_bytes(bak, original, mode=mode)
    atomic_write_bytes(path, data)


def _decisions_for(args: argparse.Namespace, sources: list[Source]) -> DecisionFile | None:
    """The one decisions file named by `--decisions FILE`, read before anything is scanned."""
    if args.decisions is None:
        if args.only_decisions:
            raise UsageError("--only-decisions needs --decisions [FILE]", FIX)
        return None
    if args.decisions == OWN_DECISIONS:
        if any(s.path == STDIN for s in sources):
            raise UsageError("stdin has no decisions file of its own (name one: --decisions FILE)", FIX)
        return None
    if len(sources) != 1 or sources[0].root is not None:
        raise UsageError("--decisions FILE holds one document's decisions; give one input (or a bare --decisions)", FIX)
    if not Path(args.decisions).is_file():
        raise InputError(f"{args.decisions}: no such decisions file")
    return decisions_mod.load(args.decisions)


def _own_decisions(source: Source) -> DecisionFile | None:
    """The decisions `repair review` saved for `source`: beside it, else in the user data folder."""
    beside = decisions_mod.path_for(source.path)
    user = decisions_mod.path_for(source.path, "user", UserData.from_env().home)
    found = [p for p in (beside, user) if p.is_file()]
    if len(found) == 2:
        _warning(f"{source.path}: using the decisions in {beside}, not those in {user}")
    if found:
        return decisions_mod.load(found[0])
    if source.root is None:  # named on purpose: say so; for a walked folder, unreviewed files are normal
        _warning(f"{source.path}: no saved review decisions ({beside} does not exist); fixing as usual")
    return None


def _fix_one(
    args: argparse.Namespace, result: FileResult, text: str, saved: DecisionFile | None, selection: Selection
) -> FixResult:
    """Apply saved decisions (if any) and the selection to one scanned document."""
    if args.decisions is None:
        return apply_selection(text, result.findings, selection)
    if args.decisions == OWN_DECISIONS:
        saved = _own_decisions(result.source)
    outcome = apply_decisions(
        text, result.findings, saved or DecisionFile(), None if args.only_decisions else selection
    )
    if outcome.unmatched:
        n = len(outcome.unmatched)
        _warning(
            f"{result.source.label}: {_plural(n, 'saved decision')} matched no finding and "
            f"{'was' if n == 1 else 'were'} not applied (already applied, or the text or the wordlists changed)"
        )
    return outcome


def _run_fix(args: argparse.Namespace) -> int:
    _require_paths(args)
    sources = walk(args.paths, _globs(args), exclude=[args.output_dir] if args.output_dir else [])
    plan = _plan_fix(args, sources)
    saved = _decisions_for(args, sources)
    options = _scan_options(args, keep_document=True)
    selection = Selection(threshold=args.threshold, safety=Safety(args.safety))
    if args.recall_mode:  # an investigator's preset: choices too, where the evidence is at least even
        selection = Selection(threshold=max(args.threshold, RECALL_THRESHOLD), safety=Safety.CHOOSE)
    errors = scanned = applied = remaining = changed = decided = rejected = 0
    for result in _progress(scan_all(sources, options, jobs=args.jobs), len(sources), args.quiet):
        if _report_problem(result):
            errors += result.error is not None
            continue
        doc = result.document
        assert doc is not None  # keep_document=True
        label = result.source.label
        try:
            outcome = _fix_one(args, result, doc.text, saved, selection)
        except InputError as exc:
            _error(str(exc))
            errors += 1
            continue
        except StaleEditError as exc:  # cannot happen for findings scanned from this text; never write a guess
            _error(f"{label}: cannot apply the fixes ({exc})")
            errors += 1
            continue
        try:
            if plan.mode == "diff":
                sys.stdout.write(unified_diff(label, doc.text, outcome.text))
            elif plan.mode == "stdout":
                _write_stdout(_encoded(doc, outcome.text, label))
            elif plan.mode in ("file", "dir"):
                target = plan.targets[result.source]
                _make_parent(target)
                atomic_write_bytes(target, _encoded(doc, outcome.text, label), force=args.force)
            elif outcome.text != doc.text:  # in place: unchanged files are not touched
                _write_in_place(result.source, doc, _encoded(doc, outcome.text, label), not args.no_backup, args.force)
        except InputError as exc:
            _error(str(exc))
            errors += 1
            continue
        scanned += 1
        applied += len(outcome.applied)
        remaining += len(outcome.remaining)
        decided += outcome.decided
        rejected += len(outcome.rejected)
        changed += outcome.text != doc.text
    sys.stdout.flush()
    if scanned and not args.quiet:
        verb = "to apply" if plan.mode == "diff" else "applied"
        files = _plural(scanned, "file") + (f" ({changed} changed)" if scanned > 1 else "")
        left = _plural(remaining, "finding") + " left for review"
        fixes = f"{_plural(applied, 'fix')} {verb}"
        if args.decisions is not None:
            fixes += f" ({decided} by review decisions), {rejected} rejected in review"
        print(f"repair: {files}, {fixes}, {left}", file=sys.stderr)
    if errors:
        return ExitCode.ERROR
    # A fix that wrote its output has done its job (what is left for review is in the
    # summary line); --diff is a check, so changes still to make exit 1.
    pending = plan.mode == "diff" and applied
    return ExitCode.FINDINGS if pending and not args.exit_zero else ExitCode.OK


def _make_parent(target: Path) -> None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"{target.parent}: cannot create folder ({exc.strerror or exc})") from None


# ---------------------------------------------------------------- wordlist


def _run_wordlist_check(args: argparse.Namespace) -> int:
    paths = [Path(f) for f in args.files] or sorted(wordlist_dir().glob("*.txt"))
    lists = []
    problems: list[str] = []
    for path in paths:
        try:
            lists.append(load_path(path))
        except WordlistError as exc:
            problems.append(str(exc))
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(read_problem(path, exc, "wordlist file")) from None
    for wordlist in lists:
        others = [o for o in lists if o is not wordlist]
        problems.extend(str(p) for p in lint(wordlist, others))
    if not args.files and not problems:  # the shipped lists: their inflection table must match them too
        stale = table_problem(e for wordlist in lists for e in wordlist.entries)  # loads lemminflect
        problems.extend([stale] if stale else [])
    for problem in problems:
        print(problem)
    return ExitCode.FINDINGS if problems else ExitCode.OK


def _run_wordlist_list(args: argparse.Namespace) -> int:
    folder = wordlist_dir()
    for name in shipped_names():
        try:
            wordlist = load_path(folder / f"{name}.txt", name)
        except WordlistError as exc:
            print(f"{name:<16} {'broken':>8}  {exc}")
            continue
        print(f"{name:<16} {len(wordlist.entries):>8}  {wordlist.path}")
    return ExitCode.OK
