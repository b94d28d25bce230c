"""How spun a whole document is, from all its evidence: a mixture model over its words.

Each word of a document was either swapped by a spinner or left as written; the
document's spin rate π is the share swapped. Every suspect span carries a
likelihood ratio L = P(its evidence | swapped) / P(its evidence | as written) (from
the local model's probability, divided by the odds the model was trained at), and a
word with no suspect span carries L0 < 1 (no list or thesaurus objected to it).
Expectation-maximisation finds the π that best explains the document, under a
Beta(alpha, beta) prior that expects clean text (beta >> alpha), and each span's
posterior probability of being a swap:

    r = π L / (π L + 1 - π),    π = (Σ r + alpha - 1) / (words + alpha + beta - 2).

A clean article comes out near π = 0, so its ordinary-English matches stay unfixed
however odd one of them looks; a spun page comes out at 0.1-0.3 and unlocks them.
Nothing here needs the curated "certain" spins: a page whose spinner the lists
have never seen is recognised from many weak signals together.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

PI_FLOOR, PI_CEILING = 1e-4, 0.9


@dataclass(frozen=True, slots=True)
class MixturePrior:
    """The mixture model's settings (a model file carries them)."""

    no_candidate_ratio: float = 0.5  # L0: a word no list or thesaurus objects to is a little likelier as written
    alpha: float = 1.0
    beta: float = 20.0
    iterations: int = 30
    # A phrase met n times in one document counts as n ** -repeat_damping occurrences of evidence each:
    # 0 counts every occurrence in full; 1 counts each distinct phrase once (a licence's "shall" 15 times).
    repeat_damping: float = 0.0


DEFAULT_PRIOR = MixturePrior()


def spin_rate(
    likelihood: np.ndarray,
    words: int,
    prior: MixturePrior = DEFAULT_PRIOR,
    floor: float = 0.0,
    weights: np.ndarray | None = None,
) -> tuple[float, np.ndarray]:
    """The document's spin rate π and each span's posterior probability of being a swap.

    `likelihood` holds one likelihood ratio per suspect span; `words` is the
    document's word count (spans of several words count as one word each). `floor`
    is a rate known from elsewhere (the text before some of its swaps were fixed).
    `weights`: how much each span counts (`repeat_weights`); None counts each in full.
    """
    n = len(likelihood)
    others = max(0, words - n)
    l0 = prior.no_candidate_ratio
    pi = 0.05
    counted = float(max(words, n)) if weights is None else others + float(weights.sum())
    for _ in range(prior.iterations):
        r = pi * likelihood / (pi * likelihood + 1.0 - pi)
        r0 = pi * l0 / (pi * l0 + 1.0 - pi)
        swapped = float(r.sum()) if weights is None else float(weights @ r)  # unweighted: the sum as it always was
        pi = (swapped + others * r0 + prior.alpha - 1.0) / (counted + prior.alpha + prior.beta - 2.0)
        pi = min(max(pi, PI_FLOOR), PI_CEILING)
    pi = max(pi, floor)
    return pi, pi * likelihood / (pi * likelihood + 1.0 - pi)


def nearby(starts: np.ndarray, posterior: np.ndarray, reach: int) -> np.ndarray:
    """Per span, the summed posterior of the other spans starting within `reach` characters of it.

    `starts` must be sorted ascending.
    """
    if len(starts) == 0:
        return np.zeros(0)
    total = np.concatenate(([0.0], np.cumsum(posterior)))
    lo = np.searchsorted(starts, starts - reach, side="left")
    hi = np.searchsorted(starts, starts + reach, side="right")
    return total[hi] - total[lo] - posterior


def repeat_weights(phrases: Sequence[str], damping: float) -> np.ndarray:
    """Each span's weight as evidence: n ** -damping for a phrase met n times among `phrases`."""
    counts = Counter(phrases)
    return np.array([counts[p] ** -damping for p in phrases], dtype=float)
