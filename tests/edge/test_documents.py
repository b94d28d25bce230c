"""Reading documents safely and writing them atomically (repair.edge.documents)."""

from __future__ import annotations

import io
import os
import stat
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from repair.edge import documents as rio
from repair.edge.documents import (
    BOM,
    Document,
    InputError,
    atomic_write_bytes,
    atomic_write_text,
    decode,
    read_document,
    read_problem,
)


def test_decode_plain_utf8() -> None:
    doc = decode("naïve text\n".encode(), "a.txt")
    assert (doc.text, doc.encoding, doc.bom, doc.path) == ("naïve text\n", "utf-8", False, "a.txt")


def test_decode_strips_and_remembers_a_bom() -> None:
    doc = decode(b"\xef\xbb\xbfhello\r\n", "a.txt")
    assert doc.text == "hello\r\n"
    assert doc.bom
    assert doc.encoded(doc.text) == b"\xef\xbb\xbfhello\r\n"


@given(st.text(), st.booleans(), st.sampled_from(["\n", "\r\n", "\r"]))
def test_encoded_round_trips_byte_for_byte(text: str, bom: bool, newline: str) -> None:
    text = text.lstrip(BOM).replace("\n", newline)
    data = (BOM if bom else "").encode() + text.encode("utf-8", "surrogatepass")
    if any(0xD800 <= ord(c) <= 0xDFFF for c in text) or b"\x00" in data:
        return  # not valid UTF-8 or binary: refused, covered below
    doc = decode(data, "x")
    assert doc.encoded(doc.text) == data


def test_decode_refuses_binary() -> None:
    with pytest.raises(InputError, match=r"^x\.bin: looks like a binary file"):
        decode(b"PK\x03\x04\x00\x00", "x.bin")


def test_decode_names_the_byte_and_suggests_encoding() -> None:
    with pytest.raises(InputError) as caught:
        decode("café".encode("latin-1"), "a.txt")
    message = str(caught.value)
    assert message.startswith("a.txt: not valid utf-8 text at byte 3")
    assert "--encoding" in message
    assert "\n" not in message


def test_decode_with_an_explicit_encoding() -> None:
    doc = decode("café".encode("cp1252"), "a.txt", "cp1252")
    assert doc.text == "café"
    assert doc.encoded("cafés") == "cafés".encode("cp1252")
    with pytest.raises(InputError, match="unknown encoding"):
        decode(b"abc", "a.txt", "no-such-codec")


def test_read_document_missing_and_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_document(str(tmp_path / "missing.txt"))
    with pytest.raises(InputError, match="is a folder"):
        read_document(str(tmp_path))


def test_read_document_refuses_files_over_the_limit_without_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:  # sparse: the size check must come before any read
        handle.truncate(rio.MAX_BYTES + 1)
    with pytest.raises(InputError, match=r"larger than the 67 MB limit"):
        read_document(str(big))
    small = tmp_path / "small.txt"
    small.write_bytes(b"x" * 11)
    with pytest.raises(InputError, match="limit"):
        read_document(str(small), max_bytes=10)


def test_read_document_permission_denied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "secret.txt"
    path.write_text("x")

    real = os.open

    def denied(name: str, *args: object, **kwargs: object) -> int:
        if name == str(path):
            raise PermissionError(13, "Permission denied")
        return real(name, *args, **kwargs)  # type: ignore[arg-type]

    # chmod is no barrier for root, so simulate the refusal
    monkeypatch.setattr(os, "open", denied)
    with pytest.raises(InputError, match=r"secret\.txt: permission denied$"):
        read_document(str(path))


def test_read_document_from_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"\xef\xbb\xbfhi\r\n")))
    doc = read_document("-")
    assert (doc.path, doc.text, doc.bom) == ("<stdin>", "hi\r\n", True)


def test_atomic_write_creates_and_replaces(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    atomic_write_bytes(target, b"one")
    assert target.read_bytes() == b"one"
    atomic_write_text(target, "twö")
    assert target.read_bytes() == "twö".encode()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]  # no temporary left behind


def test_atomic_write_refuses_existing_without_force(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_bytes(b"keep")
    with pytest.raises(InputError, match="already exists"):
        atomic_write_bytes(target, b"new", force=False)
    assert target.read_bytes() == b"keep"


def test_atomic_write_needs_an_existing_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        atomic_write_bytes(tmp_path / "nowhere" / "out.txt", b"x")


def test_atomic_write_keeps_the_mode_of_the_file_it_replaces(tmp_path: Path) -> None:
    target = tmp_path / "script.txt"
    target.write_bytes(b"old")
    target.chmod(0o640)
    atomic_write_bytes(target, b"new")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "out.txt"
    target.write_bytes(b"old")

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(InputError, match="No space left"):
        atomic_write_bytes(target, b"new")
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]


def test_document_is_frozen() -> None:
    doc = Document("a", "text")
    with pytest.raises(AttributeError):
        doc.text = "other"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("exc", "message"),
    [
        (FileNotFoundError(2, "No such file"), "list.txt: no such wordlist file"),
        (IsADirectoryError(21, "Is a directory"), "list.txt: is a folder, not a wordlist file"),
        (PermissionError(13, "Permission denied"), "list.txt: permission denied"),
        (
            UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid"),
            "list.txt: wordlist file is not valid UTF-8 text at byte 0",
        ),
        (OSError(5, "Input/output error"), "list.txt: cannot read wordlist file (Input/output error)"),
    ],
)
def test_read_problems_are_one_line_naming_the_file(exc: Exception, message: str) -> None:
    assert read_problem("list.txt", exc, "wordlist file") == message  # type: ignore[arg-type]


@given(
    st.text(alphabet=st.sampled_from("ab ≒①\\x+-é日\n"), max_size=40),
    st.sampled_from(["cp932", "utf-7", "unicode_escape"]),
    st.integers(1, 7),
    st.data(),
)
def test_byte_offsets_are_the_same_whatever_the_block(text: str, codec: str, block: int, data: st.DataObject) -> None:
    raw = text.encode(codec, "ignore") + ("≒".encode("cp932") if codec == "cp932" else b"")
    try:
        doc = decode(raw, "x", codec)
    except InputError:
        return
    doc = Document(doc.path, doc.text, doc.encoding, doc.bom, raw)
    wanted = sorted(set(data.draw(st.lists(st.integers(0, len(doc.text)), max_size=5))))
    assert rio._byte_offsets(doc, wanted, block) == rio._byte_offsets(doc, wanted)
