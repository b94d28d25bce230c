"""The catalogue as read: its rows (CSV export or pairs JSON), fingerprints (queries) and expected texts.

Fingerprints are search queries in the Dimensions syntax: quoted phrases, `AND`
co-terms, `NOT` exclusions, `OR` alternatives (also in parentheses), `"a b"~N`
proximity and a trailing `*` wildcard. Expected texts carry notes, links and
"[context]" that are cleaned away; slashes and `OR` in them are alternatives.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass

from repair.core.text import phrase_key

# ---------------------------------------------------------------- queries


class QueryError(ValueError):
    """A fingerprint that is not a query this module understands."""


@dataclass(frozen=True, slots=True)
class Term:
    """One quoted (or bare) phrase of a query."""

    text: str
    proximity: int | None = None  # "..."~N: the words within N words of each other

    @property
    def key(self) -> tuple[str, ...]:
        return phrase_key(self.text)

    @property
    def wildcard(self) -> bool:
        return self.text.rstrip().endswith("*")


@dataclass(frozen=True, slots=True)
class Query:
    """A fingerprint: main alternatives, co-terms (each a group of alternatives), exclusions."""

    main: tuple[Term, ...]
    required: tuple[tuple[Term, ...], ...] = ()
    excluded: tuple[Term, ...] = ()


_QUERY_TOKEN = re.compile(r'\s*(?:"(?P<q>[^"]*)"(?:~(?P<n>\d+))?|(?P<p>[()])|(?P<w>[^\s()"]+))')


def _lex(query: str) -> list[tuple[str, object]]:
    out: list[tuple[str, object]] = []
    pos, text = 0, query.strip()
    while pos < len(text):
        m = _QUERY_TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            raise QueryError(f"cannot read the query at {text[pos:]!r}")
        pos = m.end()
        if m.group("q") is not None:
            n = m.group("n")
            out.append(("term", Term(m.group("q").strip(), int(n) if n else None)))
        elif m.group("p"):
            out.append((m.group("p"), None))
        else:
            word = m.group("w")
            if word in ("AND", "OR", "NOT"):
                out.append((word, None))
            elif out and out[-1][0] == "bare":  # consecutive bare words form one phrase
                previous = out[-1][1]
                assert isinstance(previous, Term)
                out[-1] = ("bare", Term(f"{previous.text} {word}"))
            else:
                out.append(("bare", Term(word)))
    return [("term", v) if k == "bare" else (k, v) for k, v in out]


def parse_query(query: str) -> Query:
    """Parse a catalogue fingerprint in the Dimensions search syntax.

    The first clause is the tortured phrase (``OR`` gives alternatives); each
    later clause is joined by ``AND`` (a co-term group, possibly ``(a OR b)``)
    or ``NOT`` (an exclusion). ``"a" OR "b" AND "c"`` reads as ``("a" OR "b") AND "c"``.
    """
    tokens = _lex(query)
    clauses: list[tuple[str, list[Term]]] = []
    op, group, depth = "MAIN", [], 0
    joined = True  # whether the next term may join the group (after OR, or at its start)
    for kind, value in tokens:
        if kind == "term":
            assert isinstance(value, Term)
            if not joined:
                raise QueryError(f"two terms without an operator before {value.text!r}")
            group.append(value)
            joined = False
            continue
        joined = kind != ")"
        if kind == "(":
            depth += 1
        elif kind == ")":
            depth -= 1
            if depth < 0:
                raise QueryError("unbalanced parenthesis")
        elif kind == "OR":
            continue
        elif kind in ("AND", "NOT"):
            if depth:
                raise QueryError(f"{kind} inside parentheses is not supported")
            if not group:
                raise QueryError(f"{kind} without a term before it")
            clauses.append((op, group))
            op, group = kind, []
    if depth:
        raise QueryError("unbalanced parenthesis")
    if not group:
        raise QueryError("the query ends without a term")
    clauses.append((op, group))
    main = tuple(clauses[0][1])
    required = tuple(tuple(g) for o, g in clauses[1:] if o == "AND")
    excluded = tuple(t for o, g in clauses[1:] if o == "NOT" for t in g)
    if not any(t.key for t in main):
        raise QueryError("the tortured phrase has no words")
    return Query(main, required, excluded)


# ---------------------------------------------------------------- expected text


@dataclass(frozen=True, slots=True)
class Expected:
    """The cleaned expected text of a row."""

    originals: tuple[str, ...]  # best first; empty when the catalogue does not know
    note: str = ""  # what was cleaned away, when it is worth showing
    unsure: bool = False  # the catalogue marks it "?" or offers alternatives


URL_RE = re.compile(r"\(?\s*(?:see\s+)?(?:[A-Za-z ]+\s)?https?://\S+\s*\)?", re.IGNORECASE)
_BRACKETS = re.compile(r"\[[^\]]*\]")
_PARENS = re.compile(r"\(([^()]*)\)")
SPACES_RE = re.compile(r"\s+")


def tidy(text: str) -> str:
    text = text.replace('\\"', '"').replace("\u00a0", " ").strip()
    return SPACES_RE.sub(" ", text)


def _alternatives(text: str) -> list[str]:
    """Slash alternatives: "benign cancer/tumor" -> benign cancer, benign tumor."""
    if "/" not in text or (" " not in text and not re.search(r"[A-Za-z]/[A-Za-z]", text)):
        return [text]
    left, _, right = text.partition("/")
    if "/" in right or not left.strip() or not right.strip():
        return [text]
    a, b = left.split(), right.split()
    if len(a) > len(b):
        return [" ".join(a), " ".join(a[: len(a) - len(b)] + b)]
    if len(a) < len(b):
        return [" ".join(a + b[len(a) :]), " ".join(b)]
    return [" ".join(a), " ".join(b)]


def clean_expected(text: str, *, keep_parens: bool = False, slashes: bool = True) -> Expected:
    """Notes, links, context brackets and "?" removed; alternatives split.

    With keep_parens a one-word parenthesis (an acronym such as "(IoT)") is
    kept, for pairing with a fingerprint that has one too.
    """
    raw = tidy(text)
    note = raw
    work = URL_RE.sub(" ", raw)
    unsure = "?" in work or "could be either" in work.lower() or (slashes and "/" in work) or " OR " in work
    work = _BRACKETS.sub(" ", work)
    work = work.replace("?", " ").replace("*", "").replace('"', " ")

    def paren(m: re.Match[str]) -> str:
        inner = m.group(1).strip()
        if keep_parens and phrase_key(inner) and len(inner.split()) <= 4 and not re.search(r"[?=:]|e\.g|i\.e", inner):
            return f"\x00{inner}\x01"  # kept, restored below
        return " "

    previous = None
    while previous != work:  # nested parentheses
        previous, work = work, _PARENS.sub(paren, work)
    work = work.replace("(", " ").replace(")", " ").replace("\x00", "(").replace("\x01", ")")
    work = SPACES_RE.sub(" ", work).strip(" ,;:.-")
    if work.lower().startswith(("the word ", "paraphrased ")) or not phrase_key(work):
        return Expected((), note=note, unsure=True)
    originals: list[str] = []
    for part in re.split(r"\s+OR\s+", work):
        for alternative in _alternatives(part.strip(" ,")) if slashes else [part.strip(" ,")]:
            alternative = SPACES_RE.sub(" ", alternative).strip(" ,")
            if phrase_key(alternative) and alternative not in originals:
                originals.append(alternative)
    cleaned = ", ".join(originals)
    return Expected(tuple(originals), note="" if cleaned == raw else note, unsure=unsure)


# ---------------------------------------------------------------- rows


@dataclass(frozen=True, slots=True)
class CatalogueRow:
    fingerprint: str  # the query (CSV) or the quoted phrase (JSON)
    expected: str
    papers: int = 0
    line: int = 0  # CSV line or JSON item number, for reports


def read_csv(text: str) -> list[CatalogueRow]:
    """The CSV export: tortured_phrase, expected_phrase, num_papers (or the PPS web export's header)."""
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None:
        return []
    if len(header) < 2:
        raise ValueError("expected at least two columns (fingerprint, expected text)")
    rows = []
    for record in reader:
        if not record or not any(record):
            continue
        papers = record[2].replace(",", "").strip() if len(record) > 2 else ""
        rows.append(
            CatalogueRow(
                record[0].strip(),
                record[1] if len(record) > 1 else "",
                int(papers) if papers.isdigit() else 0,
                reader.line_num,
            )
        )
    return rows


def read_pairs_json(text: str) -> list[CatalogueRow]:
    """The pairs JSON: {"phrases": [{"tortured": ..., "correct": ...}, ...]} (or a bare list)."""
    data = json.loads(text)
    items = data.get("phrases") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise ValueError('expected a "phrases" list')
    rows = []
    for number, item in enumerate(items, 1):
        if not isinstance(item, dict) or "tortured" not in item:
            raise ValueError(f"item {number} has no 'tortured' field")
        phrase = str(item["tortured"]).replace('"', " ").strip()
        rows.append(CatalogueRow(f'"{phrase}"', str(item.get("correct", "")), 0, number))
    return rows


def read_catalogue(text: str) -> list[CatalogueRow]:
    """Either form, told apart by the first character."""
    return read_pairs_json(text) if text.lstrip().startswith(("{", "[")) else read_csv(text)
