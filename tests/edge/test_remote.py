"""fsspec inputs and outputs (repair.edge.remote): walked and read as local folders and files are.

The `memory://` file system is fsspec's own, in this process; `local://` is fsspec's local file system
(`file://` is read as a local path, so these go through fsspec's listing, reading and writing).
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path

import pytest

from repair.edge.documents import InputError, NotText
from repair.edge.inputs import DEFAULT_GLOBS
from repair.edge.remote import is_url, read_input, walk_inputs, write_url

fsspec = pytest.importorskip("fsspec")


@pytest.fixture
def bucket() -> Iterator[str]:
    """A memory:// folder holding a small tree, removed afterwards."""
    fs = fsspec.filesystem("memory")
    fs.pipe_file("/crawl/b.txt", b"squaddies\n")
    fs.pipe_file("/crawl/a.md", "\ufeffThe squaddies\n".encode())
    fs.pipe_file("/crawl/sub/c.html", b"<p>squaddies</p>")
    fs.pipe_file("/crawl/sub/skip.log", b"not taken")
    fs.pipe_file("/crawl/.hidden/d.txt", b"hidden")
    fs.pipe_file("/crawl/ignored/e.txt", b"ignored")
    fs.pipe_file("/crawl/.gitignore", b"ignored/\n")
    fs.pipe_file("/crawl/blob.txt", b"\x89PNG\x00\x00")
    yield "memory://crawl"
    fs.rm("/crawl", recursive=True)


def test_only_urls_are_urls() -> None:
    assert is_url("s3://bucket/key") and is_url("memory://x") and is_url("file:///tmp/x")
    assert not is_url("C:\\text.txt") and not is_url("notes/a.txt") and not is_url("-")


def test_a_url_folder_is_walked_as_a_folder_is(bucket: str) -> None:
    sources = walk_inputs([bucket], DEFAULT_GLOBS)
    assert [s.path for s in sources] == [f"{bucket}/{n}" for n in ("a.md", "b.txt", "blob.txt", "sub/c.html")]
    assert {s.root for s in sources} == {bucket}
    assert [s.relative for s in sources] == ["a.md", "b.txt", "blob.txt", "sub/c.html"]
    assert sources[1].size == len(b"squaddies\n")  # from the listing: partitions are balanced by it
    assert len(walk_inputs([bucket], DEFAULT_GLOBS, vcs_ignore=False)) == 5  # ignored/e.txt too
    assert [s.relative for s in walk_inputs([bucket], ("*.md",), patterns=("sub/",))] == ["a.md"]


def test_urls_and_local_paths_keep_the_order_given(bucket: str, tmp_path: Path) -> None:
    (tmp_path / "z.txt").write_text("x")
    sources = walk_inputs([str(tmp_path / "z.txt"), f"{bucket}/b.txt"], DEFAULT_GLOBS)
    assert [s.path for s in sources] == [str(tmp_path / "z.txt"), f"{bucket}/b.txt"]
    assert sources[1].root is None  # named directly


def test_reading_a_url_follows_the_rules_of_local_files(bucket: str) -> None:
    document = read_input(f"{bucket}/a.md")
    assert document.text == "The squaddies\n" and document.bom
    with pytest.raises(NotText):
        read_input(f"{bucket}/blob.txt")
    with pytest.raises(InputError, match=r"^memory://crawl/none.txt: no such file$"):
        read_input(f"{bucket}/none.txt")


def test_a_missing_package_or_protocol_is_one_line() -> None:
    with pytest.raises(InputError, match=r"^nope://x/y\.txt: .*nope"):
        read_input("nope://x/y.txt")
    if importlib.util.find_spec("gcsfs") is None:
        with pytest.raises(InputError, match=r"^gcs://bucket/y\.txt: .*gcsfs"):
            read_input("gcs://bucket/y.txt")


def test_writing_a_url_puts_the_whole_object_and_refuses_an_existing_one(tmp_path: Path) -> None:
    target = f"local://{tmp_path}/out.txt"
    write_url(target, b"one")
    with pytest.raises(InputError, match="already exists"):
        write_url(target, b"two", force=False)
    write_url(target, b"two")
    assert (tmp_path / "out.txt").read_bytes() == b"two"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]
    write_url(f"local://{tmp_path}/new/folder/out.txt", b"three")  # folders made where a file system has them
    assert (tmp_path / "new" / "folder" / "out.txt").read_bytes() == b"three"
