"""Inputs and outputs that fsspec opens (`s3://`, `gcs://`, `file://`, `memory://`): listing, reading, writing.

A URL input is walked as a folder is (`walk_url`): files under it in sorted order,
taking what `--glob` takes, skipping hidden names, what `--exclude` patterns and the
`.gitignore` files in the listing match. Its bytes are read where it is scanned (a
Dask worker, or this process) and decoded by `repair.edge.documents.decode`, the rules
of local files: BOM, encodings, binary refusal, the size limit. A `file://` URL is
read and written as a local file is (a FIFO refused, writes atomic by rename); on an
object store one `pipe_file` puts the whole object, which is atomic there.

fsspec is the `dask` extra's; nothing here imports it until a URL is met, and a
missing package (fsspec, or s3fs/gcsfs for their protocols) is one line naming the URL
and what to install. Credentials are fsspec's own affair (its `FSSPEC_S3_...`
environment variables and config files, or the store's usual ones).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from repair.edge.documents import (
    MAX_BYTES,
    Document,
    InputError,
    atomic_write_bytes,
    decode,
    read_document,
    read_limited,
)
from repair.edge.inputs import DEFAULT_GLOBS, GITIGNORE, STDIN, Source, matches_glob, walk

if TYPE_CHECKING:
    from pathspec import GitIgnoreSpec

INSTALL_HINT = "pip install 'repair-despinner[dask]'"
# A scheme of two letters or more, so that a Windows drive (C:\) is never taken for one.
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+://")
MAX_IGNORE_BYTES = 1 << 20  # a .gitignore in a bucket larger than this is not read


def is_url(path: str) -> bool:
    return bool(_URL.match(path))


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


def filesystem(url: str) -> tuple[Any, str]:
    """fsspec's file system for `url` and the path on it; InputError (one line) when it cannot be had."""
    try:
        from fsspec.core import url_to_fs
    except ImportError:
        raise InputError(f"{url}: reading URLs needs fsspec: {INSTALL_HINT}") from None
    try:
        return url_to_fs(url)
    except ImportError as exc:  # the protocol's own package (s3fs, gcsfs) is missing: fsspec says which
        raise InputError(f"{url}: {_one_line(exc)}") from None
    except ValueError as exc:
        raise InputError(f"{url}: {_one_line(exc)}") from None


def local_path(url: str) -> str | None:
    """The local path of a `file://` URL (read and written as local files are), else None."""
    return url.removeprefix("file://") if url.lower().startswith("file://") else None


def walk_inputs(
    paths: Sequence[str],
    globs: Sequence[str] = DEFAULT_GLOBS,
    *,
    exclude: Iterable[str] = (),
    patterns: Sequence[str] = (),
    vcs_ignore: bool = True,
) -> list[Source]:
    """`repair.edge.inputs.walk` for a mix of local paths and URLs, in the order they were given."""
    local = [p for p in paths if not is_url(p)]
    found = walk(local, globs, exclude=[e for e in exclude if not is_url(e)], patterns=patterns, vcs_ignore=vcs_ignore)
    if len(local) == len(paths):
        return found
    by_argument: dict[str, list[Source]] = {}
    for source in found:
        by_argument.setdefault(source.root or source.path, []).append(source)
    skipped = tuple(e.rstrip("/") + "/" for e in exclude if is_url(e))
    sources: list[Source] = []
    for path in paths:
        if is_url(path):
            sources += [s for s in walk_url(path, globs, patterns, vcs_ignore) if not s.path.startswith(skipped)]
        else:
            sources += by_argument.pop(path, [])
    return sources


def walk_url(url: str, globs: Sequence[str], patterns: Sequence[str] = (), vcs_ignore: bool = True) -> list[Source]:
    """The files under a URL (or the URL itself when it names a file), in sorted order, as Sources."""
    local = local_path(url)
    if local is not None and not os.path.isdir(local):
        return [Source(url)]
    fs, root = filesystem(url)
    try:
        if not fs.isdir(root):
            return [Source(url)]  # a file, or nothing there: reading it says which
        listing = fs.find(root, withdirs=False, detail=True)
    except Exception as exc:  # a network or permission problem: one line, in order with the rest
        return [Source(url, error=f"{url}: cannot list ({_one_line(exc)})")]
    prefix = root.rstrip("/") + "/"
    files = {name[len(prefix) :]: name for name in listing if name.startswith(prefix)}
    ignores = _ignore_specs(fs, files) if vcs_ignore else {}
    excluded = _pathspec(patterns) if patterns else None
    base = url.rstrip("/") + "/"
    sources = []
    for relative in sorted(files):
        parts = relative.split("/")
        if any(p.startswith(".") for p in parts) or not matches_glob(parts[-1], relative, globs):
            continue
        if excluded is not None and excluded.match_file(relative):
            continue
        if _ignored(relative, ignores):
            continue
        size = listing[files[relative]].get("size")
        sources.append(Source(base + relative, root=url, size=size if isinstance(size, int) else None))
    return sources


def _pathspec(lines: Iterable[str]) -> GitIgnoreSpec:
    from pathspec import GitIgnoreSpec

    return GitIgnoreSpec.from_lines(list(lines))


def _ignore_specs(fs: Any, files: dict[str, str]) -> dict[str, GitIgnoreSpec]:
    """The `.gitignore` files of the listing, by the folder (relative, "" for the top) they sit in."""
    specs = {}
    for relative, name in files.items():
        folder, _, base = relative.rpartition("/")
        if base != GITIGNORE:
            continue
        try:
            data = fs.cat_file(name, start=0, end=MAX_IGNORE_BYTES)
        except Exception:  # unreadable: ignore nothing, as git would mostly do
            continue
        specs[folder] = _pathspec(data.decode("utf-8", "replace").splitlines())
    return specs


def _ignored(relative: str, specs: dict[str, GitIgnoreSpec]) -> bool:
    """git's rule: the deepest `.gitignore` with a verdict on the path wins."""
    if not specs:
        return False
    parts = relative.split("/")
    for depth in range(len(parts) - 1, -1, -1):  # the file's own folder first, the top ("") last
        folder = "/".join(parts[:depth])
        spec = specs.get(folder)
        if spec is not None:
            verdict = spec.check_file(relative[len(folder) + 1 :] if folder else relative).include
            if verdict is not None:
                return verdict
    return False


def read_url(url: str, encoding: str | None = None, *, max_bytes: int = MAX_BYTES) -> Document:
    """Read the document a URL names; InputError (NotText for binary data) with one line, as local files."""
    local = local_path(url)
    if local is not None:
        return decode(read_limited(local, max_bytes), url, encoding)
    fs, path = filesystem(url)
    try:
        size = fs.size(path)
        if size is not None and size > max_bytes:
            raise InputError(f"{url}: {size / 1e6:.1f} MB is larger than the {max_bytes / 1e6:.0f} MB limit")
        with fs.open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except InputError:
        raise
    except FileNotFoundError:
        raise InputError(f"{url}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{url}: is a folder, not a file") from None
    except Exception as exc:  # the store's own errors (network, permissions) vary by package
        raise InputError(f"{url}: cannot read ({_one_line(exc)})") from None
    if len(data) > max_bytes:
        raise InputError(f"{url}: larger than the {max_bytes / 1e6:.0f} MB limit")
    return decode(data, url, encoding)


def read_input(path: str, encoding: str | None = None) -> Document:
    """An input of a batch: a URL through fsspec, anything else (a path, "-") as `read_document` reads it."""
    if is_url(path):
        return read_url(path, encoding)
    return read_document(path, encoding)


def url_exists(url: str) -> bool:
    local = local_path(url)
    if local is not None:
        return os.path.lexists(local)
    fs, path = filesystem(url)
    try:
        return bool(fs.exists(path))
    except Exception as exc:
        raise InputError(f"{url}: cannot look it up ({_one_line(exc)})") from None


def write_url(url: str, data: bytes, *, force: bool = True, mode: int | None = None) -> None:
    """Write a whole object: by rename for `file://`, by one put elsewhere; refuses an existing one unless `force`."""
    local = local_path(url)
    if local is not None:
        atomic_write_bytes(local, data, force=force, mode=mode)
        return
    if not force and url_exists(url):
        raise InputError(f"{url}: already exists (use --force to overwrite)")
    fs, path = filesystem(url)
    try:
        try:
            fs.pipe_file(path, data)
        except FileNotFoundError:  # a file system with folders (an object store has none): make them, once
            fs.makedirs(path.rpartition("/")[0], exist_ok=True)
            fs.pipe_file(path, data)
    except Exception as exc:
        raise InputError(f"{url}: cannot write ({_one_line(exc)})") from None


def list_below(url: str) -> set[str]:
    """The URLs of the files under `url` (one listing; nothing there: empty), to refuse existing outputs up front."""
    local = local_path(url)
    if local is not None:
        return {f"{url.rstrip('/')}/{p.relative_to(local).as_posix()}" for p in Path(local).rglob("*") if p.is_file()}
    fs, root = filesystem(url)
    try:
        found = fs.find(root, withdirs=False) if fs.isdir(root) else []
    except Exception as exc:
        raise InputError(f"{url}: cannot list ({_one_line(exc)})") from None
    prefix = root.rstrip("/") + "/"
    return {join_url(url, name[len(prefix) :]) for name in found if name.startswith(prefix)}


def put_file(local: str, url: str) -> None:
    """Upload a finished local file to `url` (not a `file://` one) in one put."""
    fs, path = filesystem(url)
    try:
        fs.put_file(local, path)
    except Exception as exc:
        raise InputError(f"{url}: cannot write ({_one_line(exc)})") from None


def join_url(base: str, relative: str) -> str:
    return base.rstrip("/") + "/" + relative.lstrip("/")


def has_urls(paths: Iterable[str]) -> bool:
    return any(p != STDIN and is_url(p) for p in paths)
