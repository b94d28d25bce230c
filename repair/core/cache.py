"""Data worked out from installed files once, kept in the user's cache folder under a hash of those files.

Start-up is most of a small check: building the English vocabulary from the shipped
word list (321,000 words read, 300,000 sorted) costs several times what reading it back
costs. A cache entry is named by the SHA-256 of everything it was made from (the
files' bytes and a version of the code that made it), so it cannot go stale: changed
input is a different name. Nothing is downloaded. A cache that cannot be read or
written is skipped silently (the value is then made as before): it only saves time.

The folder is `$REPAIR_CACHE`, else `$XDG_CACHE_HOME/repair`, else `~/.cache/repair`.
"""

from __future__ import annotations

import hashlib
import marshal
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def cache_dir() -> Path:
    if os.environ.get("REPAIR_CACHE"):
        return Path(os.environ["REPAIR_CACHE"]).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "repair"


def content_key(parts: Iterable[bytes | str | Path]) -> str:
    """A hex digest of the parts in order: bytes and strings as they are, a path as its file's bytes."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.read_bytes() if isinstance(part, Path) else part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "little") + data)
    return digest.hexdigest()[:32]


def cached(name: str, key: str, make: Callable[[], T]) -> T:
    """`make()`, or what it returned when last called with the same `key` (kept with `marshal`).

    `make` must return what marshal keeps: builtin types (str, tuple, list, dict, frozenset, ...).
    """
    path = cache_dir() / f"{name}-{key}.marshal"
    try:
        return marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        pass
    value = make()
    try:
        import tempfile  # only to write: start-up time otherwise

        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{name}-", delete=False) as out:
            out.write(marshal.dumps(value))
        os.replace(out.name, path)  # whole or not at all, also with several processes at once
    except (OSError, ValueError):
        pass
    return value
