"""Saved review decisions as evidence: a patch for the shipped lists and an ignore list (`repair learn --decisions`).

Reviewers' own replacements become originals of the rule's entry, or new entries;
rules reviewers only ever reject become an ignore list; auto entries often
rejected become choices. Pure functions of the decisions and the lists' texts.
"""

from __future__ import annotations

import difflib
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from repair.core.model import Entry, Safety
from repair.core.text import phrase_key
from repair.core.wordlists import format_entry, parse, parse_line, sort_key
from repair.edge.decisions import Action, Decision
from repair.tools.learn import merge_into


@dataclass(frozen=True)
class DecisionProposal:
    """What saved review decisions suggest."""

    patch: str  # a unified diff against the shipped lists ("" when nothing changes)
    ignore: tuple[str, ...]  # rule ids reviewers only ever rejected
    additions: tuple[Entry, ...]  # new entries from reviewers' own replacements
    changes: tuple[tuple[Entry, Entry], ...]  # (before, after) for existing entries
    notes: tuple[str, ...] = field(default=())


@dataclass
class _RuleVotes:
    accepts: int = 0
    rejects: int = 0
    edits: Counter[str] = field(default_factory=Counter)
    spun: Counter[str] = field(default_factory=Counter)


def tally(decision_files: Iterable[Iterable[Decision]]) -> dict[str, _RuleVotes]:
    """Votes per rule id (decisions without a rule are keyed ":spun phrase")."""
    votes: dict[str, _RuleVotes] = defaultdict(_RuleVotes)
    for decisions in decision_files:
        for d in decisions:
            spun = " ".join(phrase_key(d.spun))
            v = votes[d.rule or f":{spun}"]
            v.spun[spun] += 1
            if d.action is Action.ACCEPT:
                v.accepts += 1
            elif d.action is Action.REJECT:
                v.rejects += 1
            else:
                v.edits[d.replacement.strip()] += 1
    return dict(votes)


def propose_from_decisions(
    votes: Mapping[str, _RuleVotes],
    lists: Mapping[str, tuple[str, str]],
    *,
    default_list: str = "news",
    min_rejects: int = 2,
) -> DecisionProposal:
    """A patch for the shipped lists and an ignore list from tallied decisions.

    `lists` maps a shipped list name to (path shown in the patch, current text).
    * a reviewer's own replacement becomes an original of the rule's entry (first
      when typed more often than the entry was accepted), or a new entry in
      `default_list` when the phrase has no entry in a shipped list;
    * a rule only ever rejected, at least `min_rejects` times, goes to the ignore list;
    * an auto entry rejected at least as often as accepted becomes a choice.
    """
    parsed = {name: parse(text, name=name, path=path) for name, (path, text) in lists.items()}
    by_rule = {e.rule_id: e for wl in parsed.values() for e in wl.entries}
    ignore: list[str] = []
    changed: dict[str, dict[tuple[str, str], Entry]] = defaultdict(dict)
    additions: list[Entry] = []
    changes: list[tuple[Entry, Entry]] = []
    notes: list[str] = []
    for rule, v in sorted(votes.items()):
        entry = by_rule.get(rule)
        if v.edits:
            typed = tuple(r for r, _ in v.edits.most_common())
            if entry is not None:
                known = {" ".join(phrase_key(o)) for o in entry.originals}
                new = tuple(r for r in typed if " ".join(phrase_key(r)) not in known)
                if new:
                    lead = sum(v.edits.values()) > v.accepts
                    originals = (*new, *entry.originals) if lead else (*entry.originals, *new)
                    after = replace(entry, originals=originals, safety=_least(entry.safety, Safety.CHOOSE))
                    changed[entry.source][sort_key(entry)] = after
                    changes.append((entry, after))
            else:
                spun = v.spun.most_common(1)[0][0]
                if spun and all(" ".join(phrase_key(r)) != spun for r in typed):
                    added = Entry(
                        spun=spun,
                        originals=typed,
                        safety=Safety.CHOOSE if len(typed) > 1 else Safety.AUTO,
                        ambiguous=True,
                        count=sum(v.edits.values()),
                        reason="a reviewer's replacement",
                        source=default_list,
                    )
                    additions.append(added)
        elif v.rejects >= min_rejects and v.accepts == 0:
            ignore.append(rule)
        elif (
            entry is not None
            and entry.safety is Safety.AUTO
            and v.rejects >= max(v.accepts, 1)
            and (v.accepts or v.rejects >= min_rejects)
        ):
            after = replace(entry, safety=Safety.CHOOSE, reason=entry.reason or "reviewers often reject it")
            changed[entry.source][sort_key(entry)] = after
            changes.append((entry, after))
        if entry is None and rule.partition(":")[0] not in ("", *lists):
            notes.append(f"{rule}: not in a shipped list; its decisions were used for new entries only")
    patch = []
    for name, (path, text) in sorted(lists.items()):
        new_text = _apply_changes(text, changed.get(name, {}), [a for a in additions if a.source == name], name)
        if new_text != text:
            patch.extend(
                difflib.unified_diff(
                    text.splitlines(keepends=True), new_text.splitlines(keepends=True), f"a/{path}", f"b/{path}"
                )
            )
    return DecisionProposal("".join(patch), tuple(sorted(set(ignore))), tuple(additions), tuple(changes), tuple(notes))


def _least(a: Safety, b: Safety) -> Safety:
    return a if a.rank >= b.rank else b


def _apply_changes(text: str, changed: Mapping[tuple[str, str], Entry], added: Sequence[Entry], name: str) -> str:
    lines = text.splitlines()
    out = []
    for number, line in enumerate(lines, 1):
        entry = parse_line(line, source=name, lineno=number)
        if entry is not None and sort_key(entry) in changed:
            out.append(format_entry(changed[sort_key(entry)]))
        else:
            out.append(line)
    body = "\n".join(out) + ("\n" if out else "")
    return merge_into(body, added, name=name).text if added else body
