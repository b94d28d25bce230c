"""Applying a selection, and saved review decisions, to one scanned document."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from repair.core.engine import Selection, apply_edits, select
from repair.core.model import Edit, Finding
from repair.edge import decisions
from repair.edge.decisions import Decision, DecisionFile

SAFE = Selection()  # what a batch fix applies without a reviewer


@dataclass(frozen=True, slots=True)
class FixResult:
    """The outcome of applying a selection (and saved review decisions) to one document."""

    text: str
    applied: tuple[Finding, ...]
    remaining: tuple[Finding, ...] = ()  # left for a reviewer
    rejected: tuple[Finding, ...] = ()  # a reviewer decided to keep the text as it is
    decided: int = 0  # how many of `applied` a saved accept/edit decision made
    unmatched: tuple[Decision, ...] = ()  # saved decisions that match no finding any more


def apply_selection(text: str, findings: Sequence[Finding], selection: Selection = SAFE) -> FixResult:
    """Apply what `selection` accepts, by span; the rest stays for a reviewer."""
    applied = select(findings, selection)
    chosen = {id(f) for f in applied}
    new_text = apply_edits(text, (Edit.from_finding(f) for f in applied))
    return FixResult(new_text, tuple(applied), tuple(f for f in findings if id(f) not in chosen))


def apply_decisions(
    text: str, findings: Sequence[Finding], saved: DecisionFile, selection: Selection | None = SAFE
) -> FixResult:
    """Apply saved review decisions, then `selection` to the findings nobody decided.

    An accept or edit decision is applied whatever the finding's safety and confidence;
    a rejected finding is never applied; an undecided one is applied when `selection`
    accepts it (never when `selection` is None). Raises StaleEditError only if the
    findings were not scanned from `text`.
    """
    decided = decisions.match(findings, saved.decisions)
    undecided = [f for i, f in enumerate(findings) if i not in decided]
    chosen = select(undecided, selection) if selection is not None else []
    edits = decisions.decisions_to_edits(text, findings, saved)
    new_text = apply_edits(text, [*edits, *(Edit.from_finding(f) for f in chosen)])
    by_decision = [findings[i] for i in sorted(decided) if decided[i].changes_text]
    picked = {id(f) for f in chosen}
    return FixResult(
        text=new_text,
        applied=tuple(sorted([*by_decision, *chosen], key=lambda f: f.start)),
        remaining=tuple(f for f in undecided if id(f) not in picked),
        rejected=tuple(findings[i] for i in sorted(decided) if not decided[i].changes_text),
        decided=len(by_decision),
        unmatched=tuple(decisions.unmatched(findings, saved)),
    )


def backup_path(path: str | Path) -> Path:
    """Where `fix --in-place` keeps the original: NAME.EXT.bak beside it."""
    p = Path(path)
    return p.with_name(p.name + ".bak")
