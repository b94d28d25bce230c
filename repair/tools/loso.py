"""Leave one story out: how the de-spinner does on stories and topics it has never seen.

For each story (a company or event: pairs copying one original, or two articles on
one bankruptcy, are one story), the learned list and the model are made from every
other story alone — the learned list from their pairs, the model from tables whose
learned-list evidence also left each training document's own story out — and the
batch fixer then runs on the held-out story's spun pages and originals. Nothing of
a story is on both sides, so the figures measure generalisation, not memory.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from repair.core.engine import Engine, Selection
from repair.core.spinmodel import SpinModel
from repair.core.text import phrase_key
from repair.core.wordlists import Wordlist, load_shipped
from repair.edge.fixing import SAFE
from repair.tools.evaluate import CleanResult, PairResult, evaluate_clean, evaluate_pair, shipped_families
from repair.tools.learn import Observation, Pair, PairEvidence, learn_from, study
from repair.tools.mine import SurveyedPage, recurring, survey
from repair.tools.pairs import NotedPage, describe_pairs, noted_pages
from repair.tools.train import TrainingDoc, fit_model, tables_without_own_story

LEARNED_LIST = "spinner"  # the shipped learned list's name
# The development material's folders (../shared/devpairs): pairs in the first two, spun pages without their
# originals (whose notes name swaps, and which can be mined for recurring swaps) in the last two.
DEVPAIR_FOLDERS = ("raw", "more", "unpaired", "more-unpaired")
LEARNING_FAMILIES = ("target", "heavy")  # the spinners whose swaps are learned; "other" rewrites are not


@dataclass
class Corpus:
    """Spun pages with their originals, as training documents, and what each pair teaches."""

    docs: list[TrainingDoc] = field(default_factory=list)  # every spun page and every distinct original
    studied: dict[str, PairEvidence] = field(default_factory=dict)  # by spun page name, learning families only
    surveyed: list[SurveyedPage] = field(default_factory=list)  # pages without originals, to mine (repair.tools.mine)

    def add(self, name: str, story: str, spun: str, original: str, family: str = "target", topic: str = "") -> None:
        self.docs.append(TrainingDoc(name, story, spun, original, family, topic))
        if not any(d.original is None and d.text == original for d in self.docs):
            self.docs.append(TrainingDoc(f"{name}.orig", story, original, None, family, topic))
        if family in LEARNING_FAMILIES:
            self.studied[name] = study(Pair(name, spun, original, story))

    def add_noted(self, page: NotedPage) -> None:
        """The swaps a person read off a spun page without its original: learned from, never evaluated on.

        Each swap counts once per story, however many pages of the story name it.
        """
        if page.family not in LEARNING_FAMILIES or not page.swaps:
            return
        seen = {
            (o.spun, o.original) for s in self.studied.values() if s.pair.group == page.story for o in s.observations
        }
        observations = []
        for spun, original in page.swaps:
            key = (" ".join(phrase_key(spun)), " ".join(phrase_key(original)))
            if all(key) and key not in seen:
                seen.add(key)
                observations.append(Observation(*key, example="", pair=page.name, case="plain"))
        pair = Pair(page.name, "", "", page.story)
        self.studied[page.name] = PairEvidence(pair, tuple(observations), (), Counter())

    def add_unpaired(self, name: str, story: str, text: str, family: str = "target") -> None:
        """A spun page without its original, surveyed for the spinner's recurring swaps (`repair.tools.mine`)."""
        if family in LEARNING_FAMILIES:
            self.surveyed.append(survey(name, story, text))

    def mined(self, without: frozenset[str] = frozenset()) -> list[PairEvidence]:
        """The swaps recurring across the surveyed pages outside the stories `without`, as evidence per page.

        A swap a pair or a note of the page's own story already shows is not counted again for that story.
        """
        pages = [p for p in self.surveyed if p.story not in without]
        found = recurring(pages)
        if not found:
            return []
        seen: dict[str, set[tuple[str, str]]] = {}
        for s in self.studied.values():
            if s.pair.group not in without:
                seen.setdefault(s.pair.group, set()).update((o.spun, o.original) for o in s.observations)
        out = []
        for page in pages:
            known = seen.get(page.story, set())
            fresh = tuple(o for o in found.get(page.name, ()) if (o.spun, o.original) not in known)
            if fresh:
                out.append(PairEvidence(Pair(page.name, "", "", page.story), fresh, (), Counter()))
        return out

    @property
    def stories(self) -> list[str]:
        """The stories with a page and its original: what can be held out and measured."""
        return sorted({d.story for d in self.docs})

    def learned(self, without: frozenset[str] = frozenset()) -> Wordlist:
        """The learned list from every learning pair outside the stories `without` (no text copied)."""
        chosen = [s for s in self.studied.values() if s.pair.group not in without] + self.mined(without)
        entries = learn_from(chosen, examples=False, strict=False).entries
        return Wordlist(LEARNED_LIST, tuple(replace(e, source=LEARNED_LIST) for e in entries))

    def engine_factory(self, lists: Sequence[Wordlist], thesaurus: bool = True) -> Callable[..., Engine]:
        def engine_without(stories: frozenset[str], model: SpinModel | None = None) -> Engine:
            return Engine([*lists, self.learned(stories)], model=model, thesaurus=thesaurus)

        return engine_without

    def training_docs(self) -> list[TrainingDoc]:
        return [d for d in self.docs if d.family in LEARNING_FAMILIES]


def read_corpus(folders: Sequence[str | Path], *, mine: bool = False) -> Corpus:
    """The pairs of the folders, and the swaps named in the notes of their spun pages without an original.

    With `mine`, those pages are also mined for the spinner's recurring swaps (`repair.tools.mine`; measured in
    docs/benchmarks.md, not used for the shipped list).
    """
    corpus = Corpus()
    families = shipped_families()
    for folder in folders:
        for page in noted_pages(folder):
            corpus.add_noted(page)
            if mine and page.path is not None:
                corpus.add_unpaired(page.name, page.story, page.path.read_text(encoding="utf-8"), page.family)
        for info in describe_pairs(folder, families):
            corpus.add(
                info.name,
                info.story,
                info.spun.read_text(encoding="utf-8"),
                info.original.read_text(encoding="utf-8"),
                info.family,
                info.topic,
            )
    return corpus


@dataclass
class StoryResult:
    story: str
    pairs: list[PairResult]
    clean: list[CleanResult]


def leave_one_story_out(
    corpus: Corpus,
    *,
    lists: Sequence[Wordlist] | None = None,
    selection: Selection = SAFE,
    stories: Sequence[str] | None = None,
    progress: Callable[[str], None] | None = None,
) -> list[StoryResult]:
    """Hold out each story in turn; see the module docstring."""
    lists = list(load_shipped(["news"]) if lists is None else lists)
    engine_without = corpus.engine_factory(lists)
    results = []
    for story in stories or corpus.stories:
        if progress:
            progress(story)
        held = frozenset({story})
        training = [d for d in corpus.training_docs() if d.story != story]
        tables = tables_without_own_story(training, engine_without, held)
        model = fit_model(tables, notes={"held_out": story})
        engine = engine_without(held, model)
        pairs, clean = [], []
        for doc in corpus.docs:
            if doc.story != story:
                continue
            if doc.original is not None:
                pairs.append(evaluate_pair(doc.name, doc.text, doc.original, engine, selection, group=doc.family))
            else:
                clean.append(evaluate_clean(doc.name, doc.text, engine, selection))
        results.append(StoryResult(story, pairs, clean))
    return results
