"""Which files to scan: the paths a user names, folders walked in a stable order, stdin.

A problem met while walking (an unreadable folder) becomes a `Source` with an
error, so that it is reported in order with the files around it.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from repair.edge.documents import BINARY_SNIFF

DEFAULT_GLOBS = ("*.txt", "*.md")
STDIN = "-"
STDIN_LABEL = "<stdin>"


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


def looks_binary(path: str) -> bool:
    """Whether the file starts with a NUL byte (a file found while walking is then skipped)."""
    try:
        with open(path, "rb") as handle:
            return b"\x00" in handle.read(BINARY_SNIFF)
    except OSError:
        return False  # reading it properly will report the problem


def mirror_path(source: Source, output_dir: str | Path) -> Path:
    """Where `--output-dir` puts a source: its path below the folder it came from."""
    return Path(output_dir, source.relative)
