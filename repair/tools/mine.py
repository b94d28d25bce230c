"""Mining spun pages without their originals for the spinner's recurring swaps.

A page without its original teaches nothing by alignment, but the spinner's habits
show across pages: where the trigram LM strongly prefers the same thesaurus
candidate for the same word ("mentioned" -> "said") on pages of several different
stories, that swap is more likely the spinner's than the authors'. A one-off, or a
swap seen in one story only, is left out: it may be a topic's own wording.

Two steps, so that leave-one-story-out stays honest:
* `survey` reads one page once: every content word whose best thesaurus candidate
  (`repair.core.discover.ranked`, the engine's own ranking) the LM prefers by at least
  `MIN_GAIN` nats there, a `Sighting`;
* `recurring` keeps, over any chosen set of surveyed pages (e.g. every story but the
  held-out one), the swaps sighted in at least `MIN_STORIES` stories, in most of the
  stories where their word was sighted at all and in more than any other candidate of
  the word (a word the LM wants replaced by one candidate here and another there may be
  spun, but what it was is unclear), as observations
  marked `mined` that `repair.tools.learn.learn_from` counts like pair-learned ones. The
  scorer sees the share of an entry's sightings that were mined (the `mined` feature),
  so the model learns how far to trust them.

Only words and counts come out of a page, never its text.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from repair.core.discover import suspects
from repair.tools.learn import Observation

MIN_GAIN = 4.0  # nats the LM must prefer the candidate by, at each sighting
MIN_STORIES = 3  # different stories a swap must be sighted in


@dataclass(frozen=True, slots=True)
class Sighting:
    spun: str  # the word, lower case
    original: str  # its best thesaurus candidate there
    gain: float  # nats: how much the LM prefers the candidate between the same neighbours


@dataclass(frozen=True, slots=True)
class SurveyedPage:
    """A spun page without its original, reduced to its sightings (no text kept)."""

    name: str
    story: str
    sightings: tuple[Sighting, ...]


def survey(name: str, story: str, text: str, *, min_gain: float = MIN_GAIN) -> SurveyedPage:
    """Every content word of `text` whose best-ranked thesaurus candidate the LM prefers by `min_gain` nats."""
    found = []
    for suspect in suspects(text, text.lower(), ()):
        if suspect.options and suspect.options[0].lm_gain >= min_gain:
            best = suspect.options[0]
            found.append(Sighting(suspect.word, best.form, best.lm_gain))
    return SurveyedPage(name, story, tuple(found))


def recurring(
    pages: Iterable[SurveyedPage], *, min_stories: int = MIN_STORIES, min_gain: float = MIN_GAIN
) -> dict[str, tuple[Observation, ...]]:
    """Per page name, its sightings of the swaps that recur (see the module docstring), with `min_gain`.

    One observation per swap and story (on the story's first page that shows it), marked `mined`: a story
    spun onto several sites is one sighting.
    """
    chosen = list(pages)
    stories: dict[tuple[str, str], set[str]] = defaultdict(set)
    word_stories: dict[str, set[str]] = defaultdict(set)
    for page in chosen:
        for s in page.sightings:
            if s.gain >= min_gain:
                stories[(s.spun, s.original)].add(page.story)
                word_stories[s.spun].add(page.story)
    rival: dict[str, list[int]] = defaultdict(list)  # per word, its candidates' story counts
    for (spun, _), seen in stories.items():
        rival[spun].append(len(seen))
    kept = {
        swap
        for swap, seen in stories.items()
        if len(seen) >= min_stories
        and 2 * len(seen) > len(word_stories[swap[0]])
        and sorted(rival[swap[0]])[-2:] != [len(seen), len(seen)]
    }
    out: dict[str, tuple[Observation, ...]] = {}
    counted: set[tuple[str, tuple[str, str]]] = set()
    for page in chosen:
        swaps = sorted({(s.spun, s.original) for s in page.sightings if s.gain >= min_gain} & kept)
        swaps = [swap for swap in swaps if (page.story, swap) not in counted]
        counted.update((page.story, swap) for swap in swaps)
        if swaps:
            out[page.name] = tuple(Observation(a, b, "", page.name, "plain", mined=True) for a, b in swaps)
    return out


def mined_swaps(pages: Sequence[SurveyedPage], **kwargs: float) -> list[tuple[str, str, int]]:
    """(spun, original, stories) of every mined swap: for a person to read."""
    story_of = {p.name: p.story for p in pages}
    seen: dict[tuple[str, str], set[str]] = defaultdict(set)
    for name, observations in recurring(pages, **kwargs).items():  # type: ignore[arg-type]
        for o in observations:
            seen[(o.spun, o.original)].add(story_of[name])
    return sorted(((s, o, len(v)) for (s, o), v in seen.items()), key=lambda t: (-t[2], t[0], t[1]))
