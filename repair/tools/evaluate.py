"""`repair eval`: measure the batch fixer against known originals.

Definitions (the project's; the README quotes them):

* A **gold edit** is a span of the spun text with the original's wording for it
  (`repair.tools.align`). Only text inside aligned regions is judged; edits of ours
  elsewhere (page furniture, the extra paragraph one side has, rewritten
  passages) are *unjudged* and count for nothing.
* Gold edits and our edits that overlap form a *cluster*. Over a cluster we
  compare, word by word and ignoring case and punctuation, the original's
  wording with the text our fixes produce.
* A gold edit is **restored** when its original words stand in its place in
  our output and no difference touches them: a span only partly replaced
  ("eating places" -> "eating restaurants") is not restored.
* An edit of ours is **right** when it overlaps a gold edit and the words it
  changed are the original's words in that place. Gold spans can join two
  neighbouring swaps ("additionally helps to keep" -> "also keeps"), so an edit
  fixing one of them is right while the gold edit waits for the other. One edit
  can restore two gold spans, and two edits can restore one together.
* recall = restored / gold edits; precision = right / judged edits of ours;
  every judged edit that is not right is a **false fix**. On clean text every
  edit is a false fix, reported per 1,000 words (whitespace-separated words).
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from repair.core.engine import Engine, Selection
from repair.core.model import Finding
from repair.core.wordlists import wordlist_dir
from repair.edge.batch import scan_text
from repair.edge.documents import InputError, read_document
from repair.edge.fixing import apply_selection
from repair.tools.align import GoldEdit, align
from repair.tools.judge import Status, Verdict, judge, snippet
from repair.tools.pairs import ORIG_SUFFIX, SPLIT_NAME, SPUN_SUFFIX, find_pairs

SCHEMA_VERSION = 1
BUCKETS = 10  # calibration buckets of width 0.1


# ---------------------------------------------------------------- results


@dataclass(frozen=True, slots=True)
class Miss:
    """A gold edit we did not restore."""

    gold: GoldEdit
    produced: str  # what our output reads over the gold's cluster
    found: Finding | None = None  # a finding at the span that the selection left out

    @property
    def why(self) -> str:
        if self.produced != self.gold.spun:
            return f"fixed differently: {self.produced!r}"
        if self.found is None:
            return "not found"
        f = self.found
        return f"found, not applied ({f.safety.value}, confidence {f.confidence:.2f}: {f.replacement!r})"

    def to_dict(self, text: str) -> dict[str, object]:
        g = self.gold
        return {
            "start": g.start,
            "end": g.end,
            "spun": g.spun,
            "original": g.original,
            "produced": self.produced,
            "why": self.why,
            "context": snippet(text, g.start, g.end, g.original),
        }


@dataclass(frozen=True)
class PairResult:
    name: str
    words: int
    gold: int
    restored: int
    verdicts: tuple[Verdict, ...]
    misses: tuple[Miss, ...]
    group: str = ""
    text: str = field(default="", repr=False)

    def count(self, status: Status) -> int:
        return sum(1 for v in self.verdicts if v.status == status)

    @property
    def judged(self) -> int:
        return self.count("right") + self.count("wrong")

    @property
    def recall(self) -> float | None:
        return self.restored / self.gold if self.gold else None

    @property
    def precision(self) -> float | None:
        return self.count("right") / self.judged if self.judged else None

    def to_dict(self, details: bool = True) -> dict[str, object]:
        data: dict[str, object] = {"name": self.name}
        if self.group:
            data["group"] = self.group
        data.update(
            _figures(self.words, self.gold, self.restored, len(self.verdicts), self.count("right"), self.judged)
        )
        if details:
            data["misses"] = [m.to_dict(self.text) for m in self.misses]
            data["wrong"] = [v.to_dict(self.text) for v in self.verdicts if v.status == "wrong"]
            data["unjudged"] = [v.to_dict(self.text) for v in self.verdicts if v.status == "unjudged"]
        return data


@dataclass(frozen=True)
class CleanResult:
    name: str
    words: int
    edits: tuple[Finding, ...]
    text: str = field(default="", repr=False)

    @property
    def per_1000(self) -> float:
        return per_1000(len(self.edits), self.words)

    def to_dict(self, details: bool = True) -> dict[str, object]:
        data: dict[str, object] = {
            "name": self.name,
            "words": self.words,
            "false_fixes": len(self.edits),
            "per_1000_words": round(self.per_1000, 3),
        }
        if details:
            data["edits"] = [
                {**f.to_dict(), "context": snippet(self.text, f.start, f.end, f.replacement)} for f in self.edits
            ]
        return data


def per_1000(count: int, words: int) -> float:
    return 1000 * count / words if words else 0.0


def word_count(text: str) -> int:
    return len(text.split())


def _ratio(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


def _figures(words: int, gold: int, restored: int, edits: int, right: int, judged: int) -> dict[str, object]:
    return {
        "words": words,
        "gold": gold,
        "edits": edits,
        "judged": judged,
        "unjudged": edits - judged,
        "restored": restored,
        "right": right,
        "wrong": judged - right,
        "recall": _ratio(restored, gold),
        "precision": _ratio(right, judged),
        "edits_per_1000_words": round(per_1000(edits, words), 3),
    }


def evaluate_pair(
    name: str, spun: str, original: str, engine: Engine, selection: Selection, *, group: str = ""
) -> PairResult:
    alignment = align(spun, original)
    outcome = apply_selection(spun, scan_text(engine, spun), selection)
    applied, leftover = outcome.applied, outcome.remaining
    verdicts, gold_states = judge(spun, alignment, applied)
    misses = []
    for gold, restored, produced in gold_states:
        if not restored:
            found = next((f for f in leftover if f.start < gold.end and gold.start < f.end), None)
            misses.append(Miss(gold, produced, found))
    restored_count = sum(1 for _, ok, _ in gold_states if ok)
    return PairResult(
        name, word_count(spun), len(gold_states), restored_count, tuple(verdicts), tuple(misses), group, spun
    )


def evaluate_clean(name: str, text: str, engine: Engine, selection: Selection) -> CleanResult:
    applied = apply_selection(text, scan_text(engine, text), selection).applied
    return CleanResult(name, word_count(text), applied, text)


# ---------------------------------------------------------------- summaries


@dataclass(frozen=True, slots=True)
class Bucket:
    low: float
    high: float
    edits: int
    right: int

    @property
    def share(self) -> float | None:
        return self.right / self.edits if self.edits else None


def calibration(pairs: Sequence[PairResult], clean: Sequence[CleanResult]) -> list[Bucket]:
    """Per confidence bucket, the share of our judged edits that were right (edits on clean text are all wrong)."""
    counts = [[0, 0] for _ in range(BUCKETS)]
    outcomes = [
        (v.finding.confidence, v.status == "right") for p in pairs for v in p.verdicts if v.status != "unjudged"
    ]
    outcomes += [(f.confidence, False) for c in clean for f in c.edits]
    for confidence, ok in outcomes:
        b = min(int(confidence * BUCKETS), BUCKETS - 1)
        counts[b][0] += 1
        counts[b][1] += ok
    return [Bucket(b / BUCKETS, (b + 1) / BUCKETS, n, k) for b, (n, k) in enumerate(counts) if n]


def totals(pairs: Sequence[PairResult]) -> dict[str, object]:
    """Micro-averaged figures: sums of counts, then the ratios."""
    return _figures(
        sum(p.words for p in pairs),
        sum(p.gold for p in pairs),
        sum(p.restored for p in pairs),
        sum(len(p.verdicts) for p in pairs),
        sum(p.count("right") for p in pairs),
        sum(p.judged for p in pairs),
    ) | {"pairs": len(pairs)}


def clean_totals(clean: Sequence[CleanResult]) -> dict[str, object]:
    words = sum(c.words for c in clean)
    edits = sum(len(c.edits) for c in clean)
    return {
        "texts": len(clean),
        "words": words,
        "false_fixes": edits,
        "per_1000_words": round(per_1000(edits, words), 3),
    }


@dataclass(frozen=True)
class Report:
    selection: Selection
    wordlists: tuple[str, ...]
    pairs: tuple[PairResult, ...] = ()
    clean: tuple[CleanResult, ...] = ()

    def groups(self) -> dict[str, list[PairResult]]:
        grouped: dict[str, list[PairResult]] = {}
        for p in self.pairs:
            grouped.setdefault(p.group or "all", []).append(p)
        return grouped

    def to_dict(self, details: bool = True) -> dict[str, object]:
        return {
            "schema": SCHEMA_VERSION,
            "selection": {"threshold": self.selection.threshold, "safety": self.selection.safety.value},
            "wordlists": list(self.wordlists),
            "pairs": [p.to_dict(details) for p in self.pairs],
            "totals": {g: totals(ps) for g, ps in self.groups().items()},
            "clean": {"texts": [c.to_dict(details) for c in self.clean], **clean_totals(self.clean)},
            "calibration": [
                {"low": b.low, "high": b.high, "edits": b.edits, "right": b.right, "share": _ratio(b.right, b.edits)}
                for b in calibration(self.pairs, self.clean)
            ],
        }


# ---------------------------------------------------------------- files


def load_split(path: str | Path) -> dict[str, tuple[str, ...]]:
    """The named groups of a split file: `tune = [...]`, `report = [...]`, `contrast = [...]`."""
    p = Path(path)
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"{p}: cannot read the split file ({exc.strerror or exc})") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"{p}: not a valid split file ({exc})") from None
    groups: dict[str, tuple[str, ...]] = {}
    for key, value in data.items():
        if key == "family":  # which spinner family each pair is (repair.tools.pairs.describe_pairs)
            continue
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise InputError(f"{p}: {key} must be a list of pair names")
        groups[key] = tuple(value)
    return groups


def shipped_families() -> dict[str, str]:
    """Pair name -> spinner family, for the pairs whose NAME.url does not say (the split file's [family])."""
    data = tomllib.loads(split_file().read_text(encoding="utf-8")).get("family", {})
    return {name: family for family, names in data.items() for name in names}


def split_file() -> Path:
    """The split of the development pairs into tune / report / contrast, as shipped."""
    return wordlist_dir() / SPLIT_NAME


def pairs_folder(folder: str | Path) -> dict[str, tuple[Path, Path]]:
    """The pairs of a folder (or of its raw/, as the development material keeps them); InputError if none."""
    root = Path(folder)
    if not root.is_dir():
        raise InputError(f"{root}: no such folder")
    for candidate in (root, root / "raw"):
        pairs = find_pairs(candidate)
        if pairs:
            return pairs
    raise InputError(f"{root}: no NAME{SPUN_SUFFIX} / NAME{ORIG_SUFFIX} pairs found")


def choose_pairs(
    available: dict[str, tuple[Path, Path]], split: str, groups: dict[str, tuple[str, ...]] | None, split_path: str
) -> list[tuple[str, str, Path, Path]]:
    """(name, group, spun path, original path) for the requested split, in split order."""
    group_of = {n: g for g, names in (groups or {}).items() for n in names}
    if split == "all":
        order = {g: k for k, g in enumerate(groups or {})}
        chosen = [(n, group_of.get(n, "other" if groups else ""), s, o) for n, (s, o) in available.items()]
        return sorted(chosen, key=lambda c: (order.get(c[1], len(order)), c[0]))
    if groups is None or split not in groups:
        raise InputError(f"{split_path}: has no {split!r} split")
    missing = [n for n in groups[split] if n not in available]
    if missing:
        raise InputError(f"{split_path}: pair {missing[0]!r} of split {split!r} is not in the pairs folder")
    return [(n, split, *available[n]) for n in groups[split]]


@dataclass(frozen=True, slots=True)
class Request:
    """What `repair eval` measures: a pair, a folder of pairs (by split), clean texts."""

    spun: str | None = None  # a spun text ...
    original: str | None = None  # ... and its original
    clean: tuple[str, ...] = ()  # unspun texts: every edit is a false fix
    pairs: str | None = None  # a folder of NAME.spun.txt / NAME.orig.txt pairs
    split: str = "all"  # which pairs of `pairs`: a group of the split file, or all
    split_file: str | None = None  # default: the shipped split (`split_file()`)
    encoding: str | None = None

    def check(self) -> None:
        """Usage problems, found before the (slow) engine is built; InputError."""
        if (self.spun is None) != (self.original is None):
            raise InputError("--spun and --original go together")
        if self.spun is None and self.pairs is None and not self.clean:
            raise InputError("nothing to evaluate: give --spun and --original, --pairs DIR, or --clean FILE")


def evaluate(request: Request, engine: Engine, selection: Selection) -> Report:
    """Run the batch fixer over what `request` names and judge it."""
    request.check()

    def read(path: str) -> str:
        return read_document(path, request.encoding).text

    pairs: list[PairResult] = []
    clean: list[CleanResult] = []
    if request.spun is not None and request.original is not None:
        spun_name = Path(request.spun).name
        pairs.append(evaluate_pair(spun_name, read(request.spun), read(request.original), engine, selection))
    if request.pairs is not None:
        available = pairs_folder(request.pairs)
        split_path = request.split_file or str(split_file())
        groups = None
        if request.split_file or Path(split_path).is_file():
            groups = load_split(split_path)
        elif request.split != "all":
            raise InputError(f"--split {request.split} needs a split file: pass --split-file FILE")
        seen: set[str] = set()
        for name, group, spun_path, orig_path in choose_pairs(available, request.split, groups, split_path):
            original = read(str(orig_path))
            pairs.append(evaluate_pair(name, read(str(spun_path)), original, engine, selection, group=group))
            # Several spins may share one original: count each clean text once.
            if original not in seen:
                seen.add(original)
                clean.append(evaluate_clean(f"{name}{ORIG_SUFFIX}", original, engine, selection))
    for path in request.clean:
        clean.append(evaluate_clean(Path(path).name, read(path), engine, selection))
    names = tuple(wl.name for wl in engine.wordlists)
    return Report(selection, names, tuple(pairs), tuple(clean))
