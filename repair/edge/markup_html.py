"""HTML read as prose for `repair.edge.markup`: a small tokenizer that keeps exact source offsets."""

from __future__ import annotations

import html
import re

from repair.edge.markup import BARRIER, BLOCK_BREAK, LINE_BREAK, Kind, Piece, ProseDocument, protect

# HTML: a small tokenizer that keeps exact offsets (see README for why not lxml/selectolax)


_INLINE_TAGS = frozenset(
    [
        "a",
        "abbr",
        "b",
        "bdi",
        "bdo",
        "big",
        "cite",
        "data",
        "del",
        "dfn",
        "em",
        "font",
        "i",
        "ins",
        "label",
        "mark",
        "nobr",
        "q",
        "s",
        "small",
        "span",
        "strike",
        "strong",
        "sub",
        "sup",
        "time",
        "tt",
        "u",
        "wbr",
    ]
)
PROTECTED_TAGS = frozenset(
    [
        "script",
        "style",
        "pre",
        "code",
        "kbd",
        "samp",
        "var",
        "textarea",
        "template",
        "svg",
        "math",
        "noscript",
        "iframe",
        "object",
        "xmp",
        "plaintext",
    ]
)
_INLINE_PROTECTED = frozenset(["code", "kbd", "samp", "var"])
_VOID_TAGS = frozenset(
    ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"]
)
_RAW_TEXT = frozenset(
    ["script", "style", "xmp", "iframe", "noembed", "noframes", "noscript", "textarea", "title", "plaintext"]
)
_ENTITY = re.compile(r"&(?:#[0-9]{1,8};?|#[xX][0-9a-fA-F]{1,8};?|[A-Za-z][A-Za-z0-9]{0,31};?)")
_TAG_START = re.compile(r"<(?:[A-Za-z]|/[A-Za-z]|!|\?|/)")
_TAG_NAME = re.compile(r"[^\s/>]*")


def _tag_end(s: str, i: int) -> int:
    """End (exclusive) of the tag starting at s[i] == '<', following the WHATWG tag states."""
    n = len(s)
    j = i + 1
    while j < n and s[j] != ">":
        if s[j] == "=":  # an attribute value follows (names never start with '=')
            j += 1
            while j < n and s[j] in " \t\n\r\f":
                j += 1
            if j < n and s[j] in "\"'":
                close = s.find(s[j], j + 1)
                j = n if close < 0 else close + 1
                continue
        j += 1
    return min(j + 1, n)


def html_pieces(source: str, lo: int = 0, hi: int | None = None) -> list[Piece]:
    hi = len(source) if hi is None else hi
    pieces: list[Piece] = []
    stack: list[tuple[str, bool]] = []  # open elements that protect their content
    i = lo

    def text(a: int, b: int) -> None:
        if stack:
            return
        at = a
        for m in _ENTITY.finditer(source, a, b):
            if m.start() > at:
                pieces.append(Piece(at, m.start(), source[at : m.start()], Kind.TEXT))
            pieces.append(Piece(m.start(), m.end(), html.unescape(m.group()), Kind.ATOM))
            at = m.end()
        if at < b:
            pieces.append(Piece(at, b, source[at:b], Kind.TEXT))

    def barrier(at: int, mark: str) -> None:
        pieces.append(Piece(at, at, mark, Kind.BARRIER))

    while i < hi:
        m = _TAG_START.search(source, i, hi)
        if not m:
            text(i, hi)
            break
        text(i, m.start())
        j = m.start()
        if source.startswith("<!--", j):
            close = source.find("-->", j + 4, hi)
            i = hi if close < 0 else close + 3
            if source.startswith(("<!-->", "<!--->"), j):
                i = j + (5 if source.startswith("<!-->", j) else 6)
            continue
        end = min(_tag_end(source, j), hi)
        if source[j + 1] in "!?" or (source[j + 1] == "/" and not source[j + 2 : j + 3].isalpha()):
            i = end  # doctype, processing instruction, bogus comment
            continue
        closing = source[j + 1] == "/"
        name = _TAG_NAME.match(source, j + 2 if closing else j + 1).group().lower()  # type: ignore[union-attr]
        attrs = source[j:end].lower()
        i = end
        if closing:
            for k in range(len(stack) - 1, -1, -1):
                if stack[k][0] == name:
                    del stack[k:]
                    break
            if name not in _INLINE_TAGS and name not in _INLINE_PROTECTED:
                barrier(j, BLOCK_BREAK)
            continue
        translate_no = re.search(r"""\stranslate\s*=\s*["']?no\b""", attrs) is not None
        if name == "br":
            barrier(j, LINE_BREAK)
        elif name in _INLINE_PROTECTED or (name in _VOID_TAGS and name != "wbr"):
            barrier(j, BARRIER)
        elif name not in _INLINE_TAGS or translate_no:
            barrier(j, BLOCK_BREAK if name not in _INLINE_TAGS else BARRIER)
        self_closing = source[j:end].endswith("/>")
        if name in _RAW_TEXT:
            if name == "plaintext":
                i = hi
                continue
            closing_tag = re.compile(rf"</{name}[\s/>]", re.IGNORECASE).search(source, i, hi)
            body_end = hi if not closing_tag else closing_tag.start()
            if name == "title":
                text(i, body_end)
            i = body_end
            continue
        if name not in _VOID_TAGS and not self_closing and (stack or name in PROTECTED_TAGS or translate_no):
            stack.append((name, True))  # inside protected content every element is tracked, to match closings
    return pieces


def read_html(source: str) -> ProseDocument:
    """Prose of an HTML file: text outside tags, comments and protected elements.

    Protected (never edited): script, style, pre, code, kbd, samp, var, textarea,
    template, svg, math, noscript, iframe, object, and any element with translate="no".
    Entities are decoded in the view (ATOMs); block elements and <br> end phrases.
    """
    return protect(source, html_pieces(source), "html")
