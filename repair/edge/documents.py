"""File I/O at the edges: reading documents safely and writing atomically.

Every error a user can cause becomes an `InputError` whose message is one line
naming the file and the problem; the CLI prints it and exits 2.

Reading never blocks and never trusts a size it is told: a FIFO or a device is
refused before a byte is read (it is opened non-blocking to find out what it is),
and a file is read up to its limit plus one byte, whatever `st_size` says.

Writing keeps every byte it is not asked to change: a document is written back in
its own encoding with its own BOM and line endings, and where its bytes do not
survive decoding and encoding again (cp932's duplicate mappings, UTF-7, escapes)
the edits are spliced into the original bytes (`Document.encoded`).
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import os
import re
import stat
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from repair.core.model import Edit

MAX_BYTES = 64 * 1024 * 1024  # larger inputs are refused rather than read into memory
BINARY_SNIFF = 8192
BOM = "\ufeff"
# Byte order marks, longest first: a UTF-32-LE BOM starts with the UTF-16-LE one.
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_UNICODE = ("utf-8", "utf-16", "utf-32")
# Codecs Python calls text encodings that no text file is stored in.
NOT_FILE_ENCODINGS = frozenset({"punycode", "undefined", "idna"})
# A temporary file of an atomic write: `.NAME.repair-tmp-PID-XXXX`, so one a killed process left is known as such.
TEMP_MARK = ".repair-tmp-"
_TEMP_RE = re.compile(r"^\..+\.repair-tmp-(\d+)-[^/]*$")


class InputError(Exception):
    """A problem with the user's input or output paths, worded for the user."""


class NotText(InputError):
    """The input is not a text file (binary, a FIFO, a device): an error when named, skipped when met in a folder.

    `why` says what it is, for the line that reports the skip.
    """

    def __init__(self, message: str, why: str) -> None:
        super().__init__(message)
        self.why = why


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
    if exc.errno == errno.ELOOP:
        return f"{path}: symlink loop (too many levels of symbolic links)"
    return f"{path}: cannot read {what} ({exc.strerror or exc})"


def _file_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def open_regular(path: str | Path, max_bytes: int, what: str = "file") -> int:
    """A descriptor open for reading a regular file of at most `max_bytes` (by its size); InputError otherwise.

    Opened non-blocking, so a FIFO nobody writes to is refused instead of waited on.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        if isinstance(exc, FileNotFoundError):
            raise InputError(f"{path}: no such {what}{' or folder' if what == 'file' else ''}") from None
        raise InputError(read_problem(path, exc, what)) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise InputError(f"{path}: is a folder, not a {what}")
        if not stat.S_ISREG(info.st_mode):
            kind = _file_kind(info.st_mode)
            raise NotText(f"{path}: is {kind}, not a regular file; not read", f"{kind}, not a regular file")
        if info.st_size > max_bytes:
            raise InputError(f"{path}: {info.st_size / 1e6:.1f} MB is larger than the {max_bytes / 1e6:.0f} MB limit")
    except OSError as exc:
        os.close(fd)
        raise InputError(read_problem(path, exc, what)) from None
    except BaseException:
        os.close(fd)
        raise
    return fd


def too_large(path: str | Path, max_bytes: int) -> InputError:
    """The error for a file that holds more than `max_bytes`, whatever its size said."""
    return InputError(f"{path}: larger than the {max_bytes / 1e6:.0f} MB limit")


def read_limited(path: str | Path, max_bytes: int, what: str = "file") -> bytes:
    """The bytes of a regular file, refusing (InputError) a FIFO, a device, a folder, or more than `max_bytes`.

    Read to `max_bytes` + 1 at most (see `open_regular`), so a file whose size is not
    what `st_size` says (/proc, a file still growing) cannot make us read without end.
    """
    fd = open_regular(path, max_bytes, what)
    try:
        chunks, size = [], 0
        while size <= max_bytes:
            chunk = os.read(fd, min(max_bytes + 1 - size, 1 << 24))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        data = b"".join(chunks)
    except OSError as exc:
        raise InputError(read_problem(path, exc, what)) from None
    finally:
        os.close(fd)
    if len(data) > max_bytes:
        raise too_large(path, max_bytes)
    return data


def read_text_file(path: str | Path, what: str, max_bytes: int = MAX_BYTES) -> str:
    """A settings or list file's UTF-8 text (a BOM allowed), read as `read_limited` reads; InputError otherwise."""
    data = read_limited(path, max_bytes, what)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: {what} is not valid UTF-8 text at byte {exc.start}") from None


@dataclass(frozen=True, slots=True)
class Document:
    """A text document as read: the text without a BOM, and how to write it back.

    `raw` holds the bytes as read only when re-encoding the text would not give them
    back (see `decode`); then unchanged text is written as those bytes and edits are
    spliced into them.
    """

    path: str  # as given by the user ("-" for stdin)
    text: str
    encoding: str = "utf-8"
    bom: bool = False  # line endings need no field: bytes are decoded without translation
    raw: bytes | None = None

    def encoded(self, text: str, edits: Iterable[Edit] | None = None) -> bytes:
        """`text` as this document is stored: its encoding and BOM, and bytes outside `edits` as they were.

        `edits` (those that turned `self.text` into `text`) are needed only when the
        document's bytes do not round-trip; raises InputError when the edits cannot be
        written in this encoding without changing other bytes, UnicodeEncodeError when
        the text cannot be written in it at all.
        """
        if self.raw is None:
            return ((BOM if self.bom else "") + text).encode(self.encoding)
        if text == self.text:
            return self.raw
        if edits is None:
            raise InputError(f"{self.path}: its {self.encoding} bytes cannot be rewritten exactly; not written")
        return _splice(self, sorted(edits, key=lambda e: e.start), text)


def text_encoding(name: str) -> str:
    """The canonical name of a codec that text files are stored in; ValueError (worded for the user) otherwise."""
    try:
        info = codecs.lookup(name)
    except LookupError:
        raise ValueError(f"unknown encoding {name!r}") from None
    if not getattr(info, "_is_text_encoding", True) or info.name in NOT_FILE_ENCODINGS:
        raise ValueError(f"{name!r} is not a text encoding (it is a {info.name} codec)")
    return info.name


def _bom_encoding(data: bytes) -> tuple[str, int] | None:
    """The encoding a leading BOM announces and its length (the longest BOM that fits: UTF-32 before UTF-16)."""
    return next(((name, len(bom)) for bom, name in BOMS if data.startswith(bom)), None)


@dataclass(frozen=True, slots=True)
class Codec:
    """How a file's bytes are read, worked out from its first bytes: `decode` and `repair.edge.streams` share it."""

    encoding: str  # the codec that decodes the bytes after the BOM
    family: str | None  # "utf-8", "utf-16" or "utf-32"; None for other codecs
    skip: int  # the length of the byte order mark (0 for none)


def sniff(head: bytes, path: str, encoding: str | None = None) -> Codec:
    """The codec of a file whose first bytes (at least BINARY_SNIFF of them, or all) are `head`.

    Raises InputError for a codec that is not a text encoding, NotText for binary data.
    """
    try:
        enc = text_encoding(encoding or "utf-8")
    except ValueError as exc:
        raise InputError(f"{path}: {exc}") from None
    family = next((f for f in _UNICODE if enc.startswith(f)), None)
    skip = 0
    if encoding is None or family is not None:
        sniffed = _bom_encoding(head)
        if sniffed is not None:
            enc, skip = sniffed
            family = next(f for f in _UNICODE if enc.startswith(f))
    if enc == "utf-8-sig":
        enc = "utf-8"
    elif enc in ("utf-16", "utf-32"):  # no BOM: Python reads the machine's byte order; say which
        enc = f"{enc}-{'le' if sys.byteorder == 'little' else 'be'}"
    if family not in ("utf-16", "utf-32") and b"\x00" in head[:BINARY_SNIFF]:
        raise NotText(f"{path}: looks like a binary file (NUL bytes); not scanned", "looks like a binary file")
    return Codec(enc, family, skip)


def not_valid(path: str, encoding: str | None, codec: Codec, exc: UnicodeDecodeError, at: int) -> InputError:
    """The error for bytes that do not decode; `at` is the offset of exc.object's first byte in the file."""
    hint = "" if encoding else "; pass --encoding (e.g. --encoding cp1252) if you know it"
    return InputError(f"{path}: not valid {codec.encoding} text at byte {exc.start + at}{hint}")


def decode(data: bytes, path: str, encoding: str | None = None) -> Document:
    """Decode bytes into a Document, refusing binary data, undecodable text and codecs that are not text encodings.

    A Unicode byte order mark (UTF-8, UTF-16 or UTF-32, either byte order) is honoured
    whether or not an encoding is given, unless the given one is not a Unicode
    encoding. `utf-8-sig`, `utf-16` and `utf-32` are read as the BOM says and written
    back the same way: a file without a BOM never gains one.
    """
    codec = sniff(data, path, encoding)
    enc, family, skip = codec.encoding, codec.family, codec.skip
    try:
        text = data[skip:].decode(enc)
    except UnicodeDecodeError as exc:
        raise not_valid(path, encoding, codec, exc, skip) from None
    except Exception as exc:  # a codec's own failure (e.g. unicode_escape on a stray backslash)
        raise InputError(f"{path}: cannot be read as {enc} text ({exc})") from None
    bom = skip > 0
    if not bom and family == "utf-8" and text.startswith(BOM):
        text, bom = text[1:], True
    doc = Document(path=path, text=text, encoding=enc, bom=bom)
    if family is None:  # UTF codecs are one to one on what they decode; others may not be
        try:
            exact = doc.encoded(text) == data
        except (UnicodeEncodeError, ValueError):
            exact = False
        if not exact:
            doc = Document(path=path, text=text, encoding=enc, bom=bom, raw=data)
    return doc


def _byte_offsets(doc: Document, wanted: list[int], block: int = 1 << 16) -> dict[int, int]:
    """The byte offset in `doc.raw` at which each character offset of `wanted` (sorted) starts.

    Blocks of bytes that end before the next wanted character are decoded whole; the
    block holding it is decoded again a byte at a time from the decoder's saved state.
    """
    assert doc.raw is not None
    raw = doc.raw
    decoder = codecs.getincrementaldecoder(doc.encoding)()
    found: dict[int, int] = {}
    chars, k, i = 0, 0, 0

    def note(at: int) -> None:
        nonlocal k
        while k < len(wanted) and wanted[k] == chars and decoder.getstate()[0] == b"":
            found[wanted[k]] = at
            k += 1

    while k < len(wanted) and i < len(raw):
        end = min(i + block, len(raw))
        state = decoder.getstate()
        produced = len(decoder.decode(raw[i:end]))
        if chars + produced < wanted[k]:
            chars, i = chars + produced, end
            continue
        decoder.setstate(state)
        for j in range(i, end):
            note(j)
            if k == len(wanted):
                return found
            chars += len(decoder.decode(raw[j : j + 1]))
        i = end
    chars += len(decoder.decode(b"", final=True))
    note(len(raw))
    return found


def _splice(doc: Document, edits: list[Edit], text: str) -> bytes:
    """The original bytes with each edit's replacement, encoded, in place of its span's bytes."""
    assert doc.raw is not None
    problem = f"{doc.path}: the fixes cannot be written in {doc.encoding} without changing other bytes; not written"
    offsets = _byte_offsets(doc, sorted({x for e in edits for x in (e.start, e.end)}))
    pieces, cursor = [], 0
    try:
        for edit in edits:
            start, end = offsets[edit.start], offsets[edit.end]
            pieces += [doc.raw[cursor:start], edit.replacement.encode(doc.encoding)]
            cursor = end
        data = b"".join([*pieces, doc.raw[cursor:]])
        ok = data.decode(doc.encoding) == text
    except (KeyError, UnicodeError, ValueError):
        ok = False
    if not ok:
        raise InputError(problem)
    return data


def read_document(path: str, encoding: str | None = None, *, max_bytes: int = MAX_BYTES) -> Document:
    """Read a file (or stdin for "-") as text; raises InputError on any user-facing problem."""
    if path == "-":
        data = sys.stdin.buffer.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise InputError(f"<stdin>: larger than the {max_bytes / 1e6:.0f} MB limit")
        return decode(data, "<stdin>", encoding)
    return decode(read_limited(path, max_bytes), path, encoding)


# ------------------------------------------------------------------ writing


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # e.g. another user's process
        return True
    return True


def remove_stale_temps(folder: str | Path) -> list[Path]:
    """Remove the temporary files of atomic writes whose process is gone (killed mid-write); returns them."""
    removed = []
    try:
        names = os.listdir(folder)
    except OSError:
        return removed
    for name in names:
        m = _TEMP_RE.match(name)
        if m and int(m.group(1)) != os.getpid() and not _alive(int(m.group(1))):
            with contextlib.suppress(OSError):
                os.unlink(os.path.join(folder, name))
                removed.append(Path(folder, name))
    return removed


def write_target(path: str | Path) -> Path:
    """Where writing to `path` lands: the file a symlink points to (a link stays a link), else `path`."""
    target = Path(path)
    if not os.path.islink(target):
        return target
    real = Path(os.path.realpath(target))
    if os.path.islink(real):
        raise InputError(f"{target}: symlink loop (too many levels of symbolic links)")
    return real


def file_mode(path: str | Path) -> int | None:
    """The permission bits of the file at `path` (through symlinks), or None when there is none."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        return None


class AtomicWriter:
    """A file written through a temporary file in the same folder, renamed into place by `commit`.

    A crash leaves either the old file or the new one, never half of one (its
    temporary file, named `.NAME.repair-tmp-PID-...`, is removed by the next write
    there: `remove_stale_temps`). A symlink is written through: the file it points
    to is replaced and the link stays. With force=False an existing file (or link,
    dangling or not) is refused. Written a piece at a time, a file need never be held whole.
    """

    def __init__(self, path: str | Path, *, force: bool = True) -> None:
        given = self.given = Path(path)
        if not force and os.path.lexists(given):
            raise InputError(f"{given}: already exists (use --force to overwrite)")
        self.force = force
        self.target = write_target(given)
        folder = self.target.parent if str(self.target.parent) else Path(".")
        if not folder.is_dir():
            raise InputError(f"{given}: folder {folder} does not exist")
        import tempfile  # only to write: start-up time otherwise

        try:
            fd, self.temp = tempfile.mkstemp(prefix=f".{self.target.name}{TEMP_MARK}{os.getpid()}-", dir=folder)
        except OSError as exc:
            raise InputError(f"{given}: cannot write ({exc.strerror or exc})") from None
        self.handle = os.fdopen(fd, "wb")

    def write(self, data: bytes) -> None:
        try:
            self.handle.write(data)
        except OSError as exc:
            self.abort()
            raise InputError(f"{self.given}: cannot write ({exc.strerror or exc})") from None

    def commit(self, mode: int | None = None) -> None:
        """Put the file in place; `mode`: its permission bits (default: those of the file replaced, else 0o644)."""
        if mode is None:
            mode = file_mode(self.target)
            mode = 0o644 if mode is None else mode
        try:
            if not self.force and os.path.lexists(self.given):
                raise FileExistsError(errno.EEXIST, "already exists (use --force to overwrite)")
            self.handle.flush()
            os.fsync(self.handle.fileno())
            self.handle.close()
            os.chmod(self.temp, mode)
            os.replace(self.temp, self.target)
        except OSError as exc:
            self.abort()
            raise InputError(f"{self.given}: cannot write ({exc.strerror or exc})") from None
        except BaseException:
            self.abort()
            raise

    def abort(self) -> None:
        """Remove the temporary file; the target stays as it was."""
        with contextlib.suppress(OSError):
            self.handle.close()
        with contextlib.suppress(OSError):
            os.unlink(self.temp)


def atomic_write_bytes(path: str | Path, data: bytes, *, force: bool = True, mode: int | None = None) -> None:
    """Write `data` to `path` atomically (see `AtomicWriter`)."""
    writer = AtomicWriter(path, force=force)
    try:
        writer.write(data)
    except BaseException:
        writer.abort()
        raise
    writer.commit(mode)


def atomic_write_text(
    path: str | Path, text: str, *, encoding: str = "utf-8", force: bool = True, mode: int | None = None
) -> None:
    atomic_write_bytes(path, text.encode(encoding), force=force, mode=mode)
