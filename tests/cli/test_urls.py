"""URL inputs of check and fix (fsspec): the same findings as the same files on disk; problems in one line."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path

import pytest

from .helpers import DOC, assert_one_error, run

fsspec = pytest.importorskip("fsspec")


@pytest.fixture
def bucket() -> Iterator[str]:
    fs = fsspec.filesystem("memory")
    fs.pipe_file("/site/a.txt", DOC.encode())
    fs.pipe_file("/site/sub/b.md", DOC.encode())
    yield "memory://site"
    fs.rm("/site", recursive=True)


def test_a_bucket_gives_the_findings_of_the_same_files_on_disk(capsys, wl: Path, bucket: str) -> None:
    (Path("site") / "sub").mkdir(parents=True)
    Path("site/a.txt").write_text(DOC)
    Path("site/sub/b.md").write_text(DOC)
    local = run(capsys, "check", "--format", "json", "--wordlist", str(wl), "site")
    remote = run(capsys, "check", "--format", "json", "--wordlist", str(wl), bucket)
    assert remote.code == local.code == 1
    assert remote.out == local.out.replace("site/", f"{bucket}/")


def test_a_url_is_fixed_to_a_file_but_never_in_place(capsys, wl: Path, bucket: str) -> None:
    result = run(capsys, "fix", "--wordlist", str(wl), f"{bucket}/a.txt", "-o", "a.txt")
    assert result.code == 0 and "soldiers" in Path("a.txt").read_text()
    refused = run(capsys, "fix", "--wordlist", str(wl), "--in-place", bucket)
    assert_one_error(refused, "cannot be fixed in place")


@pytest.mark.skipif(importlib.util.find_spec("gcsfs") is not None, reason="gcsfs is installed")
def test_a_protocol_whose_package_is_missing_is_one_line(capsys) -> None:
    assert_one_error(run(capsys, "check", "gcs://bucket/crawl/a.txt"), "gcs://bucket/crawl/a.txt", "gcsfs")


def test_a_bucket_is_fixed_into_another_bucket_as_into_a_folder(capsys, wl: Path, bucket: str) -> None:
    (Path("site") / "sub").mkdir(parents=True)
    Path("site/a.txt").write_text(DOC)
    Path("site/sub/b.md").write_text(DOC)
    Path("out").mkdir()
    local = run(capsys, "fix", "--wordlist", str(wl), "--output-dir", "out", "site")
    remote = run(capsys, "fix", "--wordlist", str(wl), "--output-dir", "memory://fixed", bucket)
    assert remote.code == local.code == 0 and remote.err == local.err
    fs = fsspec.filesystem("memory")
    assert fs.cat_file("/fixed/sub/b.md") == Path("out/sub/b.md").read_bytes() != DOC.encode()
    again = run(capsys, "fix", "--wordlist", str(wl), "--output-dir", "memory://fixed", bucket)
    assert again.code == 2 and again.err_lines[-1].endswith(
        "memory://fixed/sub/b.md: already exists (use --force to overwrite)"
    )
    assert run(capsys, "fix", "--force", "--wordlist", str(wl), "--output-dir", "memory://fixed", bucket).code == 0
    assert_one_error(run(capsys, "fix", "--diff", "--output-dir", "memory://x", bucket), "not allowed with argument")
    fs.rm("/fixed", recursive=True)
