"""What a person reads about a finding: the swap, what the lists say, the document, the spans around it, the LM."""

from __future__ import annotations

from repair.core.candidates import FEATURES
from repair.core.score import ScoredSpan


def explain(scored: ScoredSpan) -> str:
    """What a person reads: the swap, what the lists say of it, the document, the spans around it, the LM."""
    span = scored.span
    if not scored.order:
        variant = span.flag
        own = variant.reason if variant is not None else ""
        return f"'{span.spun}': shown, never applied" + (f"; {own}" if own else "")
    option = span.options[scored.order[0]]
    f = dict(zip(FEATURES, option.features, strict=True))
    ev = scored.evidence
    parts = [f"'{span.spun}' → '{option.original}'"]
    if f["thesaurus"]:
        parts[0] += " (thesaurus candidate: no list has this word)"
    elif f["near"]:
        parts[0] += " (near match of a listed phrase)"
    facts = []
    if f["certain"]:
        facts.append("listed as a spinner's swap")
    elif f["choose"]:
        facts.append("listed as a choice")
    elif f["listed"]:
        facts.append("listed as ordinary English: needs evidence")
    if f["vetoed"]:
        facts.append("in a context where the word is usually meant")
    if f["learned"]:
        count, kept, stories = (int(ev["count"] or 0), int(ev["kept"] or 0), int(ev["stories"] or 0))
        facts.append(
            f"seen swapped {count} time{'s' * (count != 1)} in {stories} stor{'ies' if stories != 1 else 'y'}"
            f", left alone {kept} time{'s' * (kept != 1)}"
        )
    if option.seen:
        facts.append("seen swapped in these very words (the list's example)")
    if facts:
        parts.append(", ".join(facts))
    rate, words = float(ev["spin_rate"] or 0.0), int(ev["words"] or 0)
    estimate = f"the model's estimate: {100 * rate:.0f}% of its {words:,} words swapped"
    parts.append(f"the document reads as {'spun' if rate >= 0.05 else 'mostly clean'} ({estimate})")
    around = float(ev["nearby"] or 0.0)
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
