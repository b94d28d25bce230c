"""Which files to scan: the paths a user names, folders walked in a stable order, stdin.

A problem met while walking (an unreadable folder) becomes a `Source` with an
error, so that it is reported in order with the files around it. Folder walks skip
what `.gitignore` files ignore (git's own rules, through `pathspec`: the files in the
walked tree and, inside a git repository, those above it up to its root, and
`.git/info/exclude`) and what `--exclude` patterns (the same syntax) match.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathspec import GitIgnoreSpec

DEFAULT_GLOBS = ("*.txt", "*.md", "*.markdown", "*.html", "*.htm")
GITIGNORE = ".gitignore"
STDIN = "-"
STDIN_LABEL = "<stdin>"


@dataclass(frozen=True, slots=True)
class Source:
    """One input: a file named by the user, a file found under a folder, or stdin."""

    path: str
    root: str | None = None  # the folder argument it was found under; None when named directly
    error: str | None = None  # a problem met while walking (e.g. an unreadable folder)
    size: int | None = field(default=None, compare=False)  # bytes, when a listing said (URLs); to balance partitions

    @property
    def label(self) -> str:
        return STDIN_LABEL if self.path == STDIN else self.path

    @property
    def relative(self) -> str:
        """Its path below the folder (or URL) it was found in, or its file name when named directly."""
        if self.root is None:
            return os.path.basename(self.path)
        return os.path.relpath(self.path, self.root)


def matches_glob(name: str, relative: str, globs: Sequence[str]) -> bool:
    # A pattern with a slash is matched against the path below the folder, others against the name.
    return any(fnmatch.fnmatch(relative if "/" in g else name, g) for g in globs)


class _Ignores:
    """The `.gitignore` files that apply below a folder, deepest last; git's rule: the deepest match wins."""

    def __init__(self, specs: list[tuple[Path, GitIgnoreSpec]]) -> None:
        self.specs = specs

    @classmethod
    def above(cls, folder: Path) -> _Ignores:
        """The ignore files of the git repository `folder` is in, from its root down to `folder`'s parent."""
        chain = [folder, *folder.parents]
        root = next((d for d in chain if (d / ".git").exists()), None)
        if root is None:
            return cls([])
        specs = []
        exclude = root / ".git" / "info" / "exclude"
        if exclude.is_file():
            specs.append((root, _read_spec(exclude)))
        for d in reversed(chain[1 : chain.index(root) + 1]):
            if (d / GITIGNORE).is_file():
                specs.append((d, _read_spec(d / GITIGNORE)))
        return cls(specs)

    def inside(self, folder: Path) -> _Ignores:
        ignore_file = folder / GITIGNORE
        return _Ignores([*self.specs, (folder, _read_spec(ignore_file))]) if ignore_file.is_file() else self

    def ignored(self, path: Path, is_dir: bool) -> bool:
        for base, spec in reversed(self.specs):
            relative = path.relative_to(base).as_posix() + ("/" if is_dir else "")
            verdict = spec.check_file(relative).include
            if verdict is not None:
                return verdict
        return False


def _spec(lines: Sequence[str]) -> GitIgnoreSpec:
    from pathspec import GitIgnoreSpec  # loaded only for folder walks (~15 ms of start-up otherwise)

    return GitIgnoreSpec.from_lines(lines)


def _read_spec(path: Path) -> GitIgnoreSpec:
    try:
        return _spec(path.read_text(encoding="utf-8", errors="replace").splitlines())
    except (OSError, ValueError):  # unreadable or malformed: ignore nothing, as git would mostly do
        return _spec([])


def walk(
    paths: Iterable[str],
    globs: Sequence[str] = DEFAULT_GLOBS,
    *,
    exclude: Iterable[str | Path] = (),
    patterns: Sequence[str] = (),
    vcs_ignore: bool = True,
) -> list[Source]:
    """The files to scan, in a stable order.

    Files named directly are always taken (whatever `globs` says); folders are
    walked recursively in sorted order, taking files whose name matches one of
    `globs`, skipping hidden files and folders, anything under `exclude` (paths),
    anything `patterns` (gitignore syntax, matched below the folder walked) matches
    and, with `vcs_ignore`, anything a `.gitignore` ignores.
    A path that does not exist is kept, so that reading it reports the error in order.
    """
    # os.path.realpath, not Path.resolve: a symlink loop must not stop the walk (reading it reports it).
    excluded = {Path(os.path.realpath(p)) for p in exclude}
    excluded_by_pattern = _spec(patterns) if patterns else None
    seen: set[Path] = set()
    sources: list[Source] = []

    def add(source: Source) -> None:
        if source.path != STDIN:
            key = Path(os.path.realpath(source.path))
            if key in seen:
                return
            seen.add(key)
        sources.append(source)

    for path in paths:
        if path == STDIN or not os.path.isdir(path):
            add(Source(path))
            continue
        top = Path(os.path.realpath(path))
        ignores = {top: _Ignores.above(top).inside(top) if vcs_ignore else _Ignores([])}

        def skipped(full: Path, relative: str, is_dir: bool, ignore: _Ignores) -> bool:
            if excluded_by_pattern is not None and excluded_by_pattern.match_file(relative + ("/" if is_dir else "")):
                return True
            return vcs_ignore and ignore.ignored(full, is_dir)

        problems: list[OSError] = []
        found: list[tuple[str, str]] = []
        for folder, dirs, files in os.walk(path, onerror=problems.append):
            here = Path(os.path.realpath(folder))
            ignore = ignores[here]
            kept = []
            for d in dirs:
                full = here / d
                if d.startswith(".") or Path(os.path.realpath(full)) in excluded:
                    continue
                if skipped(full, _below(full, top), True, ignore):
                    continue
                kept.append(d)
                ignores[full] = ignore.inside(full) if vcs_ignore else ignore
            dirs[:] = kept
            for name in files:
                full = os.path.join(folder, name)
                relative = os.path.relpath(full, path).replace(os.sep, "/")
                if name.startswith(".") or not matches_glob(name, relative, globs):
                    continue
                if not skipped(here / name, relative, False, ignore):
                    found.append((relative, full))
        for _, full in sorted(found):
            add(Source(full, root=path))
        for problem in problems:
            where = problem.filename or path
            add(Source(str(where), root=path, error=f"{where}: cannot read folder ({problem.strerror or problem})"))
    return sources


def _below(path: Path, top: Path) -> str:
    return path.relative_to(top).as_posix()


def mirror_path(source: Source, output_dir: str | Path) -> Path:
    """Where `--output-dir` puts a source: its path below the folder it came from."""
    return Path(output_dir, source.relative)
