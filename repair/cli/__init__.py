"""The `repair` command line: `main(argv) -> int`, a thin layer over repair.edge and repair.tools.

Every problem the user can cause (a bad path, bad text, a bad wordlist or config)
ends as one line on stderr and exit code 2; nothing is ever half-written. The
parser is `repair.cli.parser`; each command's glue is its own module
(check, fix, review, eval, learn, trace, wordlist); what is printed is `repair.cli.report`.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import gc
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from repair.cli.common import ExitCode, UsageError, error
from repair.cli.parser import Cli, build_parser
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


DEBUG_VARIABLE = "REPAIR_DEBUG"
# Start-up makes ~100,000 objects that live as long as the process (modules, the wordlists' entries
# and variants, the engine's tables); collecting the young generation every 700 allocations walks
# them again and again (~7 % of a one-line check). Every 20,000, as a batch sets it anyway
# (repair.edge.batch.GC_YOUNG_THRESHOLD, not imported here: start-up time).
GC_YOUNG_THRESHOLD = 20_000
# numpy's BLAS (OpenBLAS in its wheels) keeps a thread per core that busy-waits after each of the scorer's many
# small products: ~20 % more CPU for nothing, taken from the other `-j N` workers. One thread, as Dask gives its
# workers (distributed.nanny.pre-spawn-environ); set before numpy loads, and a user's own setting is kept.
BLAS_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")  # not OMP_: Arrow sizes its pool by it


def one_blas_thread() -> None:
    """numpy's BLAS on one thread in this process and those it starts, unless the user chose (before numpy loads)."""
    for name in BLAS_THREAD_VARIABLES:
        os.environ.setdefault(name, "1")


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; every outcome is an exit code (see ExitCode), never an exception."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    one_blas_thread()
    young, older, oldest = gc.get_threshold()
    if 0 < young < GC_YOUNG_THRESHOLD:  # 0: collection switched off, left so
        gc.set_threshold(GC_YOUNG_THRESHOLD, older, oldest)
    try:
        code = int(_main(args_list))
        sys.stdout.flush()  # here, not at exit, so that a full disk is reported like any other error
        return code
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
        _drop_stdout()
        return ExitCode.BROKEN_PIPE
    except OSError as exc:
        if not _is_stdout(exc):
            return _internal(exc)
        _drop_stdout()
        error(f"<stdout>: cannot write ({exc.strerror or exc})")
        return ExitCode.ERROR
    except Exception as exc:  # a bug: one line, and never 1, which means "findings"
        return _internal(exc)


def _is_stdout(exc: OSError) -> bool:
    """Whether an OSError escaped from writing our output (a full disk, a closed terminal), not from a file."""
    return exc.filename is None and exc.errno in (errno.ENOSPC, errno.EIO, errno.EDQUOT, errno.EFBIG, errno.EPIPE)


def _drop_stdout() -> None:
    """Point stdout at nothing: Python would fail again flushing what is left of it at exit."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def _internal(exc: BaseException) -> int:
    if os.environ.get(DEBUG_VARIABLE):
        traceback.print_exception(exc)
    name = type(exc).__name__
    print(
        f"repair: internal error: {name}: {exc} (please report it; {DEBUG_VARIABLE}=1 shows the traceback)",
        file=sys.stderr,
    )
    return ExitCode.INTERNAL


def _main(argv: list[str]) -> int:
    cli = build_parser(argv)
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
