"""English word frequencies on the Zipf scale, as wordfreq gives them, from the shipped copy of its list.

`wordlists/wordfreq-en.txt.gz` is wordfreq's large English list (CC BY-SA 4.0, see
`wordlists/wordfreq-en.md`), written by scripts/build_frequencies.py: UTF-8, gzip, a
`#` line, then line n (from 0) holds the words of frequency 10 ** (-n / 100), space
separated, in wordfreq's order. The steps wordfreq's `word_frequency` and
`zipf_frequency` take for English are rewritten here, not copied (after wordfreq 3.1.1
by Robyn Speer, Apache-2.0: its tokens.py, numbers.py and __init__.py): tokenise,
write multi-digit numbers as zeros and estimate the digits apart, combine a phrase's
tokens, round. A test holds every answer to wordfreq's own where it is installed.

The scorer asks how common each spun phrase and each original is. The answers for an
engine's own phrases are worked out once and kept in the user's cache under a hash of
the shipped file and the phrases (repair.core.cache). Other words are looked up in a
compact table of the list, also kept there: sorted words (repair.core.packed) and each
one's line, ~5 MB where a dict of them takes ~35 MB.
"""

from __future__ import annotations

import itertools
import math
from array import array
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from repair.core.cache import cached, content_key
from repair.core.packed import SortedStrings
from repair.core.wordlists import wordlist_dir

if TYPE_CHECKING:
    import regex

DATA_NAME = "wordfreq-en.txt.gz"
_MINIMUM = 10**0.0 / 1e9  # the frequency of Zipf 0, as wordfreq's zipf_to_freq(0) gives it

_known: dict[str, float] = {}  # a memo of pure answers, filled from the cache or from the table


def data_path() -> Path:
    return wordlist_dir() / DATA_NAME


def read_list(path: Path | None = None) -> list[list[str]]:
    """The words by line (frequency 10 ** (-line / 100)): wordfreq's `get_frequency_list("en", "large")`."""
    import gzip  # only when the cache is cold

    lines = gzip.decompress((path or data_path()).read_bytes()).decode().split("\n")
    return [line.split() for line in lines[1:-1]]  # the `#` line; the file ends with a newline


def source_key() -> str:
    """A digest of the frequency data every answer here comes from: a cache of answers is named by it."""
    return content_key([data_path(), "frequencies-2"])


def zipf(phrase: str) -> float:
    """How common a phrase is: wordfreq's Zipf frequency (0 = unseen, 7 = "the")."""
    value = _known.get(phrase)
    if value is None:
        value = _known[phrase] = zipf_frequency(phrase)
    return value


def preload(phrases: Iterable[str]) -> None:
    """Make `zipf` of these phrases cheap: read their frequencies from the cache, working them out once."""
    wanted = sorted(set(phrases) - _known.keys())
    if not wanted:
        return
    key = content_key([source_key(), "zipf-1\n", "\n".join(wanted)])
    values = cached("frequencies", key, lambda: [zipf_frequency(p) for p in wanted])
    _known.update(zip(wanted, values, strict=True))


class _Table:
    """The list, compact: sorted words (repair.core.packed) and each one's line, i.e. its frequency."""

    def __init__(self, joined: bytes, starts: bytes, lines: bytes, count: int) -> None:
        self._words = SortedStrings(joined, starts)
        self._lines = array("H")
        self._lines.frombytes(lines)
        self._freqs = tuple(10 ** (-n / 100) for n in range(count))  # wordfreq's cB_to_freq(-n)

    def get(self, token: str) -> float | None:
        """What `wordfreq.get_frequency_dict("en").get(token)` gives."""
        i = self._words.index(token)
        return None if i is None else self._freqs[self._lines[i]]


@cache
def table() -> _Table:
    """The compact table, from the user's cache (made once from the shipped file, ~0.5 s)."""
    return _Table(*cached("frequency-table", content_key([data_path(), "table-2"]), _make_table))


def _make_table() -> tuple[bytes, bytes, bytes, int]:
    lines = read_list()
    line_of = {word: n for n, words in enumerate(lines) for word in words}  # a word twice: the last, as wordfreq
    words = SortedStrings.of(line_of)
    return (*words.parts(), array("H", (line_of[w] for w in words)).tobytes(), len(lines))


def top_words(n: int) -> list[str]:
    """wordfreq's `top_n_list("en", n)`: the n most frequent words, leaving out those that start with a number."""
    number = _patterns()[1]
    words = itertools.chain.from_iterable(read_list())
    return list(itertools.islice(itertools.filterfalse(number.match, words), n))


def token_frequency(token: str) -> float:
    """`wordfreq.get_frequency_dict("en").get(token, 0.0)`, from the compact table."""
    return table().get(token) or 0.0


# --- wordfreq's steps for English -------------------------------------------------------------

# Scripts written without spaces: a run of them stays one token (Han by \p{IsIdeo}, and Japanese marks).
_SPACELESS = r"\p{IsIdeo}" + "".join(
    rf"\p{{Script={s}}}" for s in ("Hira", "Kana", "Khmr", "Lana", "Laoo", "Mymr", "Tale", "Talu", "Thai")
)
_SPACELESS += "\u30fc\u3005\u303b\u3006"  # ー 々 〻 〆
_ELIDED_BEFORE = "AEHIOUYÁÉÍÓÚÀÈÌÒÙÂÊÎÔÛÅÏÖŒaehiouyáéíóúàèìòùâêîôûåïöœ"  # French "l'arc": "l'" is a token
_TOKEN = (
    rf"[{_SPACELESS}]+"
    r"|@s\b"  # "@s" alone: a gender-neutral article
    rf"|(?=[\w\p{{So}}])(?!\w\w?'[{_ELIDED_BEFORE}])\X+?(?:@s?(?!\w)|\b)"  # graphemes up to the first word break
    r"|\w\w?'"  # the "l'" the case before leaves out
)
_UNCURL = str.maketrans({**dict.fromkeys("\u02bc\u2018\u2019\u201a\u201b", "'"), **dict.fromkeys("“”„‟", '"')})
_DIGIT_SHARE = (0.009, 0.300, 0.175, 0.124, 0.096, 0.078, 0.066, 0.057, 0.050, 0.045)  # by first digit: Benford's
# A 4-digit number is a year with probability 0.9: log10 of a year's share peaks at YEAR_PEAK from 2019 to 2039.
_YEAR_PEAK, _YEAR_FROM, _YEAR_TO = -1.9185, 2019, 2039


@cache
def _patterns() -> tuple[regex.Pattern[str], regex.Pattern[str], regex.Pattern[str], regex.Pattern[str]]:
    """The token pattern and the digit patterns, compiled on first use (the `regex` module, as wordfreq)."""
    import regex

    token = regex.compile(_TOKEN, regex.V1 | regex.WORD)
    return token, regex.compile(r"\d[\d.,]+"), regex.compile(r"\d+"), regex.compile(r"\d")


def tokens(text: str) -> list[str]:
    """`wordfreq.lossy_tokenize(text, "en")`: NFC, case-folded, split at word breaks, quotes straightened."""
    import unicodedata

    text = unicodedata.normalize("NFC", unicodedata.normalize("NFC", text).casefold())
    return [t.strip("'").casefold().translate(_UNCURL) for t in _patterns()[0].findall(text)]


def _smashed(token: str) -> str:
    """Every digit of a multi-digit number written as 0 (wordfreq's smash_numbers): "1984" -> "0000"."""
    _, number, _, digit = _patterns()
    return number.sub(lambda found: digit.sub("0", found.group()), token)


def _digits_share(digits: str) -> float:
    """How likely these digits are among numbers of their length (Benford's law, and years)."""
    benford = _DIGIT_SHARE[int(digits[0])] / 10 ** (len(digits) - 1)
    if len(digits) != 4:
        return benford
    year = int(digits)
    if year <= _YEAR_FROM:
        log_share = _YEAR_PEAK - 0.0083 * (_YEAR_FROM - year)
    elif year <= _YEAR_TO:
        log_share = _YEAR_PEAK
    else:
        log_share = _YEAR_PEAK - 0.2 * (year - _YEAR_TO)
    return 10.0**log_share + 0.1 * benford


def _numbers_share(token: str) -> float:
    """wordfreq's digit_freq: the product over the token's multi-digit numbers, each run of digits apart."""
    _, number, run, _ = _patterns()
    share = 1.0
    for found in number.findall(token):
        for digits in run.findall(found):
            share *= _digits_share(digits)
    return share


def word_frequency(word: str, minimum: float = 0.0) -> float:
    """`wordfreq.word_frequency(word, "en", minimum=minimum)`: a phrase is rarer than each of its tokens."""
    found = tokens(word)
    if not found:
        return minimum
    freqs = table()
    one_over = 0.0
    for token in found:
        smashed = _smashed(token)
        freq = freqs.get(smashed)
        if freq is None:
            return minimum
        if smashed != token:
            freq *= _numbers_share(token)
        one_over += 1.0 / freq
    unrounded = max(1.0 / one_over, minimum)
    if unrounded == 0.0:
        return 0.0
    return round(unrounded, math.floor(-math.log(unrounded, 10)) + 3)  # 3 significant digits


def zipf_frequency(word: str) -> float:
    """`wordfreq.zipf_frequency(word, "en")`: log10 of the frequency per billion words, 0.01 apart, at least 0."""
    return round(math.log(word_frequency(word, _MINIMUM), 10) + 9, 2)
