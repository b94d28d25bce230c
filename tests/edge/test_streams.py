"""A file read a piece at a time reads as it does whole: text, codec, BOM and errors (repair.edge.streams)."""

from __future__ import annotations

import codecs
import hashlib
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from repair.edge import streams
from repair.edge.documents import InputError, NotText, read_document
from repair.edge.streams import TextFile, file_digest, open_text, pieces, streamable


def _whole_or_error(path: Path, encoding: str | None, max_bytes: int = 1 << 20) -> tuple[str, str, bool] | str:
    try:
        doc = read_document(str(path), encoding, max_bytes=max_bytes)
    except InputError as exc:
        return f"{type(exc).__name__}: {exc}"
    return doc.text, doc.encoding, doc.bom


def _streamed_or_error(path: Path, encoding: str | None, max_bytes: int = 1 << 20) -> tuple[str, str, bool] | str:
    try:
        found = open_text(str(path), encoding, max_bytes)
        text = "".join(pieces(found, max_bytes))
    except InputError as exc:
        return f"{type(exc).__name__}: {exc}"
    return text, found.encoding, found.bom


SAMPLES = [
    ("plain", b"The squaddies left.\n", None),
    ("utf8-bom", codecs.BOM_UTF8 + "Café’s squaddies\r\n".encode(), None),
    ("utf16-bom", codecs.BOM_UTF16_LE + "Café’s squaddies 😀\n".encode("utf-16-le"), None),
    ("utf16-be-given", "Café’s 😀 squaddies\n".encode("utf-16-be"), "utf-16-be"),
    ("utf32-bom", codecs.BOM_UTF32_BE + "squaddies ü\n".encode("utf-32-be"), "utf-32"),
    ("bad-utf8", b"abc " * 5 + b"\xe2\x82 caf\xc3", None),
    ("bad-utf8-given", b"ok " * 9 + b"\xff", "utf-8"),
    ("odd-utf16", codecs.BOM_UTF16_LE + "ab".encode("utf-16-le") + b"\x00", None),
    ("binary", b"abc\x00def", None),
    ("empty", b"", None),
    ("bom-only", codecs.BOM_UTF8, None),
]


@pytest.mark.parametrize("read_bytes", [1, 3, 7, 1 << 18])
@pytest.mark.parametrize(("name", "data", "encoding"), SAMPLES, ids=[s[0] for s in SAMPLES])
def test_pieces_read_as_the_whole_file_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, read_bytes: int, name: str, data: bytes, encoding: str | None
) -> None:
    monkeypatch.setattr(streams, "READ_BYTES", read_bytes)  # characters' bytes split across reads
    path = tmp_path / f"{name}.txt"
    path.write_bytes(data)
    assert _streamed_or_error(path, encoding) == _whole_or_error(path, encoding)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.one_of(
        st.binary(max_size=60),
        st.text(max_size=30).map(lambda t: t.encode("utf-8", "surrogatepass")),
        st.text(max_size=30).map(lambda t: codecs.BOM_UTF16_LE + t.encode("utf-16-le", "surrogatepass")),
    ),
    encoding=st.sampled_from([None, "utf-8", "utf-16", "utf-16-le", "utf-32-be"]),
    read_bytes=st.integers(1, 9),
)
def test_any_bytes_stream_as_they_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, data: bytes, encoding: str | None, read_bytes: int
) -> None:
    monkeypatch.setattr(streams, "READ_BYTES", read_bytes)
    path = tmp_path / "any.txt"
    path.write_bytes(data)
    assert _streamed_or_error(path, encoding) == _whole_or_error(path, encoding)


def test_files_refused_as_reading_whole_refuses_them(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"word " * 100)
    assert _streamed_or_error(big, None, max_bytes=100) == _whole_or_error(big, None, max_bytes=100)
    assert "larger than" in str(_streamed_or_error(big, None, max_bytes=100))
    fifo = tmp_path / "fifo.txt"
    os.mkfifo(fifo)
    with pytest.raises(NotText):  # refused at once, never waited on
        open_text(str(fifo))
    assert _streamed_or_error(tmp_path, None) == _whole_or_error(tmp_path, None)
    assert _streamed_or_error(tmp_path / "missing.txt", None) == _whole_or_error(tmp_path / "missing.txt", None)


def test_the_digest_is_of_the_bytes_read_and_a_change_meanwhile_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    data = codecs.BOM_UTF8 + "squaddies café\n".encode() * 50
    path.write_bytes(data)
    found = open_text(str(path))
    assert (found.encoding, found.bom, found.digest) == ("utf-8", True, None)
    assert "".join(pieces(found)) == data[3:].decode()
    assert found.digest == hashlib.sha256(data).hexdigest() == file_digest(path)
    path.write_bytes(b"abc \xff")  # broken after it was checked: the second read says so, as reading whole would
    with pytest.raises(InputError, match="not valid utf-8 text at byte 4"):
        "".join(pieces(found))


def test_only_unicode_encodings_are_read_a_piece_at_a_time() -> None:
    assert streamable(None) and streamable("UTF-8") and streamable("utf-16") and streamable("utf_32_le")
    assert not streamable("latin-1") and not streamable("cp932") and not streamable("utf-7")
    assert not streamable("no-such-codec")
    assert TextFile("x", "utf-16-le", True).encode("ab", first=True) == codecs.BOM_UTF16_LE + "ab".encode("utf-16-le")
    assert TextFile("x", "utf-16-le", True).encode("ab", first=False) == "ab".encode("utf-16-le")
