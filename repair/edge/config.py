"""Settings from `.repair.toml` or `[tool.repair]` in `pyproject.toml`, turned into arguments.

Nothing is validated here beyond the shape of the file: each key becomes the
option it names (`threshold = 0.7` -> `--threshold 0.7`, a list -> the option
repeated, `true` -> the flag) and the CLI puts those arguments before the real
ones, so one argparse parser checks both and the command line wins.

    # .repair.toml (or [tool.repair] in pyproject.toml)
    wordlist = ["news", "extra.txt"]   # relative paths are relative to this file
    threshold = 0.8
    [fix]                              # [tool.repair.fix]: only for `repair fix`
    safety = "choose"
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from repair.edge.documents import InputError, read_limited

MAX_CONFIG_BYTES = 1024 * 1024  # a settings file is a few lines; this is only a guard against /dev/zero and the like

DOTFILE = ".repair.toml"
PYPROJECT = "pyproject.toml"


class ConfigError(Exception):
    """A config file that cannot be used; str() is one line naming the file."""


@dataclass(frozen=True, slots=True)
class Option:
    """How a config key maps onto a command-line option."""

    flag: str  # e.g. "--threshold"
    takes_value: bool = True
    repeatable: bool = False  # a list value repeats the option
    is_path: bool = False  # a relative value is taken relative to the config file


@dataclass(frozen=True, slots=True)
class Config:
    path: Path
    settings: Mapping[str, object]  # keys for every command
    sections: Mapping[str, Mapping[str, object]] = field(default_factory=dict)  # per-command keys

    @property
    def folder(self) -> Path:
        return self.path.parent


def _table(path: Path) -> dict[str, object] | None:
    """The repair table of a config file, or None when a pyproject has none."""
    import tomllib  # only where a config file is found: start-up time otherwise

    try:
        data = tomllib.loads(read_limited(path, MAX_CONFIG_BYTES, "config file").decode("utf-8-sig"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: config file is not valid UTF-8 text at byte {exc.start}") from None
    except InputError as exc:
        raise ConfigError(str(exc)) from None
    tool = data.get("tool")
    if isinstance(tool, dict) and "repair" in tool:
        table = tool["repair"]
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: [tool.repair] must be a table")
        return table
    if path.name == PYPROJECT:
        return None
    return {k: v for k, v in data.items() if k != "tool"}


def find_config(start: Path) -> Path | None:
    """The nearest `.repair.toml`, or `pyproject.toml` with a [tool.repair] table, from `start` upward."""
    for folder in (start, *start.parents):
        dotfile = folder / DOTFILE
        if dotfile.is_file():
            return dotfile
        pyproject = folder / PYPROJECT
        if pyproject.is_file():
            try:
                if _table(pyproject) is not None:
                    return pyproject
            except ConfigError:
                return pyproject  # broken but ours to report: loading it says what is wrong
    return None


def load_config(path: Path, commands: Collection[str]) -> Config:
    """Read a config file; a table named after a command holds keys for that command only."""
    table = _table(path)
    if table is None:
        raise ConfigError(f"{path}: no [tool.repair] table")
    settings: dict[str, object] = {}
    sections: dict[str, dict[str, object]] = {}
    for key, value in table.items():
        if isinstance(value, dict):
            if key not in commands:
                raise ConfigError(f"{path}: unknown section {key!r} (sections: {', '.join(sorted(commands))})")
            sections[key] = value
        else:
            settings[key] = value
    return Config(path, settings, sections)


def _scalar(path: Path, key: str, value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ConfigError(f"{path}: {key} must be a string or a number, not {type(value).__name__}")
    return str(value)


def _located(config: Config, option: Option, value: str) -> str:
    if not option.is_path or Path(value).is_absolute():
        return value
    beside = config.folder / value
    # A value that is not a file beside the config (a shipped wordlist name) is kept as written.
    return str(beside) if beside.exists() else value


def to_argv(
    config: Config,
    command: str,
    options: Mapping[str, Option],
    *,
    elsewhere: Collection[str] = (),
    cli_only: Collection[str] = (),
) -> list[str]:
    """The arguments a config stands for, for `command`.

    `options` are the keys `command` takes; keys in `elsewhere` belong to other
    commands and are skipped; keys in `cli_only` may only be given on the command
    line. Any other key is an error naming the file.
    """
    argv: list[str] = []
    path = config.path
    pairs = [(k, v, False) for k, v in config.settings.items()]
    pairs += [(k, v, True) for k, v in config.sections.get(command, {}).items()]
    for key, value, in_section in pairs:
        name = key.replace("_", "-")
        option = options.get(name)
        if option is None:
            if name in cli_only:
                raise ConfigError(f"{path}: {key!r} can only be given on the command line")
            if name in elsewhere and not in_section:
                continue
            where = f"[{command}] " if in_section else ""
            close = difflib.get_close_matches(name, [*options, *elsewhere], n=1, cutoff=0.6)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ConfigError(f"{path}: unknown key {where}{key!r}{hint}")
        if not option.takes_value:
            if not isinstance(value, bool):
                raise ConfigError(f"{path}: {key} must be true or false")
            if value:
                argv.append(option.flag)
        elif isinstance(value, list):
            if not option.repeatable:
                raise ConfigError(f"{path}: {key} takes one value, not a list")
            for item in value:
                argv.append(f"{option.flag}={_located(config, option, _scalar(path, key, item))}")
        else:
            # `--flag=value` keeps a value that starts with "-" from being read as an option.
            argv.append(f"{option.flag}={_located(config, option, _scalar(path, key, value))}")
    return argv
