"""File I/O at the edges: reading documents safely and writing atomically.

Every error a user can cause becomes an `InputError` whose message is one line
naming the file and the problem; the CLI prints it and exits 2.
"""

from __future__ import annotations

import codecs
import contextlib
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

MAX_BYTES = 64 * 1024 * 1024  # larger inputs are refused rather than read into memory
BINARY_SNIFF = 8192
BOM = "\ufeff"


class InputError(Exception):
    """A problem with the user's input or output paths, worded for the user."""


def read_problem(path: str | Path, exc: OSError | UnicodeDecodeError, what: str) -> str:
    """One line naming `path` and why it could not be read as text; `what` names the kind of file."""
    if isinstance(exc, UnicodeDecodeError):
        return f"{path}: {what} is not valid UTF-8 text at byte {exc.start}"
    if isinstance(exc, FileNotFoundError):
        return f"{path}: no such {what}"
    if isinstance(exc, IsADirectoryError):
        return f"{path}: is a folder, not a {what}"
    if isinstance(exc, PermissionError):
        return f"{path}: permission denied"
    return f"{path}: cannot read {what} ({exc.strerror or exc})"


@dataclass(frozen=True, slots=True)
class Document:
    """A text document as read: the text without a BOM, and how to write it back."""

    path: str  # as given by the user ("-" for stdin)
    text: str
    encoding: str = "utf-8"
    bom: bool = False  # line endings need no field: bytes are decoded without translation

    def encoded(self, text: str) -> bytes:
        """Encode `text` the way this document was stored (BOM and encoding kept)."""
        return ((BOM if self.bom else "") + text).encode(self.encoding)


def decode(data: bytes, path: str, encoding: str | None = None) -> Document:
    """Decode bytes into a Document, refusing binary data and undecodable text."""
    if b"\x00" in data[:BINARY_SNIFF]:
        raise InputError(f"{path}: looks like a binary file (NUL bytes); not scanned")
    enc = encoding or "utf-8"
    try:
        codecs.lookup(enc)
    except LookupError:
        raise InputError(f"{path}: unknown encoding {enc!r}") from None
    try:
        text = data.decode(enc)
    except UnicodeDecodeError as exc:
        hint = "" if encoding else "; pass --encoding (e.g. --encoding cp1252) if you know it"
        raise InputError(f"{path}: not valid {enc} text at byte {exc.start}{hint}") from None
    bom = text.startswith(BOM)
    if bom:
        text = text[1:]
    return Document(path=path, text=text, encoding=enc, bom=bom)


def read_document(path: str, encoding: str | None = None, *, max_bytes: int = MAX_BYTES) -> Document:
    """Read a file (or stdin for "-") as text; raises InputError on any user-facing problem."""
    if path == "-":
        data = sys.stdin.buffer.read(max_bytes + 1)
        label = "<stdin>"
    else:
        p = Path(path)
        label = path
        if not p.exists():
            raise InputError(f"{path}: no such file or folder")
        if p.is_dir():
            raise InputError(f"{path}: is a folder (give a file, or walk it with the folder commands)")
        try:
            size = p.stat().st_size
            if size > max_bytes:
                raise InputError(f"{path}: {size / 1e6:.1f} MB is larger than the {max_bytes / 1e6:.0f} MB limit")
            data = p.read_bytes()
        except PermissionError:
            raise InputError(f"{path}: permission denied") from None
        except IsADirectoryError:
            raise InputError(f"{path}: is a folder") from None
        except OSError as exc:
            raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if len(data) > max_bytes:
        raise InputError(f"{label}: larger than the {max_bytes / 1e6:.0f} MB limit")
    return decode(data, label, encoding)


def atomic_write_bytes(path: str | Path, data: bytes, *, force: bool = True, mode: int | None = None) -> None:
    """Write to a temporary file in the same folder, then rename it into place.

    A crash leaves either the old file or the new one, never half of one.
    With force=False an existing file is refused.
    """
    target = Path(path)
    if not force and target.exists():
        raise InputError(f"{target}: already exists (use --force to overwrite)")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"{target}: folder {folder} does not exist")
    if mode is None:
        mode = target.stat().st_mode & 0o7777 if target.exists() else 0o644
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise InputError(f"{target}: cannot write ({exc.strerror or exc})") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise InputError(f"{target}: cannot write ({exc.strerror or exc})") from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def atomic_write_text(path: str | Path, text: str, *, encoding: str = "utf-8", force: bool = True) -> None:
    atomic_write_bytes(path, text.encode(encoding), force=force)
