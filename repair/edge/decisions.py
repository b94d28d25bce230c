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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from repair.core.model import Edit, Finding
from repair.edge.documents import InputError, atomic_write_text

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
        except (ValueError, KeyError, TypeError) as exc:
            if last_torn:
                result.torn = True
                break
            raise InputError(f"{path}:{number}: not a valid decisions line ({exc})") from None
    return result


def load(path: str | Path) -> DecisionFile:
    """The decisions saved at `path`; an empty set when the file does not exist."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        return DecisionFile()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read decisions ({exc})") from None
    return parse(text, str(path))


def save(path: str | Path, decisions: DecisionFile) -> None:
    """Write the compact form atomically; with no decisions the file is removed."""
    p = Path(path)
    if not decisions.decisions:
        with contextlib.suppress(FileNotFoundError):
            p.unlink()
        return
    p.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(p, decisions.render())


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


class DecisionStore:
    """The decisions file of one document while it is being reviewed.

    `record` and `clear` append one line each and fsync before returning; `compact`
    rewrites the file sorted, atomically. With path=None nothing is written (tests, dry runs).
    """

    def __init__(self, path: Path | None, document: str = "", sha256: str = "") -> None:
        self.path = path
        self.file = load(path) if path is not None else DecisionFile()
        self.file.document = document or self.file.document
        self.file.sha256 = sha256 or self.file.sha256
        self._fd: int | None = None
        if path is not None and path.exists():
            self.compact()  # drop a torn line and fold in the journal of an interrupted review

    @property
    def decisions(self) -> dict[Slot, Decision]:
        return self.file.decisions

    def record(self, decisions: Iterable[Decision]) -> None:
        batch = list(decisions)
        for decision in batch:
            self.file.decisions[decision.slot] = decision
        self._append("".join(d.to_line() for d in batch))

    def clear(self, cleared: Iterable[Slot]) -> None:
        lines = []
        for key, n in cleared:
            self.file.decisions.pop((key, n), None)
            lines.append(json.dumps({"action": "clear", "key": key, "n": n}, sort_keys=True) + "\n")
        self._append("".join(lines))

    def _append(self, data: str) -> None:
        if self.path is None or not data:
            return
        if self._fd is None:
            if not self.path.exists():
                self.compact()  # a new file starts in compact form, these decisions included
                return
            self._fd = self._open()
        try:
            os.write(self._fd, data.encode("utf-8"))
            os.fsync(self._fd)
        except OSError as exc:
            raise InputError(f"{self.path}: cannot save decisions ({exc.strerror or exc})") from None

    def _open(self) -> int:
        assert self.path is not None
        try:
            return os.open(self.path, os.O_WRONLY | os.O_APPEND)
        except OSError as exc:
            raise InputError(f"{self.path}: cannot save decisions ({exc.strerror or exc})") from None

    def compact(self) -> None:
        """Rewrite the file in its sorted compact form (atomically)."""
        self.close()
        if self.path is None:
            return
        try:
            save(self.path, self.file)
        except OSError as exc:
            raise InputError(f"{self.path}: cannot save decisions ({exc.strerror or exc})") from None

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
