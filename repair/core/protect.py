"""What in plain text must never be edited: URLs, e-mail addresses, handles, code and paths.

A spinner's word inside `www.squaddies.co.uk` or `squaddies@example.com` is part of an
address, not prose; `repair.core.engine` drops every finding that touches one of these.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True, slots=True)
class Protected:
    start: int
    end: int
    kind: str  # url, email, handle, hashtag, code, path, file


_TLDS = (
    "com|org|net|edu|gov|mil|int|info|biz|io|co|uk|us|ca|au|nz|ie|de|fr|es|it|nl|be|ch|at|se|no|dk|fi|pl|eu|"
    "ru|jp|cn|in|br|me|tv|ly|fm|app|dev|ai|news|blog|online|site|xyz"
)
_URL_STOP = r"[^\s<>\"'`\ufffc]"
_CODE_PATTERN = (
    r"(?P<fence>(?m:^[ \t]*(?P<f>`{3,}|~{3,})[^\n]*\n)(?s:.*?)(?:(?m:^[ \t]*(?P=f)[ \t]*$)|\Z))",
    r"(?P<code>`[^`\n]+`)",
)
_PROTECTED_PATTERN = "|".join(
    (
        *_CODE_PATTERN,
        rf"(?P<url>\b[a-z][a-z0-9+.-]*://{_URL_STOP}+|\b(?:mailto|tel|urn|doi):{_URL_STOP}+|\bwww\d?\.{_URL_STOP}+)",
        r"(?P<email>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)",
        r"(?P<handle>(?<![\w@])@\w{1,30}(?:@[\w-]+(?:\.[\w-]+)+)?)",
        r"(?P<hashtag>(?<![\w&#])#[^\W\d]\w*)",
        rf"(?P<domain>(?<![\w@./-])(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?-i:{_TLDS})\b(?!\.\w)(?:/{_URL_STOP}*)?)",
        r"(?P<path>(?<![\w/])(?:\.{1,3}|\u2026|~)?/[\w.-]+(?:/[\w.-]*)*|\b[\w.-]+(?:/[\w.-]+){2,}|\b[A-Za-z]:\\[^\s]+)",
        r"(?P<file>\b[\w-]+\.(?:txt|md|markdown|html?|pdf|docx?|xlsx?|csv|json|ya?ml|toml|py|js|css|png|jpe?g|gif|svg|zip)\b)",
    )
)
_TRAILING = ".,;:!?'\")]}"


def protected_spans(text: str) -> list[Protected]:
    """Spans of plain text that must never be edited, sorted and not overlapping.

    URLs (with a scheme, www., or a bare domain such as squaddies.co.uk), e-mail
    addresses, @handles, #hashtags, `inline code`, fenced code blocks (``` or ~~~;
    indented blocks are not code in plain text, where quotes are indented too) and
    file paths (/a/b, .../slug, ~/x, a/b/c, C:\\x, name.pdf).
    """
    found: list[Protected] = []
    for m in _matches(text):
        kind = m.lastgroup or ""
        if kind == "f":
            kind = "fence"
        start, end = m.span()
        if kind in ("url", "domain", "path", "email"):
            while end > start and text[end - 1] in _TRAILING:
                if text[end - 1] == ")" and text.count("(", start, end) >= text.count(")", start, end):
                    break
                end -= 1
        kind = "code" if kind == "fence" else "url" if kind == "domain" else kind
        if end > start:
            found.append(Protected(start, end, kind))
    return found  # finditer gives them in order and without overlap


@cache
def _protected() -> re.Pattern[str]:  # compiled at first use: most of this module's import time otherwise
    return re.compile(_PROTECTED_PATTERN, re.IGNORECASE)


@cache
def _code() -> re.Pattern[str]:
    return re.compile("|".join(_CODE_PATTERN), re.IGNORECASE)


# Every protected token but code holds one of these and no whitespace; code needs a backtick or ~~~.
_TRIGGER = re.compile(r"[/@#\\:]|\.\S")
_RUN_END = re.compile(r"\S*")
# The one kind of token but code that may hold a backtick (`[^\s]+` after the drive).
_DRIVE_PATH = re.compile(r"[A-Za-z]:\\")


def _matches(text: str) -> Iterator[re.Match[str]]:
    """`_protected().finditer(text)`, but run only on the whitespace-delimited runs that can hold a match.

    The whole-text regex costs ~0.5 ms per kB, as much as scanning; prose has few such runs.
    No match but code crosses whitespace, and lookbehinds and `\\b` see the same whitespace at
    a run's ends as in the whole text, so the matches are the same. With code (a backtick or
    ~~~), code and fences are found first by their own regex: no other match holds a backtick
    (but a drive path: then the whole text is searched) or a line start, so the whole-text regex
    meets the same code, and between code the runs are searched as without it (no character
    class of the other kinds holds a backtick, so the end of a piece, where code starts, stops
    them as the backtick does).
    """
    if "`" not in text and "~~~" not in text:
        yield from _run_matches(text, 0, len(text))
        return
    if _DRIVE_PATH.search(text):
        yield from _protected().finditer(text)
        return
    at = 0
    for code in _code().finditer(text):
        yield from _run_matches(text, at, code.start())
        yield code
        at = code.end()
    yield from _run_matches(text, at, len(text))


def _run_matches(text: str, lo: int, hi: int) -> Iterator[re.Match[str]]:
    """The matches of the whole-text regex in text[lo:hi], searched only on the runs holding a trigger."""
    end = lo
    protected = _protected()
    for hit in _TRIGGER.finditer(text, lo, hi):
        if hit.start() < end:
            continue  # in the run just searched
        start = hit.start()
        while start > end and not text[start - 1].isspace():
            start -= 1
        run_end = _RUN_END.match(text, hit.start(), hi).end()  # type: ignore[union-attr]
        yield from protected.finditer(text, start, run_end)
        end = run_end
