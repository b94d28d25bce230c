"""Spun texts beside their originals: NAME.spun.txt and NAME.orig.txt in one folder."""

from __future__ import annotations

from pathlib import Path

SPUN_SUFFIX, ORIG_SUFFIX = ".spun.txt", ".orig.txt"
SPLITS = ("tune", "report", "contrast")  # the groups of the development pairs' split
SPLIT_NAME = "devpairs-split.toml"  # the split, shipped beside the wordlists (repair.tools.evaluate.split_file)


def find_pairs(folder: str | Path) -> dict[str, tuple[Path, Path]]:
    """NAME -> (NAME.spun.txt, NAME.orig.txt) for every complete pair in the folder, by name.

    A spun file without its original is left out; the folder is not walked.
    """
    root = Path(folder)
    pairs = {}
    for spun in sorted(root.glob(f"*{SPUN_SUFFIX}")):
        name = spun.name[: -len(SPUN_SUFFIX)]
        original = root / f"{name}{ORIG_SUFFIX}"
        if original.is_file():
            pairs[name] = (spun, original)
    return pairs
