"""What a person reads about a finding: the swap, what the lists say, the document, the spans around it, the LM."""

from __future__ import annotations

from repair.core.candidates import FEATURES
from repair.core.score import EVIDENCE, ScoredSpan

_F = {name: i for i, name in enumerate(FEATURES)}
_THESAURUS, _NEAR, _CERTAIN, _CHOOSE, _LISTED, _VETOED, _LEARNED = (
    _F[n] for n in ("thesaurus", "near", "certain", "choose", "listed", "vetoed", "learned")
)
_E = {name: i for i, name in enumerate(EVIDENCE)}


def explain(scored: ScoredSpan) -> str:
    """What a person reads: the swap, what the lists say of it, the document, the spans around it, the LM."""
    span = scored.span
    if not scored.order:
        variant = span.flag
        own = variant.reason if variant is not None else ""
        return f"'{span.spun}': shown, never applied" + (f"; {own}" if own else "")
    option = span.options[scored.order[0]]
    f = option.features
    # The evidence by name: by position where it is the scorer's own (it always is, and that is quicker).
    ev = scored.evidence.values if scored.evidence.names is EVIDENCE else [scored.evidence[n] for n in EVIDENCE]
    parts = [f"'{span.spun}' → '{option.original}'"]
    if f[_THESAURUS]:
        parts[0] += " (thesaurus candidate: no list has this word)"
    elif f[_NEAR]:
        parts[0] += " (near match of a listed phrase)"
    facts = []
    if f[_CERTAIN]:
        facts.append("listed as a spinner's swap")
    elif f[_CHOOSE]:
        facts.append("listed as a choice")
    elif f[_LISTED]:
        facts.append("listed as ordinary English: needs evidence")
    if f[_VETOED]:
        facts.append("in a context where the word is usually meant")
    if f[_LEARNED]:
        count, kept, stories = (int(ev[_E["count"]] or 0), int(ev[_E["kept"]] or 0), int(ev[_E["stories"]] or 0))
        facts.append(
            f"seen swapped {count} time{'s' * (count != 1)} in {stories} stor{'ies' if stories != 1 else 'y'}"
            f", left alone {kept} time{'s' * (kept != 1)}"
        )
    if option.seen:
        facts.append("seen swapped in these very words (the list's example)")
    if facts:
        parts.append(", ".join(facts))
    rate, words = float(ev[_E["spin_rate"]] or 0.0), int(ev[_E["words"]] or 0)
    estimate = f"the model's estimate: {100 * rate:.0f}% of its {words:,} words swapped"
    parts.append(f"the document reads as {'spun' if rate >= 0.05 else 'mostly clean'} ({estimate})")
    around = float(ev[_E["nearby"]] or 0.0)
    if round(around) == 0:
        parts.append("no other likely swap within ~40 words")
    else:
        parts.append(f"about {around:.0f} other likely swap{'s' * (round(around) != 1)} within ~40 words")
    lm = scored.lm
    if lm is None:
        parts.append("language model not consulted")
    elif lm >= 0:
        parts.append(f"the language model prefers '{option.original}' by {lm:.1f} nats")
    else:
        parts.append(f"the language model prefers the text as written by {-lm:.1f} nats")
    if option.reason:
        parts.append(option.reason)
    return "; ".join(parts)
