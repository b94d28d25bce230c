"""The `repair` command line: `main(argv) -> int`, a thin layer over repair.edge and repair.tools.

Every problem the user can cause (a bad path, bad text, a bad wordlist or config)
ends as one line on stderr and exit code 2; nothing is ever half-written. The
parser is `repair.cli.parser`; each command's glue is its own module
(check, fix, review, eval, learn, trace, wordlist); what is printed is `repair.cli.report`.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from repair.cli.common import ExitCode, UsageError
from repair.cli.parser import Cli, build_parser
from repair.cli.report import error
from repair.edge.config import Config, ConfigError, find_config, load_config, to_argv
from repair.edge.documents import InputError

__all__ = ["ExitCode", "main"]

CONFIG_COMMANDS = ("check", "fix", "report", "review")
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


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    try:
        return int(_main(args_list))
    except UsageError as exc:
        print(exc, file=sys.stderr)
        return ExitCode.ERROR
    except (InputError, ConfigError) as exc:
        error(str(exc))
        return ExitCode.ERROR
    except SystemExit as exc:  # --help and --version exit through argparse
        return exc.code if isinstance(exc.code, int) else ExitCode.OK if exc.code is None else ExitCode.ERROR
    except KeyboardInterrupt:
        error("interrupted")
        return ExitCode.INTERRUPTED
    except BrokenPipeError:
        # Python would complain again when flushing stdout at exit; point it at nothing.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return ExitCode.BROKEN_PIPE


def _main(argv: list[str]) -> int:
    cli = build_parser()
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


def _with_config(cli: Cli, config: Config, given: argparse.Namespace, argv: list[str]) -> argparse.Namespace:
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
