"""Locate, parse, validate and write reversal wordlists.

The format (one entry a line; `#` starts a comment line; blank lines are ignored):

    spun phrase -> original[, other original ...][ ; option ...]

Options, separated by ` ; `:

    auto | choose | flag     safety class (default auto)
    evidence                 the spun side is ordinary English: fix only on evidence
    noinflect                do not generate inflected variants
    pos=noun|verb|noun+verb  which inflections to generate (default: what both sides allow)
    before=w,...  after=w,...            the neighbouring token is one of these
    near=w,...  window=N                 one of these within N tokens (default 6)
    doc=phrase,...                       one of these phrases occurs in the document
    not-before= not-after= not-near= not-doc=   vetoes (on an `evidence` entry a fired
                                                veto asks for strong evidence instead)
    reason="..."  count=N  example="..."  free text, counts and an example
    kept=N  stories=N  mined=N           learned lists: see repair/tools/learn.py

Example lines:

    squaddie -> soldier
    would possibly -> may
    fingers -> arms ; evidence ; after=deliveries,sales,supplies
    counterfeit consciousness -> artificial intelligence ; doc=machine learning
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from repair.core.model import Condition, Entry, Safety
from repair.core.text import phrase_key

CONDITION_KINDS = ("before", "after", "near", "doc")
_ALL_CONDITION_KINDS = CONDITION_KINDS + tuple(f"not-{k}" for k in CONDITION_KINDS)
POS_VALUES = ("noun", "verb", "noun+verb", "none")
DEFAULT_LISTS = ("news", "spinner")
USER_LIST_NAME = "user"  # the reviewer's own replacements (`repair review`): its suggestions come first
TORTURED_PHRASES = "tortured-phrases"  # the kind of list `repair check` scores for risk
_KIND_RE = re.compile(r"#\s*kind:\s*([\w-]+)\s*$", re.IGNORECASE)


class WordlistError(ValueError):
    """A wordlist line that cannot be parsed; str() names file and line."""

    def __init__(self, path: str, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path, self.line, self.message = path, line, message


@dataclass(frozen=True)
class Wordlist:
    """A parsed wordlist: immutable once loaded."""

    name: str
    entries: tuple[Entry, ...]
    path: str = ""
    kind: str = ""  # declared by a "# kind: NAME" comment line, e.g. "tortured-phrases"


def wordlist_dir() -> Path:
    """The folder of shipped wordlists: inside the installed package, or the source tree."""
    package = Path(__file__).resolve().parent.parent  # repair/ (the wheel puts the folder there)
    for candidate in (package / "wordlists", package.parent / "wordlists"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("the shipped wordlists folder is missing from this installation")


def shipped_names() -> list[str]:
    return sorted(p.stem for p in wordlist_dir().glob("*.txt"))


def _split_options(text: str) -> list[str]:
    """Split on ';' outside double quotes."""
    if '"' not in text:  # nearly every line: nothing is quoted
        return [part.strip() for part in text.split(";")]
    parts, buf, quoted, escaped = [], [], False, False
    for ch in text:
        if escaped:
            buf.append(ch)
            escaped = False
        elif ch == "\\" and quoted:
            buf.append(ch)
            escaped = True
        elif ch == '"':
            quoted = not quoted
            buf.append(ch)
        elif ch == ";" and not quoted:
            parts.append("".join(buf).strip())
            buf = []
        else:
            buf.append(ch)
    if quoted:
        raise ValueError("unclosed quote")
    parts.append("".join(buf).strip())
    return parts


def _whole_number(value: str) -> bool:
    """ASCII digits only: `str.isdigit` also takes "²" and "٣", which `int` then refuses or reads."""
    value = value.strip()
    return value.isascii() and value.isdigit()


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return re.sub(r"\\(.)", r"\1", value[1:-1])
    return value


def _quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _words(value: str) -> tuple[str, ...]:
    return tuple(" ".join(key) for key in map(phrase_key, value.split(",")) if key)


def parse_line(line: str, *, source: str = "", path: str = "", lineno: int = 0) -> Entry | None:
    """Parse one line; None for blank and comment lines."""
    stripped = line.strip()
    if not stripped or stripped.startswith("#"):
        return None

    def fail(message: str) -> WordlistError:
        return WordlistError(path or source or "<wordlist>", lineno, message)

    if "->" not in stripped:
        raise fail("expected 'spun -> original'")
    spun_text, _, rest = stripped.partition("->")
    try:
        fields = _split_options(rest)
    except ValueError as exc:
        raise fail(str(exc)) from None
    spun_tokens = phrase_key(spun_text)
    if not spun_tokens:
        raise fail(f"spun side {spun_text.strip()!r} has no words the tokenizer can match")
    originals = tuple(o.strip() for o in fields[0].split(",") if o.strip())
    safety, ambiguous, inflect, pos = Safety.AUTO, False, True, ""
    conditions: list[Condition] = []
    window = 6
    reason = example = ""
    counts = {"count": 0, "kept": 0, "stories": 0, "mined": 0}
    for option in fields[1:]:
        if not option:
            continue
        key, eq, value = option.partition("=")
        key = key.strip().lower()
        if not eq:
            if key in ("auto", "choose", "flag"):
                safety = Safety(key)
            elif key == "evidence":
                ambiguous = True
            elif key == "noinflect":
                inflect = False
            else:
                raise fail(f"unknown option {key!r}")
        elif key in _ALL_CONDITION_KINDS:
            words = _words(_unquote(value))
            if not words:
                raise fail(f"condition {key} lists no words")
            conditions.append(Condition(key, words))
        elif key == "window":
            if not _whole_number(value) or not 1 <= int(value) <= 50:
                raise fail("window must be a whole number from 1 to 50")
            window = int(value)
        elif key == "pos":
            pos = value.strip().lower()
            if pos not in POS_VALUES:
                raise fail(f"pos must be one of {', '.join(POS_VALUES)}")
        elif key == "reason":
            reason = _unquote(value)
        elif key == "example":
            example = _unquote(value)
        elif key in counts:
            if not _whole_number(value):
                raise fail(f"{key} must be a whole number")
            counts[key] = int(value)
        else:
            raise fail(f"unknown option {key!r}")
    if not originals and safety is not Safety.FLAG:
        raise fail("no original given (only 'flag' entries may omit it)")
    if window != 6:
        conditions = [replace(c, window=window) if c.base_kind == "near" else c for c in conditions]
    if pos == "none":
        inflect = False
    entry = Entry(
        spun=" ".join(spun_tokens),
        originals=originals,
        safety=safety,
        ambiguous=ambiguous,
        conditions=tuple(conditions),
        reason=reason,
        inflect=inflect,
        count=counts["count"],
        kept=counts["kept"],
        stories=counts["stories"],
        mined=counts["mined"],
        example=example,
        pos="" if pos == "none" else pos,
        source=source,
        line=lineno,
    )
    return entry


def parse(text: str, *, name: str, path: str = "") -> Wordlist:
    entries = []
    kind = ""
    for lineno, line in enumerate(text.splitlines(), 1):
        entry = parse_line(line, source=name, path=path, lineno=lineno)
        if entry is not None:
            entries.append(entry)
        elif not kind and (m := _KIND_RE.match(line)):
            kind = m.group(1).lower()
    return Wordlist(name=name, entries=tuple(entries), path=path, kind=kind)


def load_path(path: str | Path, name: str | None = None) -> Wordlist:
    """Load a wordlist file; raises OSError, UnicodeDecodeError or WordlistError."""
    p = Path(path)
    text = p.read_text(encoding="utf-8-sig")
    return parse(text, name=name or p.stem, path=str(p))


def load_shipped(names: Iterable[str] = DEFAULT_LISTS) -> list[Wordlist]:
    """The shipped lists, each parsed once and then read back from the user's cache (`repair.core.cache`).

    Parsing the ~4,000 shipped lines is a sixth of a small check's start-up; the cache
    keeps each list's entries as plain values under the hash of the list's bytes and of
    the code that parses them (this module and `repair.core.model`), so it cannot go stale.
    """
    folder = wordlist_dir()
    return [_load_shipped(folder / f"{n}.txt", n) for n in names]


def _load_shipped(path: Path, name: str) -> Wordlist:
    from repair.core import model
    from repair.core.cache import cached, content_key

    data = path.read_bytes()
    try:
        key = content_key([data, name, Path(__file__), Path(model.__file__), "entries-1"])
    except OSError:  # the code is not readable as files (a zip): parse as before
        return parse(data.decode("utf-8-sig"), name=name, path=str(path))

    def make() -> tuple[str, tuple[tuple[object, ...], ...]]:
        parsed = parse(data.decode("utf-8-sig"), name=name, path=str(path))
        return parsed.kind, tuple(_entry_values(e) for e in parsed.entries)

    kind, rows = cached("wordlist", key, make)
    return Wordlist(name=name, entries=tuple(map(_entry_of, rows)), path=str(path), kind=kind)


def _entry_values(entry: Entry) -> tuple[object, ...]:
    """An entry as plain values (what `marshal` keeps), in `_entry_of`'s order."""
    conditions = tuple((c.kind, c.words, c.window) for c in entry.conditions)
    return (
        entry.spun,
        entry.originals,
        entry.safety.value,
        entry.ambiguous,
        conditions,
        entry.reason,
        entry.inflect,
        entry.pos,
        entry.count,
        entry.kept,
        entry.stories,
        entry.mined,
        entry.example,
        entry.source,
        entry.line,
    )


def _entry_of(row: tuple[object, ...]) -> Entry:
    """`_entry_values` undone (positional, in `Entry`'s field order: ~4,000 of these at every start)."""
    spun, originals, safety, ambiguous, conditions, *rest = row
    made = tuple(Condition(*c) for c in conditions) if conditions else ()  # type: ignore[attr-defined]
    return Entry(spun, originals, _SAFETY[safety], ambiguous, made, *rest)  # type: ignore[arg-type]


_SAFETY = {s.value: s for s in Safety}


def resolve(specs: Sequence[str]) -> list[Wordlist]:
    """Each spec is a shipped list name ("news") or a path to a wordlist file."""
    lists = []
    for spec in specs:
        if spec in shipped_names():
            lists.extend(load_shipped([spec]))
        else:
            lists.append(load_path(spec))
    return lists


def ignore_key(phrase: str) -> str:
    """How an ignore-list line is compared: rule ids (`news:squaddie`) as written, phrases normalised."""
    name, colon, spun = phrase.strip().partition(":")
    if colon and name and " " not in name:
        return f"{name}:{' '.join(phrase_key(spun))}"
    return " ".join(phrase_key(phrase))


def format_entry(entry: Entry) -> str:
    """The canonical line for an entry (round-trips through parse_line)."""
    parts = [f"{entry.spun} -> {', '.join(entry.originals)}".rstrip()]
    if entry.safety is not Safety.AUTO:
        parts.append(entry.safety.value)
    if entry.ambiguous:
        parts.append("evidence")
    if not entry.inflect:
        parts.append("noinflect")
    if entry.pos:
        parts.append(f"pos={entry.pos}")
    window = 6
    for cond in entry.conditions:
        parts.append(f"{cond.kind}={','.join(cond.words)}")
        if cond.base_kind == "near":
            window = cond.window
    if window != 6:
        parts.append(f"window={window}")
    if entry.reason:
        parts.append(f"reason={_quote(entry.reason)}")
    if entry.count:
        parts.append(f"count={entry.count}")
    if entry.kept:
        parts.append(f"kept={entry.kept}")
    if entry.stories:
        parts.append(f"stories={entry.stories}")
    if entry.mined:
        parts.append(f"mined={entry.mined}")
    if entry.example:
        parts.append(f"example={_quote(entry.example)}")
    return " ; ".join(parts)


def sort_key(entry: Entry) -> tuple[str, str]:
    """Which entry this is: its spun side and conditions (a list is sorted by it)."""
    return (entry.spun, ",".join(f"{c.kind}={c.words}" for c in entry.conditions))


def line_key(entry: Entry) -> tuple[str, str, str]:
    """A line's place in a sorted list: `sort_key`, then the originals (a learned list has a line per original)."""
    return (*sort_key(entry), ",".join(entry.originals))


# ---------------------------------------------------------------- linting


@dataclass(frozen=True, slots=True)
class Problem:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


def lint(wordlist: Wordlist, others: Sequence[Wordlist] = ()) -> list[Problem]:
    """Sorted, no duplicates, no fix that is itself a spun phrase, every key matchable."""
    problems: list[Problem] = []
    path = wordlist.path or wordlist.name
    previous: Entry | None = None
    seen: dict[tuple[str, str, str], int] = {}
    # Learned lines (with counts) are evidence the scorer weighs, so a fix that another list learned as a spun
    # phrase is no chain of certain fixes; the check is for curated entries.
    spun_keys = {e.spun for wl in (wordlist, *others) for e in wl.entries if not e.conditions and not e.count}
    for entry in wordlist.entries:
        key = line_key(entry)
        if previous is not None and key < line_key(previous):
            problems.append(Problem(path, entry.line, f"not sorted: {entry.spun!r} after {previous.spun!r}"))
        if key in seen:
            problems.append(Problem(path, entry.line, f"duplicate of line {seen[key]}: {entry.spun!r}"))
        seen.setdefault(key, entry.line)
        previous = entry
        for original in entry.originals:
            okey = " ".join(phrase_key(original))
            if not okey:
                problems.append(Problem(path, entry.line, f"original {original!r} has no words"))
            elif okey == entry.spun:
                problems.append(Problem(path, entry.line, f"fix {original!r} is the spun phrase itself"))
            elif okey in spun_keys and not entry.ambiguous and not entry.count:
                problems.append(Problem(path, entry.line, f"fix {original!r} is itself listed as a spun phrase"))
            if "," in original:
                problems.append(Problem(path, entry.line, f"original {original!r} contains a comma"))
        if entry.example and entry.spun not in " ".join(phrase_key(entry.example)):
            problems.append(Problem(path, entry.line, "example does not contain the spun phrase"))
    return problems


def render(entries: Iterable[Entry], header: str = "") -> str:
    lines = [header.rstrip("\n")] if header else []
    lines.extend(format_entry(entry) for entry in sorted(entries, key=line_key))
    return "\n".join(lines) + "\n"


def iter_entries(wordlists: Iterable[Wordlist]) -> Iterator[tuple[Wordlist, Entry]]:
    for wl in wordlists:
        for entry in wl.entries:
            yield wl, entry
