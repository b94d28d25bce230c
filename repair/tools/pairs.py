"""Spun texts beside their originals: NAME.spun.txt and NAME.orig.txt in one folder."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
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


@dataclass(frozen=True, slots=True)
class PairInfo:
    """What is known about a pair besides its two texts: its story, spinner family and topic."""

    name: str
    spun: Path
    original: Path
    story: str
    family: str = "target"  # target (the seed's spinner), heavy (heavier spinners), other (not a thesaurus spinner)
    topic: str = ""
    source: str = ""  # the original's address, from NAME.url


def story_of(name: str) -> str:
    """A pair's story: the first part of its name ("redlobster-nyt" -> "redlobster"), its company or event.

    Coarser than one article on purpose: two articles about one company's bankruptcy
    share their vocabulary, so they must not sit on both sides of a split.
    """
    return name.split("-", 1)[0].lower()


def _url_fields(path: Path) -> dict[str, str]:
    fields: dict[str, str] = {}
    if path.is_file():
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            key, colon, value = line.partition(":")
            if colon and key.strip().isalpha() and key.strip() not in fields:
                fields[key.strip().lower()] = value.strip()
    return fields


def describe_pairs(folder: str | Path, families: dict[str, str] | None = None) -> list[PairInfo]:
    """Every pair of a folder with its story, family and topic.

    The family comes from `family:` in NAME.url, else `families` (the shipped split
    file names the first folder's), else "target"; the topic from an INDEX.tsv beside
    the pairs (columns slug, family, topic). Pairs copying one original (the same
    `orig:` address) join one story even when their names differ.
    """
    root = Path(folder)
    topics: dict[str, str] = {}
    index = root / "INDEX.tsv"
    if index.is_file():
        for line in index.read_text(encoding="utf-8").splitlines()[1:]:
            cells = line.split("\t")
            if len(cells) >= 3:
                topics[cells[0]] = cells[2]
    out = []
    for name, (spun, original) in find_pairs(root).items():
        fields = _url_fields(root / f"{name}.url")
        family = fields.get("family") or (families or {}).get(name, "target")
        out.append(PairInfo(name, spun, original, story_of(name), family, topics.get(name, ""), fields.get("orig", "")))
    return _join_by_source(out)


def _join_by_source(pairs: list[PairInfo]) -> list[PairInfo]:
    story_of_source: dict[str, str] = {}
    for p in pairs:
        if p.source and not p.source.startswith("("):
            story_of_source.setdefault(p.source, p.story)
    return [replace(p, story=story_of_source.get(p.source, p.story)) for p in pairs]


# Swaps a person read off a spun page whose original was not found, in the page's NAME.url note: "spun=original"
# items ("prospects/clients=customers": two spun words for one original) or 'original -> "spun"'.
_NOTED_EQUAL = re.compile(
    r"(?:^|[(,;:])\s*([A-Za-z][A-Za-z' &/.-]{0,40}?)\s*=\s*([A-Za-z][A-Za-z' &.-]{0,40}?)\s*(?=[,;)]|\.\s|\.$|$)"
)
_NOTED_ARROW = re.compile(r"([A-Za-z][A-Za-z' &.-]{0,40}?)\s*->\s*\"([^\"]{1,40})\"")
MAX_NOTED_WORDS = 4


def noted_swaps(note: str) -> list[tuple[str, str]]:
    """(spun, original) pairs from a page's note, as written there; what cannot be read as one is left out."""
    found: list[tuple[str, str]] = []
    for m in _NOTED_EQUAL.finditer(note):
        original = m.group(2).strip()
        found.extend((spun.strip(), original) for spun in m.group(1).split("/"))
    for m in _NOTED_ARROW.finditer(note):
        original = m.group(1).split(",")[-1].split(". ")[-1].strip()
        found.append((m.group(2).strip(), re.sub(r"^(?:and|plus|also)\s+", "", original, flags=re.IGNORECASE)))
    return [
        (s, o)
        for s, o in found
        if s and o and s.lower() != o.lower() and max(len(s.split()), len(o.split())) <= MAX_NOTED_WORDS
    ]


@dataclass(frozen=True, slots=True)
class NotedPage:
    """A spun page without its original, and the swaps its note names."""

    name: str
    story: str
    family: str
    swaps: tuple[tuple[str, str], ...]
    path: Path | None = None  # the spun page (NAME.spun.txt)


def noted_pages(folder: str | Path) -> list[NotedPage]:
    """The spun pages of a folder that have no original, with the swaps their NAME.url notes name."""
    root = Path(folder)
    out = []
    for spun in sorted(root.glob(f"*{SPUN_SUFFIX}")):
        name = spun.name[: -len(SPUN_SUFFIX)]
        if (root / f"{name}{ORIG_SUFFIX}").is_file():
            continue
        path = root / f"{name}.url"
        if not path.is_file():
            continue
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        fields = _url_fields(path)
        note = " ".join(line[len("note:") :] for line in lines if line.startswith("note:"))
        out.append(NotedPage(name, story_of(name), fields.get("family", "target"), tuple(noted_swaps(note)), spun))
    return out
