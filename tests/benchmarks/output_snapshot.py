"""Byte-identity harness: snapshot what `repair` prints, and compare two snapshots (a tool, not a test).

Usage:

    python tests/benchmarks/output_snapshot.py snapshot OUT [--repair PATH] [--corpus-mb 0.4] [--corpus DIR]
    python tests/benchmarks/output_snapshot.py compare A B

`snapshot` runs the `repair` executable PATH (default: this venv's) on every input group and writes what it
prints, and its exit code, to files under OUT:

* `check` (human lines, the default threshold), `check --all --format json` and `check --recall-mode --all
  --format json`, each once per group (one process, `-j 1`);
* `fix -o -` on every file of the group, in one process calling `repair.cli.main` once per file (the fixed text
  is what it writes to stdout).

Input groups: the seeds of ../shared/seeds, every folder of ../shared/devpairs (spun pages and their
originals), and the three throughput corpora of tests/benchmarks/throughput.py (throughput_corpus.py) at
--corpus-mb MB each, built in --corpus DIR (kept, reused; default a folder under the system's temp dir). Each
group runs with its folder's parent as the working directory, so printed paths do not depend on where the
snapshot or the code lives. The user data folder is empty and config files are ignored.

`compare` lists every file that differs or exists on one side only, and exits 1 if any does.
"""

from __future__ import annotations

import argparse
import contextlib
import filecmp
import io
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SHARED = ROOT.parent / "shared"
GLOBS = ("*.txt", "*.md", "*.markdown", "*.html", "*.htm")
CHECKS = {
    "check.txt": ["check"],
    "check-all.jsonl": ["check", "--all", "--format", "json"],
    "recall-all.jsonl": ["check", "--recall-mode", "--all", "--format", "json"],
}
COMMON = ["--no-config", "--no-user-lists", "-q", "-j", "1"]


def groups(corpus: Path, corpus_mb: float) -> list[tuple[str, Path, list[str]]]:
    """(name, working directory, paths relative to it) per input group."""
    sys.path.insert(0, str(HERE))
    import throughput_corpus as corpora  # a sibling script, not a package

    out = []
    seeds = SHARED / "seeds"
    out.append(("seeds", SHARED, sorted(f"seeds/{p.name}" for p in seeds.glob("*.txt"))))
    for folder in sorted(p for p in (SHARED / "devpairs").iterdir() if p.is_dir()):
        files = sorted(f"{folder.name}/{p.name}" for g in GLOBS for p in folder.glob(g))
        out.append((f"devpairs-{folder.name}", folder.parent, files))
    for kind in corpora.KINDS:
        folder = corpus / kind
        if not folder.is_dir():
            corpora.build(folder, kind, int(corpus_mb * corpora.MB))
        out.append((f"corpus-{kind}", corpus, sorted(f"{kind}/{p.name}" for p in folder.iterdir())))
    return out


def run_group(repair: Path, name: str, cwd: Path, files: list[str], out: Path, env: dict[str, str]) -> str:
    start = time.perf_counter()
    folder = out / name
    folder.mkdir(parents=True)
    for label, command in CHECKS.items():
        proc = subprocess.run([str(repair), *command, *COMMON, *files], cwd=cwd, env=env, capture_output=True)
        (folder / label).write_bytes(proc.stdout + f"\n[exit {proc.returncode}]\n".encode())
        (folder / (label + ".stderr")).write_bytes(proc.stderr)
    python = repair.parent / "python"
    fixes = folder / "fix"
    fixes.mkdir()
    proc = subprocess.run(
        [str(python), str(Path(__file__).resolve()), "_fix", str(fixes), *files],
        cwd=cwd,
        env=env,
        capture_output=True,
    )
    if proc.returncode:
        sys.exit(f"{name}: the fix runner failed: {proc.stderr.decode(errors='replace')[-2000:]}")
    return f"{name}: {len(files)} files, {time.perf_counter() - start:.1f} s"


def fix_runner(out: Path, files: list[str]) -> int:
    """`repair fix -o -` on each file in this process; its stdout and exit code to OUT/<file>."""
    from repair.cli import main

    real = sys.stdout
    for path in files:
        buffer = io.BytesIO()
        sys.stdout = stream = io.TextIOWrapper(buffer, encoding="utf-8", write_through=True)
        try:
            with contextlib.redirect_stderr(io.StringIO()) as err:
                code = main(["fix", "--no-config", "--no-user-lists", "-q", path, "-o", "-"])
            stream.flush()
        finally:
            sys.stdout = real
            stream.detach()  # the buffer stays open to be read
        target = out / path.replace("/", "__")
        target.write_bytes(buffer.getvalue() + f"\n[exit {code}]\n{err.getvalue()}".encode())
    return 0


def snapshot(out: Path, repair: Path, corpus: Path, corpus_mb: float) -> int:
    if out.exists():
        sys.exit(f"{out} exists")
    out.mkdir(parents=True)
    home = Path(tempfile.mkdtemp(prefix="repair-snapshot-home-"))
    env = {**os.environ, "REPAIR_HOME": str(home), "NO_COLOR": "1"}
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=2) as pool:
        jobs = [pool.submit(run_group, repair, n, cwd, files, out, env) for n, cwd, files in groups(corpus, corpus_mb)]
        for job in jobs:
            print(job.result(), file=sys.stderr)
    print(f"snapshot of {repair} in {out}: {time.perf_counter() - start:.0f} s", file=sys.stderr)
    return 0


def compare(a: Path, b: Path) -> int:
    names = {p.relative_to(a) for p in a.rglob("*") if p.is_file()} | {
        p.relative_to(b) for p in b.rglob("*") if p.is_file()
    }
    differ = []
    for name in sorted(names):
        x, y = a / name, b / name
        if not (x.is_file() and y.is_file()):
            differ.append(f"only in {a if x.is_file() else b}: {name}")
        elif not filecmp.cmp(x, y, shallow=False):
            differ.append(f"differs: {name}")
    print("\n".join(differ) or f"identical: {len(names)} files", file=sys.stderr)
    return 1 if differ else 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "_fix":
        return fix_runner(Path(argv[1]), argv[2:])
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    snap = sub.add_parser("snapshot", help="run repair on every input group; write its outputs to OUT")
    snap.add_argument("out", type=Path)
    snap.add_argument("--repair", type=Path, default=Path(sys.executable).parent / "repair")
    snap.add_argument("--corpus-mb", type=float, default=0.4, help="size of each throughput corpus (default 0.4)")
    snap.add_argument("--corpus", type=Path, default=Path(tempfile.gettempdir()) / "repair-snapshot-corpus")
    cmp = sub.add_parser("compare", help="compare two snapshots; exit 1 if they differ")
    cmp.add_argument("a", type=Path)
    cmp.add_argument("b", type=Path)
    args = parser.parse_args(argv)
    if args.command == "compare":
        return compare(args.a, args.b)
    return snapshot(args.out, args.repair.absolute(), args.corpus.absolute(), args.corpus_mb)


if __name__ == "__main__":
    sys.exit(main())
