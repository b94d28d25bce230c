"""Candidate originals for a spun word, from the inverted thesaurus.

Why: a curated wordlist only reverses swaps someone has seen. A thesaurus
spinner replaces an original X by a word W listed among X's synonyms, so the
inverted thesaurus (`wordlists/thesaurus.tsv.gz`, built by
`scripts/build_thesaurus.py` from Moby and WordNet 3.0) lists, for W, the
common words X it may stand for. The list is long and noisy; `prior` ranks it
from the evidence stored per pair and X's frequency, and a language model
(`repair.core.lm`) chooses in context (`repair.core.discover`).

The data file is read lazily on first use (about 0.15 s) into an immutable
table. It holds no word frequencies: X's frequency is looked up in wordfreq's
list (`wordlists/wordfreq-en.txt.gz`, CC BY-SA 4.0, kept apart from this MIT data:
repair.core.frequencies) when the table is first scored (about 0.5 s), then kept in
the user's cache (repair.core.cache).

Keys are the forms the thesauri list, mostly base forms; an inflected input
is also lemmatised with lemminflect ("prospects" -> "prospect", NNS) and the
lemma's candidates are returned in the same form ("customers"), using
inflections precomputed at build time. lemminflect's tables take ~47 MB once
loaded, so for the shipped data file its answers (the readings of the ~31,000
words whose lemma is a key) are worked out once and kept in the user's cache
(repair.core.cache) under the hash of the data file and of lemminflect.
"""

from __future__ import annotations

import gzip
import math
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from types import MappingProxyType

from repair.core import frequencies
from repair.core.cache import cached, content_key
from repair.core.inflections import lemminflect, lemminflect_marker
from repair.core.packed import SortedMap
from repair.core.text import carry_case, phrase_key
from repair.core.wordlists import wordlist_dir

DATA_NAME = "thesaurus.tsv.gz"

# Pair evidence bits, as written by scripts/build_thesaurus.py.
FLAG_MOBY_FWD = 1  # Moby's entry for X lists W (the spinner's direction)
FLAG_MOBY_REV = 2  # Moby's entry for W lists X
FLAG_WN_SHIFT = 2  # bits 2-3: WordNet synsets holding both (0-3)
FLAG_WN_MASK = 3 << FLAG_WN_SHIFT
FLAG_WN_FIRST = 16  # a shared synset is X's first (most frequent) sense
FLAG_WN_NEAR = 32  # WordNet similar-to / also-see / verb-group link

# Log-linear prior weights (nats), fitted by softmax regression on the tuning
# pairs and rounded (see docs/THESAURUS-RESEARCH.md). Frequency matters most
# (spinners start from news text, whose words are common); WordNet synonymy is
# the strongest link; multi-word originals are rarer than wordfreq's estimate
# for a phrase suggests. The size of X's Moby entry, X's number of WordNet
# senses and reaching X through a lemma got weights near 0 and are left out.
W_MOBY_FWD = 0.55
W_MOBY_REV = 0.2
W_WN_SHARED = 1.05  # per shared synset (0-3)
W_WN_FIRST = 0.5
W_WN_NEAR = 0.6
W_ZIPF = 1.35  # per Zipf unit (a factor of 10 in frequency)
W_EXTRA_WORD = -0.4  # per word of the original beyond the first

# The inflected forms stored per original (the data file's @inflections section), in this order.
TAGS = ("NNS", "VBZ", "VBD", "VBN", "VBG", "JJR", "JJS")
_TAG_INDEX = {tag: i for i, tag in enumerate(TAGS)}
_UPOS_OF_TAG = {"NNS": "NOUN", "VBZ": "VERB", "VBD": "VERB", "VBN": "VERB", "VBG": "VERB", "JJR": "ADJ", "JJS": "ADJ"}
# Suffix rules for words lemminflect does not know ("squaddies"): (suffix, replacement, tag).
_OOV_RULES = (
    ("ies", "ie", "NNS"),
    ("ies", "y", "NNS"),
    ("es", "", "NNS"),
    ("s", "", "NNS"),
    ("ied", "y", "VBD"),
    ("ed", "e", "VBD"),
    ("ed", "", "VBD"),
    ("ing", "e", "VBG"),
    ("ing", "", "VBG"),
)


def prior(flags: int, zipf: float, words: int = 1) -> float:
    """Unnormalised log prior (nats) that a spinner turned original X into W.

    From the pair's evidence bits, X's Zipf frequency and X's number of words.
    """
    score = W_ZIPF * zipf + W_EXTRA_WORD * (words - 1)
    if flags & FLAG_MOBY_FWD:
        score += W_MOBY_FWD
    if flags & FLAG_MOBY_REV:
        score += W_MOBY_REV
    score += W_WN_SHARED * ((flags & FLAG_WN_MASK) >> FLAG_WN_SHIFT)
    if flags & FLAG_WN_FIRST:
        score += W_WN_FIRST
    if flags & FLAG_WN_NEAR:
        score += W_WN_NEAR
    return score


_FLAG_WEIGHTS = tuple(prior(flags, 0.0) for flags in range(64))  # the flags' part of the prior, by flags
_PLAIN_WORD = re.compile(r"[a-z]+")


def original_zipf(key: str, phrase_lm: float | None = None) -> float:
    """Zipf frequency of an original's key ("round", "in opposition to") from wordfreq.

    For a phrase, wordfreq's estimate (from its words alone) is capped by the
    trigram LM's, `phrase_lm`, which the data file stores per phrase.
    """
    zipf = frequencies.zipf_frequency(key)
    if phrase_lm is not None:
        zipf = min(zipf, phrase_lm)
    return max(zipf, 0.0)


def _zipf_table(keys: Sequence[str], phrase_lms: Sequence[str]) -> tuple[float, ...]:
    """`original_zipf` of every original, with a fast path for plain lower-case words.

    wordfreq's own lookup tokenises every word (about 15 µs); a plain word is a
    single token, so its frequency is read from the dict directly and rounded
    as wordfreq rounds it (3 significant digits, then 0.01 Zipf). A test checks
    that both paths agree.
    """
    return tuple(
        word_zipf(key) if _PLAIN_WORD.fullmatch(key) else original_zipf(key, int(lm) / 100 if lm else None)
        for key, lm in zip(keys, phrase_lms, strict=True)
    )


def word_zipf(word: str) -> float:
    """Zipf frequency of a lower-case word, as wordfreq's `zipf_frequency` gives it, but faster."""
    if not _PLAIN_WORD.fullmatch(word):
        return original_zipf(word)
    freq = frequencies.token_frequency(word)
    if freq <= 0:
        return 0.0
    freq = round(freq, math.floor(-math.log10(freq)) + 3)
    return max(round(math.log10(freq) + 9, 2), 0.0)


@dataclass(frozen=True, slots=True)
class Pair:
    """One stored candidate: the original's id and form, and the evidence bits."""

    original_id: int
    original: str
    flags: int


@dataclass(frozen=True)
class Thesaurus:
    """The loaded inverted thesaurus: read-only columns and one read-only mapping.

    Candidate cells stay raw text and are decoded per lookup: loading is then a
    few C-speed splits (the budget is 0.3 s) and a lookup costs microseconds.
    Frequencies come from wordfreq on first use and are kept on the instance
    (values derived once; the stored data never changes).
    """

    forms: tuple[str, ...]  # originals by id (in key order)
    phrase_lms: tuple[str, ...]  # by id: a phrase's LM Zipf * 100, "" for one word
    inflections: tuple[str, ...]  # by id: "|"-joined forms for TAGS ("" = none)
    cells: Mapping[str, str]  # spun key -> "base36(id step*64+flags) ...", ids ascending (compact: ~8 MB, not 21)
    path: str = field(default="", compare=False)  # the data file it was read from ("": built in memory)

    def pairs(self, key: str) -> tuple[Pair, ...]:
        """Stored candidates of a normalised key ("in opposition to"), in id order."""
        raw = self.cells.get(key)
        if not raw:
            return ()
        out = []
        original_id = 0
        for cell in raw.split(" "):
            code = int(cell, 36)
            original_id += code >> 6
            out.append(Pair(original_id, self.forms[original_id], code & 63))
        return tuple(out)

    def inflected(self, original_id: int, tag: str) -> str | None:
        """The original in the form `tag` (precomputed at build time), or None."""
        return self.inflections[original_id].split("|")[_TAG_INDEX[tag]] or None

    @cached_property
    def zipfs(self) -> tuple[float, ...]:
        """Each original's Zipf frequency by id, from wordfreq: for the shipped file, kept in the user's cache.

        Looking up ~23,500 originals costs a spun one-line check most of its time (~0.5-1 s).
        """
        if not self.path:
            return self._zipfs()
        key = content_key([Path(self.path), frequencies.source_key(), _ZIPFS_VERSION])
        return tuple(cached("thesaurus-zipfs", key, self._zipfs))

    def _zipfs(self) -> tuple[float, ...]:
        return _zipf_table([" ".join(phrase_key(form)) for form in self.forms], self.phrase_lms)

    @cached_property
    def base_priors(self) -> tuple[float, ...]:
        """The part of `prior` that depends on the original alone, by id."""
        no_flags = _FLAG_WEIGHTS[0]
        return tuple(
            prior(0, zipf, form.count(" ") + 1) - no_flags for zipf, form in zip(self.zipfs, self.forms, strict=True)
        )

    def __contains__(self, key: object) -> bool:
        return key in self.cells

    @cached_property
    def readings(self) -> Mapping[str, str] | None:
        """`_dictionary_readings` of every lower-case word that has some, as "lemma\ttag\t...", from the cache.

        None for a table not read from a file (then lemminflect answers each word).
        """
        if not self.path:
            return None
        key = content_key([Path(self.path), lemminflect_marker(), _READINGS_VERSION])
        return MappingProxyType(cached("thesaurus-readings", key, lambda: _all_readings(self)))


def data_path() -> Path:
    """The data file: inside the installed package, or in the source tree."""
    path = wordlist_dir() / DATA_NAME
    if not path.is_file():
        raise FileNotFoundError(f"{DATA_NAME} is missing: run scripts/build_thesaurus.py")
    return path


_ZIPFS_VERSION = "zipfs-1"  # of the code that makes the cached table
_SECTIONS = ("forms", "phrase_lm", "inflections", "keys", "cells")


def parse(text: str) -> Thesaurus:
    """Parse the data file's text (format: scripts/build_thesaurus.py's docstring)."""
    sections: dict[str, list[str]] = {}
    for line in text.split("\n"):
        if line.startswith("@"):
            name, *values = line.split("\t")
            sections[name[1:]] = values
    missing = [name for name in _SECTIONS if name not in sections]
    if missing:
        raise ValueError(f"thesaurus data lacks sections: {', '.join(missing)}")
    keys, cells = sections["keys"], sections["cells"]
    columns = ("forms", "phrase_lm", "inflections")
    if len(keys) != len(cells) or len({len(sections[name]) for name in columns}) != 1:
        raise ValueError("thesaurus data sections differ in length")
    return Thesaurus(
        tuple(sections["forms"]),
        tuple(sections["phrase_lm"]),
        tuple(sections["inflections"]),
        SortedMap(zip(keys, cells, strict=True)),
    )


@cache
def load(path: Path | None = None) -> Thesaurus:
    """The thesaurus, read once on first use (the cache holds an immutable value).

    Kept in the user's cache in its compact form, so that a start reads a few big
    strings rather than parsing the file into ~250,000 short ones to pack them.
    """
    path = path or data_path()
    key = content_key([path, "compact-1"])
    forms, phrase_lms, inflections, cells = cached("thesaurus", key, lambda: _compact(path))
    return Thesaurus(forms, phrase_lms, inflections, SortedMap.of_parts(*cells), path=str(path))


def _compact(path: Path) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[bytes, bytes, str, bytes]]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        table = parse(handle.read())
    assert isinstance(table.cells, SortedMap)
    return table.forms, table.phrase_lms, table.inflections, table.cells.parts()


_READINGS_VERSION = "readings-1"  # of `_dictionary_readings` and `_all_readings`: change it when they change


def _dictionary_readings(word: str, known: Thesaurus) -> list[tuple[str, str]]:
    """lemminflect's (lemma, Penn tag) readings of `word` whose lemma is in `known` (its dictionary, no rules)."""
    li = lemminflect()
    out: list[tuple[str, str]] = []
    for upos, lemmas in li.getAllLemmas(word).items():
        for lemma in lemmas:
            lemma = lemma.lower()
            if lemma == word or lemma not in known:
                continue
            for tag, forms in li.getAllInflections(lemma, upos=upos).items():
                if tag in _UPOS_OF_TAG and word in forms and (lemma, tag) not in out:
                    out.append((lemma, tag))
    return out


def _all_readings(known: Thesaurus) -> dict[str, str]:
    """`_dictionary_readings` of every lower-case word that has any, each as "lemma\ttag\tlemma\ttag".

    Only a word in lemminflect's lemma table (or its overrides) has readings, and only
    when one of its lemmas, lower-cased, is another word and a key of `known`; the
    rest are skipped before asking, which makes this ~1 s rather than ~3 s.
    """
    from lemminflect.core.Lemmatizer import Lemmatizer

    lemmatizer = Lemmatizer()
    tables = (lemmatizer._getLemmaDict(), lemmatizer._getOverridesDict())
    out = {}
    for word in sorted({w for table in tables for w in table if w == w.lower()}):
        lemmas = {x.lower() for table in tables for xs in table.get(word, {}).values() for x in xs}
        if any(x != word and x in known for x in lemmas):
            found = _dictionary_readings(word, known)
            if found:
                out[word] = "\t".join(x for reading in found for x in reading)
    return out


def analyses(word: str, known: Thesaurus) -> list[tuple[str, str]]:
    """(lemma, Penn tag) readings of an inflected lower-case word whose lemma is in `known`.

    Base forms (NN, VB, JJ) are left out: the word itself is looked up directly.
    """
    readings = known.readings if word == word.lower() else None
    if readings is None:
        out = _dictionary_readings(word, known)
    else:
        parts = readings.get(word, "").split("\t")
        out = list(zip(parts[::2], parts[1::2], strict=True)) if parts[0] else []
    if not out and word.isalpha():
        for suffix, replacement, tag in _OOV_RULES:
            if word.endswith(suffix) and len(word) > len(suffix) + 2:
                lemma = word[: -len(suffix)] + replacement
                if lemma in known and (lemma, tag) not in out:
                    out.append((lemma, tag))
                    if tag == "VBD":
                        out.append((lemma, "VBN"))
    return out


def inflect(original: str, tag: str) -> str | None:
    """`original` (a base form or phrase) in the form `tag`; None if it has no such form.

    Run by scripts/build_thesaurus.py for every original and tag in TAGS (the
    results are stored), because lemminflect deep-copies its tables on every
    call, which made lookups take milliseconds.

    Verbs inflect their first word ("cut back" -> "cut back", "help keep" ->
    "helps keep"), nouns their last ("parent company" -> "parent companies").
    A candidate that cannot take the tag's part of speech is dropped, which
    also filters out candidates of the wrong word class.
    """
    li = lemminflect()
    upos = _UPOS_OF_TAG[tag]
    words = original.split(" ")
    if upos == "ADJ" and len(words) > 1:
        return None
    at = 0 if upos == "VERB" else len(words) - 1
    head = words[at]
    lemmas = li.getAllLemmas(head.lower()).get(upos)
    if not lemmas:
        return None
    forms = li.getInflection(lemmas[0], tag=tag, inflect_oov=False)  # no "uppest", "soest"
    if not forms:
        return None
    words[at] = forms[0]
    return " ".join(words)


def _readings(key: tuple[str, ...], known: Thesaurus) -> Iterator[tuple[str, str | None, str]]:
    """(lookup key, tag to inflect candidates to or None, suffix) for a token sequence."""
    yield " ".join(key), None, ""
    last = key[-1]
    if len(key) == 1 and last.endswith("'s") and len(last) > 2:  # "nation's" -> "country's"
        yield last[:-2], None, "'s"
    positions = (0,) if len(key) == 1 else (0, len(key) - 1)
    for at in positions:
        for lemma, tag in analyses(key[at], known):
            upos = _UPOS_OF_TAG[tag]
            if len(key) > 1 and (upos == "ADJ" or (upos == "VERB") != (at == 0)):
                continue  # phrases: verbs inflect the first word, nouns the last
            yield " ".join((*key[:at], lemma, *key[at + 1 :])), tag, ""


# One stored pair reached through one reading of the input, before inflection:
# (log prior, original id, original, Penn tag to inflect to or None, suffix such as "'s").
_Option = tuple[float, int, str, str | None, str]


def _options(key: tuple[str, ...], table: Thesaurus) -> list[_Option]:
    """Every stored pair for every reading of `key`, best prior first (no inflection yet).

    Plain tuples and one pass over the raw cells: this runs for every distinct
    content word of a document (`repair.core.discover`).
    """
    options: list[_Option] = []
    base, forms, cells = table.base_priors, table.forms, table.cells
    for lookup, tag, suffix in _readings(key, table):
        raw = cells.get(lookup)
        if not raw:
            continue
        original_id = 0
        for cell in raw.split(" "):
            code = int(cell, 36)
            original_id += code >> 6
            original = forms[original_id]
            if suffix and " " in original:
                continue  # "corporate's" -> "company's", not "in league's"
            options.append((base[original_id] + _FLAG_WEIGHTS[code & 63], original_id, original, tag, suffix))
    options.sort(key=lambda o: (-o[0], o[2], o[3] or ""))
    return options


def scored(word_or_phrase: str, limit: int = 20, known: Thesaurus | None = None) -> list[tuple[str, float, float]]:
    """The best `limit` candidates as (form, log prior, prior share), best first.

    The share is of the prior mass of every stored option of the input; it
    sums to a little under 1 when some options cannot take the input's form
    (an adjective offered for a plural noun), which are dropped.
    """
    table = known or load()
    key = phrase_key(word_or_phrase)
    if not key or limit < 1:
        return []
    options = _options(key, table)
    if not options:
        return []
    top = options[0][0]
    mass = sum(math.exp(o[0] - top) for o in options)
    own = " ".join(key)
    out: list[tuple[str, float, float]] = []
    seen: set[str] = set()
    for score, original_id, original, tag, suffix in options:
        form = original if tag is None else table.inflected(original_id, tag)
        if form is None:
            continue
        form += suffix
        if form.lower() == own or form in seen:
            continue
        seen.add(form)
        out.append((form, score, math.exp(score - top) / mass))
        if len(out) >= limit:
            break
    return out


def candidates(word_or_phrase: str, limit: int = 20) -> list[tuple[str, float]]:
    """Common originals a spinner may have turned into this word or phrase, best first.

    Each comes with its prior share (0-1) among all stored candidates of the
    input, inflected like the input ("prospects" -> "customers", "enhanced" ->
    "improved") and in its case pattern ("Corporate" -> "Company"). An unknown
    input gives [].
    """
    return [(carry_case(word_or_phrase, form), share) for form, _, share in scored(word_or_phrase, limit)]
