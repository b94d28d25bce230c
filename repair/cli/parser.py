"""The one `repair` parser: every command's options, declared here or by the command's own module.

Options a config file may set (check and fix) are recorded as they are added
(`ConfigurableOptions`), so a config file is checked by this same parser.
"""

from __future__ import annotations

import argparse
import difflib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import import_module
from typing import Any, NoReturn

from repair import __version__
from repair.cli import review as review_command
from repair.cli import wordlist as wordlist_command
from repair.cli.common import (
    OWN_DECISIONS,
    RECALL_THRESHOLD,
    ConfigurableOptions,
    UsageError,
    config_options,
    encoding_type,
    fraction,
    job_count_type,
    scheduler_type,
)
from repair.core.model import Safety
from repair.core.wordlists import DEFAULT_LISTS, shipped_names
from repair.edge.config import Option
from repair.edge.inputs import DEFAULT_GLOBS
from repair.edge.reporting import REPORT_THRESHOLD

# Commands whose options their own module declares (configure) and which it runs (run), in --help order;
# the module is imported only to parse that command's arguments (start-up time otherwise).
COMMANDS = (
    ("eval", "repair.cli.eval", "measure fixes against original texts"),
    ("learn", "repair.cli.learn", "learn wordlist entries from spun/original pairs"),
    ("trace", "repair.cli.trace", "rank the files of a corpus by how likely each is the original of a spun text"),
)


def _handler(module: str, function: str = "run") -> Callable[[argparse.Namespace], int]:
    """A command's handler whose module is imported only when that command runs (start-up time otherwise)."""

    def handle(args: argparse.Namespace) -> int:
        return int(getattr(import_module(module), function)(args))

    return handle


class Parser(argparse.ArgumentParser):
    """Reports usage errors as one line through `main` instead of exiting, with a did-you-mean for options."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see {self.prog} --help)", self.prog)

    def parse_args(self, args: Sequence[str] | None = None, namespace: Any = None) -> Any:  # type: ignore[override]
        argv = list(args or ())
        try:
            return super().parse_args(argv, namespace)
        except UsageError as exc:
            hint = self._did_you_mean(exc.message, argv)
            if hint:
                raise UsageError(f"{exc.message.rsplit(' (see ', 1)[0]} ({hint})", exc.prog) from None
            raise

    def _did_you_mean(self, message: str, argv: list[str]) -> str:
        """ "did you mean --threshold?" for an unknown option, from the options of the command given."""
        if not message.startswith("unrecognized arguments:"):
            return ""
        command = next((a for a in argv if a in self._commands()), None)
        parser = self._commands().get(command, self) if command else self
        known = [o for action in parser._actions for o in action.option_strings if o.startswith("--")]
        for word in message.removeprefix("unrecognized arguments:").split():
            if word.startswith("--"):
                close = difflib.get_close_matches(word.split("=", 1)[0], known, n=1, cutoff=0.6)
                if close:
                    return f"did you mean {close[0]}?"
        return ""

    def _commands(self) -> dict[str, argparse.ArgumentParser]:
        for action in self._actions:
            if isinstance(action, argparse._SubParsersAction):
                return dict(action.choices)
        return {}


def _common(opts: ConfigurableOptions) -> None:
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
        "--exclude",
        action="append",
        metavar="PATTERN",
        help="leave out what PATTERN matches below a folder walked (.gitignore syntax); repeatable",
    )
    opts.add(
        "--no-ignore-vcs",
        action="store_true",
        help="take files that .gitignore files ignore too (by default folder walks skip them)",
    )
    opts.add(
        "--recall-mode",
        action="store_true",
        help="trade precision for recall: also offer thesaurus candidates for unlisted words, and let fix apply "
        f"choices at confidence >= {RECALL_THRESHOLD}",
    )
    opts.add(
        "-j",
        "--jobs",
        type=job_count_type,
        default=None,
        metavar="N",
        help="scan with N processes; 0 = one per core (default: one per core for 1 MB of input or more, else 1)",
    )
    opts.add("--encoding", type=encoding_type, metavar="NAME", help="decode inputs with NAME (default: UTF-8)")
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
    config_options(p)


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
Exit status: 0 nothing found, 1 findings remain, 2 usage or input error, 3 internal error
(REPAIR_DEBUG=1 shows its traceback), 130 interrupted.
"""

CHECK_EPILOG = """\
By default findings at least REPORT_THRESHOLD confident are reported (what is worth a person's
time: a clean article passes); --all reports every finding, --threshold F another threshold,
--safety narrows by safety. "repair: ignore" on a line, or "repair: off" ... "repair: on"
around lines, silences findings there (in any comment syntax). Markdown and HTML are read as
prose: markup, code and URLs are never findings.
--risk adds a line per file after its findings (automatic when a --wordlist declares
"# kind: tortured-phrases", as lists from `repair wordlist import-pps` do),
  PATH: tortured-phrase risk: LEVEL — N tortured phrases (D distinct) in W words = R per 1,000 words
(with --format json: {"schema": 1, "path": PATH, "risk": {"level": ..., "per_1000_words": ...}}),
scored from the findings the report shows. It is meant for a tortured-phrase list made by
`repair wordlist import-pps`: give it with --wordlist (with --no-user-lists for a pure score).
Exit status: 0 nothing found, 1 findings reported, 2 usage or input error.
""".replace("REPORT_THRESHOLD", str(REPORT_THRESHOLD))

FIX_EPILOG = """\
Where the fixed text goes (pick at most one):
  (none)            one input file: the fixed text is printed to stdout
  -o OUT            one input file: written to OUT (- = stdout)
  --output-dir DIR  each input written below DIR at its path relative to the folder it was found in
  --in-place        inputs are overwritten (atomically), keeping NAME.EXT.bak unless --no-backup;
                    a backup is never replaced: where one exists, --force is asked for and it is kept
  --diff            a unified diff is printed; nothing is written
An output that exists is refused without --force; an output over an input is always refused
(inputs are never modified except by --in-place). Outputs keep the input's permissions;
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
Findings left for review, counted in the summary line, are those not applied that `repair review`
shows by default (at least REPORT_THRESHOLD confident); with --decisions, every one not decided.
Exit status: 0 fixed (findings left for review are counted in the summary line), 1 with --diff
when there are changes to make, 2 usage or input error.
""".replace("REPORT_THRESHOLD", str(REPORT_THRESHOLD))


FORMATS = ("human", "json", "sarif", "github", "parquet")


def _scheduler(opts: ConfigurableOptions) -> None:
    opts.add(
        "--scheduler",
        type=scheduler_type,
        metavar="SPEC",
        help="run the batch on Dask: local:N starts N worker processes here, tcp://HOST:PORT uses a running "
        "scheduler (its workers must see the inputs); needs the dask extra",
    )


def _threshold(opts: ConfigurableOptions, verb: str) -> None:
    """--threshold and --all, the same for every command that shows findings."""
    opts.add(
        "--threshold",
        type=fraction,
        default=None,
        metavar="FLOAT",
        help=f"{verb} only findings at least this confident (default {REPORT_THRESHOLD}: what is worth a "
        "person's time; see docs/usage.md)",
    )
    opts.add("--all", action="store_true", help=f"{verb} every finding, however unsure (overrides --threshold)")


@dataclass(frozen=True, slots=True)
class Cli:
    parser: argparse.ArgumentParser
    options: dict[str, dict[str, Option]]  # per configurable command: key -> option


def build_parser(argv: Sequence[str] | None = None) -> Cli:
    """The whole parser: every command's options, and which of them a config file may set.

    Given the command line, the commands of COMMANDS that it does not name are listed
    (with their help line) but their modules are not imported nor their options declared.
    """
    parser = Parser(
        prog="repair",
        description="Find article-spinner synonyms and restore the original wording.",
        epilog=MAIN_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"repair {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    formatter = argparse.RawDescriptionHelpFormatter

    check = commands.add_parser(
        "check", help="report spun phrasing", epilog=CHECK_EPILOG, formatter_class=formatter, allow_abbrev=False
    )
    check_opts = ConfigurableOptions(check)
    _common(check_opts)
    check_opts.add(
        "--format",
        choices=FORMATS,
        default="human",
        help="human lines, JSON Lines, one SARIF 2.1.0 log, GitHub workflow annotations, or a Parquet table "
        "(a row per finding and per document, written to -o FILE; see docs/usage.md)",
    )
    check.add_argument("-o", "--output", metavar="OUT", help="--format parquet: the file (or URL) to write")
    check.add_argument("--force", action="store_true", help="overwrite OUT if it exists")
    _scheduler(check_opts)
    check_opts.add("--statistics", action="store_true", help="print how many findings each rule gave, not each one")
    check_opts.add("--risk", action="store_true", help="also print each file's tortured-phrase risk score (see below)")
    _threshold(check_opts, "report")
    check_opts.add(
        "--safety",
        choices=[s.value for s in Safety],
        default=Safety.FLAG.value,
        help="report only findings at least this safe (default flag: any)",
    )
    check.set_defaults(handler=_handler("repair.cli.check"))

    fix = commands.add_parser(
        "fix", help="apply safe fixes", epilog=FIX_EPILOG, formatter_class=formatter, allow_abbrev=False
    )
    fix_opts = ConfigurableOptions(fix)
    _common(fix_opts)
    where = fix.add_mutually_exclusive_group()
    where.add_argument("-o", "--output", metavar="OUT", help="write the one fixed file to OUT (- = stdout)")
    where.add_argument("--output-dir", metavar="DIR", help="write fixed files below DIR (it must exist)")
    where.add_argument("--in-place", action="store_true", help="overwrite the inputs (atomic writes)")
    where.add_argument("--diff", action="store_true", help="print a diff of what would change, write nothing")
    _scheduler(fix_opts)
    fix_opts.add(
        "--diff-format",
        choices=("unified", "words"),
        help="with --diff: words (changed words marked, colour on a terminal) or unified lines "
        "(default: words on a terminal, unified otherwise, so a redirected diff is a patch)",
    )
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
    fix.set_defaults(handler=_handler("repair.cli.fix"))

    wordlist = commands.add_parser("wordlist", help="check, list or import wordlists", allow_abbrev=False)
    wordlist_commands = wordlist.add_subparsers(dest="wordlist_command", metavar="ACTION", parser_class=Parser)
    wordlist.set_defaults(handler=wordlist_command.no_action)
    wl_check = wordlist_commands.add_parser("check", help="lint the shipped lists or the given files")
    wl_check.add_argument(
        "files",
        nargs="*",
        metavar="FILE",
        help="wordlist files (default: every shipped list, and the inflection table made from them)",
    )
    wl_check.set_defaults(handler=wordlist_command.run_check)
    wl_list = wordlist_commands.add_parser("list", help="the shipped lists and their entry counts")
    wl_list.set_defaults(handler=wordlist_command.run_list)

    import_pps = wordlist_commands.add_parser(
        "import-pps", help="convert a tortured-phrase catalogue into a wordlist", allow_abbrev=False
    )
    wordlist_command.configure_import(import_pps)
    import_pps.set_defaults(handler=wordlist_command.run_import)
    report = commands.add_parser(
        "report", help="write one HTML page to look at findings", formatter_class=formatter, allow_abbrev=False
    )
    report.description = (
        "Scan as check does and write one self-contained HTML page: each document's text with its findings "
        "highlighted by confidence, suggestions and reasons on hover or click, its spin score and a plot of spin "
        "density along it."
    )
    report_opts = ConfigurableOptions(report)
    _common(report_opts)
    report.add_argument("-o", "--output", required=True, metavar="OUT", help="the page to write (- = stdout)")
    report.add_argument("--force", action="store_true", help="overwrite OUT if it exists")
    report_opts.add("--title", default="repair report", metavar="TEXT", help="the page's title")
    _threshold(report_opts, "show")
    report_opts.add(
        "--safety",
        choices=[s.value for s in Safety],
        default=Safety.FLAG.value,
        help="show only findings at least this safe (default flag: any)",
    )
    report.set_defaults(handler=_handler("repair.cli.report_html"))
    review = commands.add_parser(
        "review",
        help="review findings in a terminal UI and save decisions",
        formatter_class=formatter,
        allow_abbrev=False,
    )
    review_opts = ConfigurableOptions(review)
    review_command.configure(review_opts)
    _threshold(review_opts, "show")
    review.set_defaults(handler=review_command.run)
    for name, module_name, help_text in COMMANDS:
        sub = commands.add_parser(name, help=help_text, allow_abbrev=False)
        if argv is None or name in argv:
            module = import_module(module_name)
            module.configure(sub)
            sub.set_defaults(handler=module.run)
    return Cli(
        parser,
        {"check": check_opts.table, "fix": fix_opts.table, "review": review_opts.table, "report": report_opts.table},
    )
