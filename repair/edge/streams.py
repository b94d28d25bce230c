"""Reading a large text file a piece at a time, decoded exactly as `read_document` decodes it whole.

Why: a 50 MB file held as bytes and as text (and as a lowered copy) is hundreds of MB
before a word is scanned. Read a piece at a time, a file costs a piece's memory; its
blocks (`repair.edge.blocks`) are the same as those of the text read whole.

A file is read twice: `open_text` reads it through once to refuse it as a whole if
it must be refused (binary, not valid text, too large), so that no finding of a file
is reported before it turns out unreadable further on; `pieces` then reads it again
(the page cache keeps that cheap) and hands on its text, noting the SHA-256 of the
bytes it read, which an in-place fix checks the file against before replacing it.

Only Unicode encodings are read this way (UTF-8, the default, and UTF-16 and UTF-32):
each character's bytes stand on their own there, so pieces decode and encode to what
the whole does. A file in another encoding is read whole (`read_document`).
"""

from __future__ import annotations

import codecs
import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass, field

from repair.edge.documents import (
    BINARY_SNIFF,
    BOM,
    MAX_BYTES,
    Codec,
    InputError,
    not_valid,
    open_regular,
    read_problem,
    sniff,
    text_encoding,
    too_large,
)

READ_BYTES = 1 << 18  # bytes read at a time
UNICODE_FAMILIES = ("utf-8", "utf-16", "utf-32")


def streamable(encoding: str | None) -> bool:
    """Whether files read with `--encoding encoding` (None: the default) can be read a piece at a time."""
    if encoding is None:
        return True
    try:
        name = text_encoding(encoding)
    except ValueError:
        return False  # read whole, which reports the bad encoding as it always has
    return name.startswith(UNICODE_FAMILIES)


@dataclass
class TextFile:
    """A text file that `open_text` found readable, and how to write text back as it is stored."""

    path: str
    encoding: str  # as `Document.encoding`: the codec after its byte order mark
    bom: bool
    given: str | None = None  # the --encoding asked for (None: the default)
    digest: str | None = field(default=None, compare=False)  # SHA-256 of the bytes `pieces` read, once all read

    def encode(self, text: str, first: bool) -> bytes:
        """A piece of the text as stored: `first` puts the byte order mark before it, if the file has one."""
        return ((BOM if first and self.bom else "") + text).encode(self.encoding)


def open_text(path: str, encoding: str | None = None, max_bytes: int = MAX_BYTES) -> TextFile:
    """Check that the file at `path` reads as text in full; raises InputError (or NotText) as `read_document` does."""
    found = TextFile(path, "", False, encoding)
    for _ in _decoded(found, max_bytes, None):
        pass
    return found


def pieces(file: TextFile, max_bytes: int = MAX_BYTES) -> Iterator[str]:
    """The file's text a piece at a time; `file.digest` is set once the last piece is read.

    Raises InputError where the file no longer reads as `open_text` found it (it changed meanwhile).
    """
    digest = hashlib.sha256()
    yield from _decoded(file, max_bytes, digest)
    file.digest = digest.hexdigest()


def file_digest(path: str | os.PathLike[str], max_bytes: int = MAX_BYTES, what: str = "file") -> str:
    """The SHA-256 of a regular file's bytes, read a piece at a time; InputError as `read_limited` raises it."""
    digest = hashlib.sha256()
    for _ in _chunks(str(path), max_bytes, digest, what):
        pass
    return digest.hexdigest()


def _chunks(path: str, max_bytes: int, digest: hashlib._Hash | None, what: str = "file") -> Iterator[bytes]:
    fd = open_regular(path, max_bytes, what)
    size = 0
    try:
        while True:
            try:
                chunk = os.read(fd, READ_BYTES)
            except OSError as exc:
                raise InputError(read_problem(path, exc, what)) from None
            if not chunk:
                return
            size += len(chunk)
            if size > max_bytes:
                raise too_large(path, max_bytes)
            if digest is not None:
                digest.update(chunk)
            yield chunk
    finally:
        os.close(fd)


def _decoded(file: TextFile, max_bytes: int, digest: hashlib._Hash | None) -> Iterator[str]:
    """Decode the file's bytes as `repair.edge.documents.decode` does, noting its codec and BOM in `file`."""
    chunks = _chunks(file.path, max_bytes, digest)
    head = b""
    for chunk in chunks:  # at least BINARY_SNIFF bytes (or all) to know the codec
        head += chunk
        if len(head) >= BINARY_SNIFF:
            break
    codec = sniff(head, file.path, file.given)
    if codec.family is None:
        raise ValueError(f"{codec.encoding} is not read a piece at a time (see streamable)")
    file.encoding, file.bom = codec.encoding, codec.skip > 0
    decoder = codecs.getincrementaldecoder(codec.encoding)()
    fed = 0  # bytes handed to the decoder before the current chunk, BOM included
    first = True
    for data, final in _with_last(_chain(head[codec.skip :], chunks)):
        pending = len(decoder.getstate()[0])
        try:
            text = decoder.decode(data, final)
        except UnicodeDecodeError as exc:
            raise not_valid(file.path, file.given, codec, exc, codec.skip + fed - pending) from None
        fed += len(data)
        if first and text:
            first = False
            if not file.bom and codec.family == "utf-8" and text.startswith(BOM):
                text, file.bom = text[1:], True
        if text:
            yield text


def _chain(head: bytes, rest: Iterator[bytes]) -> Iterator[bytes]:
    if head:
        yield head
    yield from rest


def _with_last(chunks: Iterator[bytes]) -> Iterator[tuple[bytes, bool]]:
    """Each chunk and whether it is the last (an empty last chunk where there is none, so the decoder ends)."""
    previous: bytes | None = None
    for chunk in chunks:
        if previous is not None:
            yield previous, False
        previous = chunk
    yield (previous or b""), True


__all__ = ["Codec", "TextFile", "file_digest", "open_text", "pieces", "streamable"]
