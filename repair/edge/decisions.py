"""Saved review decisions: a small, sorted, diffable JSON Lines file keyed by content.

A decision is tied to a finding by `Finding.key` (rule, spun text and a little context
either side: never a line number) plus `n`, the occurrence of that key in document
order, which only matters when the very same phrase sits in the very same context
twice. Edits elsewhere in the document therefore leave saved decisions applicable.

The file (UTF-8, one JSON object a line, keys sorted within each object):

    {"document": "article.txt", "format": "repair-decisions", "sha256": "…", "version": 1}
    {"action": "accept", "key": "5c0f…", "n": 1, "replacement": "soldiers", "rule": "news:squaddie",
     "spun": "squaddies", "time": "2025-07-24T10:00:00Z"}
    …

In its compact form the decision lines are sorted by (key, n), one per finding, so the
file diffs well and can be committed. While a review runs, each decision is appended
as one line and fsynced (and `{"action": "clear", ...}` records an undo), so a killed
process loses at most the line being written; a torn last line is ignored on load.
The file is rewritten in compact form atomically when a review opens and closes.

A decision once recorded is never dropped. One review at a time holds a document's
decisions (`DecisionLock`, an advisory lock the kernel releases when its process dies,
so a killed review leaves no stale lock). Someone else may still replace or remove the
file while a review runs (a `git checkout`): the store notices before and after each
write that the file is not the one it wrote, reads what is there now, replays every
decision of this review over it, and writes the result.

Where it lives (`path_for`): beside the document as `.NAME.repair-decisions.jsonl`
(default), or under the user data folder as `decisions/<hash of the absolute path>-NAME.jsonl`.
"""

from __future__ import annotations

import contextlib
import enum
import hashlib
import json
import os
import time

try:
    import fcntl
except ImportError:  # not POSIX: reviews are not locked
    fcntl = None  # type: ignore[assignment]
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from repair.core.model import Edit, Finding
from repair.edge.documents import MAX_BYTES, InputError, atomic_write_text, read_limited

FORMAT = "repair-decisions"
VERSION = 1
SUFFIX = ".repair-decisions.jsonl"

Slot = tuple[str, int]  # (Finding.key, occurrence of that key in document order, from 1)
Where = Literal["beside", "user"]


class Action(enum.Enum):
    ACCEPT = "accept"  # take `replacement`, one of the finding's suggestions
    REJECT = "reject"  # leave the spun text as it is
    EDIT = "edit"  # take `replacement`, typed by the reviewer


@dataclass(frozen=True, slots=True)
class Decision:
    key: str
    n: int
    action: Action
    spun: str
    replacement: str = ""
    rule: str = ""
    time: str = ""

    @property
    def slot(self) -> Slot:
        return (self.key, self.n)

    @property
    def changes_text(self) -> bool:
        return self.action is not Action.REJECT

    def to_dict(self) -> dict[str, object]:
        return {
            "action": self.action.value,
            "key": self.key,
            "n": self.n,
            "replacement": self.replacement,
            "rule": self.rule,
            "spun": self.spun,
            "time": self.time,
        }

    def to_line(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True) + "\n"

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Decision:
        key, n, spun = data["key"], data["n"], data["spun"]
        if not isinstance(key, str) or not isinstance(n, int) or n < 1 or not isinstance(spun, str):
            raise ValueError("bad key, n or spun")
        action = Action(data["action"])
        replacement = data.get("replacement", "")
        if not isinstance(replacement, str) or (action is not Action.REJECT and not replacement):
            raise ValueError("accept and edit need a replacement")
        return cls(key, n, action, spun, replacement, str(data.get("rule", "")), str(data.get("time", "")))


def now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def decide(finding: Finding, n: int, action: Action, replacement: str = "", at: str | None = None) -> Decision:
    return Decision(finding.key, n, action, finding.spun, replacement, finding.rule, now() if at is None else at)


def slots(findings: Sequence[Finding]) -> list[Slot]:
    """Each finding's slot: its key and which occurrence of that key it is."""
    seen: dict[str, int] = {}
    result = []
    for finding in findings:
        key = finding.key
        seen[key] = seen.get(key, 0) + 1
        result.append((key, seen[key]))
    return result


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# ------------------------------------------------------------------ the file


@dataclass
class DecisionFile:
    """The decisions for one document, by slot."""

    document: str = ""
    sha256: str = ""
    decisions: dict[Slot, Decision] = field(default_factory=dict)
    torn: bool = False  # the last line was cut short (a killed writer) and was dropped

    def header(self) -> str:
        data = {"document": self.document, "format": FORMAT, "sha256": self.sha256, "version": VERSION}
        return json.dumps(data, ensure_ascii=False, sort_keys=True) + "\n"

    def render(self) -> str:
        """The compact form: the header, then one decision a line sorted by slot."""
        return self.header() + "".join(self.decisions[slot].to_line() for slot in sorted(self.decisions))


def parse(text: str, path: str = "<decisions>") -> DecisionFile:
    """Read a decisions file; later lines override earlier ones for the same slot.

    A last line without its newline that does not parse is a torn append and is
    dropped; any other bad line is an error (InputError naming the file and line).
    """
    lines = text.split("\n")
    complete = text.endswith("\n")
    if complete:
        lines.pop()
    result = DecisionFile()
    for number, line in enumerate(lines, 1):
        last_torn = number == len(lines) and not complete
        try:
            data = json.loads(line)
            if not isinstance(data, dict):
                raise ValueError("not an object")
            if number == 1:
                if data.get("format") != FORMAT:
                    raise ValueError(f"not a {FORMAT} file")
                if data.get("version") != VERSION:
                    raise ValueError(f"version {data.get('version')!r} is not supported (expected {VERSION})")
                result.document, result.sha256 = str(data.get("document", "")), str(data.get("sha256", ""))
            elif data.get("action") == "clear":
                slot = (data["key"], data["n"])
                result.decisions.pop(slot, None)
            else:
                decision = Decision.from_dict(data)
                result.decisions[decision.slot] = decision
        except (ValueError, KeyError, TypeError, RecursionError) as exc:
            if isinstance(exc, RecursionError):
                exc = ValueError("nested too deeply")
            if last_torn:
                result.torn = True
                break
            raise InputError(f"{path}:{number}: not a valid decisions line ({exc})") from None
    return result


def load(path: str | Path) -> DecisionFile:
    """The decisions saved at `path`; an empty set when the file does not exist."""
    if not os.path.lexists(path):
        return DecisionFile()
    try:
        text = read_limited(path, MAX_BYTES, "decisions file").decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: decisions file is not valid UTF-8 text at byte {exc.start}") from None
    return parse(text, str(path))


def save(path: str | Path, decisions: DecisionFile, mode: int | None = None) -> None:
    """Write the compact form atomically (with permission bits `mode`); with no decisions the file is removed."""
    p = Path(path)
    if not decisions.decisions:
        with contextlib.suppress(FileNotFoundError):
            p.unlink()
        return
    p.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(p, decisions.render(), mode=mode)


def path_for(document: str | Path, where: Where = "beside", home: Path | None = None) -> Path:
    """Where the decisions for `document` live (see the module docstring)."""
    doc = Path(document)
    if where == "beside":
        return doc.parent / f".{doc.name}{SUFFIX}"
    if home is None:
        raise ValueError("the user data folder is needed for where='user'")
    digest = hashlib.sha256(str(doc.resolve()).encode("utf-8")).hexdigest()[:16]
    return home / "decisions" / f"{digest}-{doc.name}.jsonl"


# ------------------------------------------------------------------ applying


def match(findings: Sequence[Finding], decisions: Mapping[Slot, Decision]) -> dict[int, Decision]:
    """Finding index -> its saved decision, for decisions whose spun text still matches."""
    found: dict[int, Decision] = {}
    if not decisions:
        return found
    for index, slot in enumerate(slots(findings)):
        decision = decisions.get(slot)
        if decision is not None and decision.spun == findings[index].spun:
            found[index] = decision
    return found


def decisions_to_edits(
    text: str, findings: Sequence[Finding], decisions: DecisionFile | Mapping[Slot, Decision]
) -> list[Edit]:
    """The edits that saved accept/edit decisions make to `text` (as scanned into `findings`).

    Rejected and undecided findings give no edit; decisions matching no finding are
    skipped (see `unmatched`). `apply_edits` still refuses an edit whose span is stale.
    """
    table = decisions.decisions if isinstance(decisions, DecisionFile) else decisions
    edits = []
    for index, decision in sorted(match(findings, table).items()):
        if decision.changes_text:
            f = findings[index]
            edits.append(Edit(f.start, f.end, text[f.start : f.end], decision.replacement))
    return edits


def unmatched(findings: Sequence[Finding], decisions: DecisionFile | Mapping[Slot, Decision]) -> list[Decision]:
    """Saved decisions that no longer match a finding (the text or the wordlists changed)."""
    table = decisions.decisions if isinstance(decisions, DecisionFile) else decisions
    used = {d.slot for d in match(findings, table).values()}
    return [table[slot] for slot in sorted(table) if slot not in used]


# ------------------------------------------------------------------ the live store


Identity = tuple[int, int, int, int]  # device, inode, size, modification time: "the file as we left it"


def _identity(info: os.stat_result) -> Identity:
    return info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns


def _identity_at(path: Path) -> Identity | None:
    try:
        return _identity(os.stat(path))
    except FileNotFoundError:
        return None


class DecisionStore:
    """The decisions file of one document while it is being reviewed.

    `record` and `clear` append one line each and fsync before returning; `compact`
    rewrites the file sorted, atomically. Whatever this store has recorded is in the
    file when `record` returns, even if someone replaced the file meanwhile (see the
    module docstring). With path=None nothing is written (tests, dry runs).
    """

    def __init__(self, path: Path | None, document: str = "", sha256: str = "", mode: int | None = None) -> None:
        self.path = path
        self.mode = mode  # the new file's permission bits (the document's)
        self.file = load(path) if path is not None else DecisionFile()
        self.file.document = document or self.file.document
        self.file.sha256 = sha256 or self.file.sha256
        self._journal: list[tuple[Slot, Decision | None]] = []  # this review's decisions, in order (None: undone)
        self._written: Identity | None = None  # the file as this store last left it
        if path is not None and path.exists():
            self.compact()  # drop a torn line and fold in the journal of an interrupted review

    @property
    def decisions(self) -> dict[Slot, Decision]:
        return self.file.decisions

    def record(self, decisions: Iterable[Decision]) -> None:
        batch = list(decisions)
        for decision in batch:
            self.file.decisions[decision.slot] = decision
            self._journal.append((decision.slot, decision))
        self._append("".join(d.to_line() for d in batch))

    def clear(self, cleared: Iterable[Slot]) -> None:
        lines = []
        for key, n in cleared:
            self.file.decisions.pop((key, n), None)
            self._journal.append(((key, n), None))
            lines.append(json.dumps({"action": "clear", "key": key, "n": n}, sort_keys=True) + "\n")
        self._append("".join(lines))

    def _append(self, data: str) -> None:
        """Append to the file as this store left it; if it is not that file any more, merge instead."""
        if self.path is None or not data:
            return
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | getattr(os, "O_CLOEXEC", 0))
        except FileNotFoundError:
            self.compact()  # a new file starts in compact form (these decisions included); a removed one too
            return
        except OSError as exc:
            raise InputError(f"{self.path}: cannot save decisions ({exc.strerror or exc})") from None
        try:
            if _identity(os.fstat(fd)) != self._written:
                os.close(fd)
                fd = -1
                self.compact()  # replaced or changed by someone else: merged by compact
                return
            os.write(fd, data.encode("utf-8"))
            os.fsync(fd)
            self._written = _identity(os.fstat(fd))
        except OSError as exc:
            raise InputError(f"{self.path}: cannot save decisions ({exc.strerror or exc})") from None
        finally:
            if fd >= 0:
                os.close(fd)
        if _identity_at(self.path) != self._written:  # replaced while we wrote: the line went to the old file
            self.compact()

    def _merge(self) -> None:
        """What the file holds now, every decision this store holds over it; what this review undid stays undone."""
        assert self.path is not None
        cleared = {slot for slot, decision in dict(self._journal).items() if decision is None}
        merged = {slot: d for slot, d in load(self.path).decisions.items() if slot not in cleared}
        merged.update(self.file.decisions)
        self.file.decisions = merged

    def compact(self) -> None:
        """Rewrite the file in its sorted compact form (atomically), merging what someone else put there."""
        if self.path is None:
            return
        if _identity_at(self.path) != self._written:
            self._merge()
        try:
            save(self.path, self.file, self.mode)
        except OSError as exc:
            raise InputError(f"{self.path}: cannot save decisions ({exc.strerror or exc})") from None
        self._written = _identity_at(self.path)

    def close(self) -> None:
        """Nothing stays open between writes; kept so a review can say it is done."""


LOCK_SUFFIX = ".lock"


class DecisionLock:
    """One review at a time for a document: an advisory lock on `DECISIONS.lock` beside its decisions file.

    `flock` is released by the kernel when the holding process ends, however it ends,
    so a killed review never leaves a lock behind; the file holds the holder's pid for
    the message. Where the system has no `flock`, nothing is locked.
    """

    def __init__(self, decisions_path: Path) -> None:
        self.decisions_path = decisions_path
        self.path = decisions_path.with_name(decisions_path.name + LOCK_SUFFIX)
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock, or raise InputError (one line) naming who holds it."""
        if fcntl is None or self._fd is not None:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            for _ in range(10):
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    holder = os.read(fd, 32).decode("ascii", "replace").strip()
                    os.close(fd)
                    who = f"repair review (pid {holder})" if holder.isdigit() else "repair review"
                    raise InputError(
                        f"{self.decisions_path}: another {who} has this document open; finish that review first"
                    ) from None
                # A holder releasing it unlinks the file: make sure ours is the one at the path.
                if _identity_at(self.path) is not None and os.fstat(fd).st_ino == os.stat(self.path).st_ino:
                    os.ftruncate(fd, 0)
                    os.write(fd, f"{os.getpid()}\n".encode())
                    self._fd = fd
                    return
                os.close(fd)
        except OSError as exc:
            raise InputError(
                f"{self.path}: cannot lock the review's decisions ({exc.strerror or exc}); "
                "--decisions-in user keeps them in the user data folder"
            ) from None
        raise InputError(f"{self.path}: cannot lock the review's decisions (the lock file keeps changing)")

    def release(self) -> None:
        if self._fd is None:
            return
        with contextlib.suppress(OSError):
            os.unlink(self.path)
        os.close(self._fd)
        self._fd = None

    def __del__(self) -> None:  # a workspace dropped without close() must not keep its documents locked
        self.release()
