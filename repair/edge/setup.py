"""The one way every front end builds its Engine: from an `EngineSettings`, through `load_settings` and `build_engine`.

`repair check`, `fix`, `review`, `eval`, `trace` and the benchmarks all ask here, so
they read the same wordlists, the same ignore lists (the user's `ignore.txt` too) and
the same user wordlist (`user.txt`, scanned before the others) in the same way.

Loading (`load_settings`) reads and checks every file and raises `InputError` with one
line naming the file; building (`build_engine`) is pure and may happen later or in a
worker process, from the picklable `EngineSpec` that loading returns.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from repair.core.engine import Engine
from repair.core.wordlists import (
    DEFAULT_LISTS,
    Wordlist,
    WordlistError,
    ignore_key,
    parse,
    resolve,
    shipped_names,
)
from repair.edge.documents import InputError, read_document, read_problem, read_text_file
from repair.edge.userdata import UserData

USER_DATA_HINT = "--no-user-lists skips the user data folder"


@dataclass(frozen=True, slots=True)
class EngineSettings:
    """What a front end asks for; nothing is read until `load_settings`."""

    wordlists: tuple[str, ...] = ()  # shipped list names or wordlist files; empty: DEFAULT_LISTS
    ignore_files: tuple[str, ...] = ()  # files of rule ids (`news:squaddie`) or spun phrases, one a line
    userdata: UserData | None = None  # whose user.txt and ignore.txt to add; None: leave them out
    discover: bool = False  # also offer thesaurus candidates for unlisted words (--recall-mode)


@dataclass(frozen=True, slots=True)
class EngineSpec:
    """Settings read and checked: all an Engine is built from (picklable, for worker processes)."""

    wordlists: tuple[Wordlist, ...]
    ignore: frozenset[str] = frozenset()  # normalised by `ignore_key`
    discover: bool = False


def load_wordlists(specs: Sequence[str]) -> tuple[Wordlist, ...]:
    """Resolve wordlist specs (shipped names or paths); raises InputError with one line."""
    lists: list[Wordlist] = []
    for spec in specs:
        try:
            if spec in shipped_names() or not os.path.lexists(spec):
                lists.extend(resolve([spec]))
            else:  # a file of the user's: read as documents are (no FIFO, no /dev/zero, a size limit)
                lists.append(parse(read_text_file(spec, "wordlist file"), name=Path(spec).stem, path=spec))
        except WordlistError as exc:
            raise InputError(str(exc)) from None
        except FileNotFoundError:
            known = ", ".join(shipped_names()) or "none"
            raise InputError(f"{spec}: no such wordlist file or shipped list (shipped: {known})") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(read_problem(spec, exc, "wordlist file")) from None
    return tuple(lists)


def load_ignore(path: str) -> frozenset[str]:
    """Read an ignore list: one rule id (`news:squaddie`) or spun phrase a line, `#` comments."""
    doc = read_document(path)
    keys = (ignore_key(line) for line in doc.text.splitlines() if line.strip() and not line.lstrip().startswith("#"))
    return frozenset(k for k in keys if k)


def load_settings(settings: EngineSettings) -> EngineSpec:
    """Read every file the settings name; raises InputError (one line naming the file)."""
    wordlists = load_wordlists(settings.wordlists or DEFAULT_LISTS)
    ignore = {k for path in settings.ignore_files for k in load_ignore(path)}
    if settings.userdata is not None:
        try:
            user = settings.userdata.load_wordlist()
            user_ignore = settings.userdata.load_ignore()
        except InputError as exc:
            raise InputError(f"{exc} ({USER_DATA_HINT})") from None
        if user is not None:
            wordlists = (user, *wordlists)  # the user's own fixes are tried first
        ignore |= {k for k in map(ignore_key, user_ignore) if k}
    return EngineSpec(wordlists, frozenset(ignore), settings.discover)


def build_engine(spec: EngineSpec) -> Engine:
    return Engine(spec.wordlists, ignore=spec.ignore, discover=spec.discover)


def engine_for(settings: EngineSettings) -> Engine:
    """`load_settings`, then `build_engine`."""
    return build_engine(load_settings(settings))
