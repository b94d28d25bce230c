"""Markdown read as prose for `repair.edge.markup` (CommonMark + tables + strikethrough, via markdown-it-py)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.common.utils import normalizeReference
from markdown_it.helpers import parseLinkDestination, parseLinkTitle
from markdown_it.token import Token

from repair.edge.markup import BARRIER, BLOCK_BREAK, LINE_BREAK, Kind, Piece, ProseDocument, protect
from repair.edge.markup_html import PROTECTED_TAGS, html_pieces

# Markdown (CommonMark + tables + strikethrough, via markdown-it-py)


_ALNUM = re.compile(r"[^\W_]")
_FRONT = re.compile(r"\A(?:---|\+\+\+)[ \t]*\r?\n")
_LINE = re.compile(r"[^\r\n]*(\r\n|\r|\n|$)")


class _Unmapped(Exception):
    """A block whose tokens cannot be placed in the source exactly: left alone."""


@dataclass
class _Lines:
    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)  # before the line break
    breaks: list[int] = field(default_factory=list)  # after the line break

    @classmethod
    def of(cls, source: str) -> _Lines:
        lines = cls()
        for m in _LINE.finditer(source):
            lines.starts.append(m.start())
            lines.ends.append(m.start(1))
            lines.breaks.append(m.end())
            if not m.group(1):
                break
        return lines


def _front_matter(source: str, lines: _Lines) -> int:
    """How many lines a leading YAML (---) or TOML (+++) front matter block takes."""
    m = _FRONT.match(source)
    if not m:
        return 0
    fence = source[:3]
    ends = ("---", "...") if fence == "---" else ("+++",)
    for k in range(1, len(lines.starts)):
        if source[lines.starts[k] : lines.ends[k]].rstrip() in ends:
            return k + 1
    return 0


def _parser() -> MarkdownIt:
    # text_join would merge escapes and entities into the text around them: keep them apart.
    return MarkdownIt("commonmark").enable(["table", "strikethrough"]).disable("text_join")


_MD = _parser()


def read_markdown(source: str) -> ProseDocument:
    """Prose of a Markdown file: the text of paragraphs, headings, list items, quotes, tables.

    Left out: code blocks and inline code, link and image targets (link text is prose,
    an image is a barrier), autolinks, raw HTML (top-level HTML blocks are read as HTML),
    reference definitions, front matter. A block whose tokens cannot be placed exactly in
    the source is left out whole (listed in `skipped`).
    """
    lines = _Lines.of(source)
    skip = _front_matter(source, lines)
    parser_input = "\n".join(
        "" if k < skip else source[lines.starts[k] : lines.ends[k]] for k in range(len(lines.starts))
    )
    env: dict[str, object] = {}
    tokens = _MD.parse(parser_input, env)
    refs = env.get("references", {})
    pieces: list[Piece] = []
    skipped: list[tuple[int, int]] = []
    cursors: dict[int, int] = {}
    for tok in tokens:
        if tok.map is None:
            continue
        at = lines.starts[tok.map[0]]
        if tok.type == "inline":
            pieces.append(Piece(at, at, BLOCK_BREAK, Kind.BARRIER))
            try:
                cmap = _content_map(source, tok, lines, cursors)
                pieces += _inline_pieces(source, tok, cmap, refs)  # type: ignore[arg-type]
            except _Unmapped:
                skipped.append((at, lines.ends[tok.map[1] - 1]))
        elif tok.type == "html_block" and tok.level == 0:
            pieces.append(Piece(at, at, BLOCK_BREAK, Kind.BARRIER))
            pieces += html_pieces(source, at, lines.breaks[tok.map[1] - 1])
        elif tok.type in ("fence", "code_block", "html_block", "hr"):
            pieces.append(Piece(at, at, BLOCK_BREAK, Kind.BARRIER))
    return protect(source, pieces, "markdown", skipped)


def _content_map(source: str, tok: Token, lines: _Lines, cursors: dict[int, int]) -> list[tuple[int, int]]:
    """For each character of an inline token's content, the source range it stands for."""
    assert tok.map is not None
    cmap: list[tuple[int, int]] = []
    content_lines = tok.content.split("\n")
    if len(content_lines) > tok.map[1] - tok.map[0]:
        raise _Unmapped
    for i, cl in enumerate(content_lines):
        n = tok.map[0] + i
        line = source[lines.starts[n] : lines.ends[n]]
        floor = cursors.get(n, 0)
        base, tail = line.rstrip(" \t"), cl.rstrip(" \t")
        k = len(base) - len(tail)
        if not (tail and base.endswith(tail) and k >= floor and line[k : k + len(cl)] == cl):
            k = line.find(cl, floor)
        if k < 0:
            raise _Unmapped
        cursors[n] = k + len(cl)
        origin = lines.starts[n] + k
        cmap += [(origin + j, origin + j + 1) for j in range(len(cl))]
        if i + 1 < len(content_lines):
            cmap.append((lines.ends[n], lines.breaks[n]))
    return cmap


def _inline_pieces(
    source: str, tok: Token, cmap: list[tuple[int, int]], refs: dict[str, dict[str, str]]
) -> list[Piece]:
    s = tok.content
    out: list[Piece] = []
    c = 0
    html_protect: list[str] = []
    in_autolink = False
    link_open_at, link_attrs = 0, {}

    def seek(needle: str, at: int) -> int:
        p = s.find(needle, at)
        if p < 0 or _ALNUM.search(s, at, p):
            raise _Unmapped  # the skipped stretch held words: the tokens and the text disagree
        return p

    def emit(kind: Kind, p: int, q: int, text: str | None = None) -> None:
        if kind is Kind.BARRIER or html_protect:
            a = cmap[p][0] if p < len(cmap) else len(source)
            b = cmap[q - 1][1] if p < q <= len(cmap) else a
            out.append(Piece(a, b, text or BARRIER, Kind.BARRIER))
            return
        if kind is Kind.ATOM:
            for x, y in zip(cmap[p:q], cmap[p + 1 : q], strict=False):
                if x[1] != y[0]:
                    raise _Unmapped
            out.append(Piece(cmap[p][0], cmap[q - 1][1], text or s[p:q], Kind.ATOM))
            return
        if p < q and cmap[q - 1][1] - cmap[p][0] == q - p and source[cmap[p][0] : cmap[q - 1][1]] == s[p:q]:
            out.append(Piece(cmap[p][0], cmap[q - 1][1], s[p:q], Kind.TEXT))  # the usual case: one run
            return
        for i in range(p, q):
            a, b = cmap[i]
            if b == a + 1 and source[a] == s[i]:
                out.append(Piece(a, b, s[i], Kind.TEXT))
            else:  # e.g. "\n" standing for "\r\n"
                out.append(Piece(a, b, s[i], Kind.ATOM))

    for child in tok.children or ():
        t = child.type
        if in_autolink:
            in_autolink = t != "link_close"
            continue
        if t == "text":
            p = seek(child.content, c)
            emit(Kind.TEXT, p, p + len(child.content))
            c = p + len(child.content)
        elif t == "text_special":
            p = seek(child.markup, c)
            emit(Kind.ATOM, p, p + len(child.markup), child.content)
            c = p + len(child.markup)
        elif t in ("softbreak", "hardbreak"):
            p = seek("\n", c)
            emit(Kind.TEXT if t == "softbreak" else Kind.BARRIER, p, p + 1, None if t == "softbreak" else LINE_BREAK)
            c = p + 1
        elif t == "code_inline":
            p = seek(child.markup, c)
            q = _closing_backticks(s, p + len(child.markup), child.markup)
            emit(Kind.BARRIER, p, q)
            c = q
        elif t in ("em_open", "em_close", "strong_open", "strong_close", "s_open", "s_close"):
            continue  # their markup is skipped over by the next seek
        elif t == "link_open" and child.markup in ("autolink", "linkify"):
            p = seek("<", c)
            q = s.find(">", p)
            if q < 0:
                raise _Unmapped
            emit(Kind.BARRIER, p, q + 1)
            c, in_autolink = q + 1, True
        elif t == "link_open":
            link_open_at = seek("[", c)
            c, link_attrs = link_open_at + 1, child.attrs
        elif t == "link_close":
            p = seek("]", c)
            c = _link_tail(s, link_open_at, p, str(link_attrs.get("href", "")), refs)
        elif t == "image":
            p = seek("![", c)
            close = p + 2 + len(child.content)
            if s[close : close + 1] != "]":
                raise _Unmapped
            q = _link_tail(s, p + 1, close, str(child.attrs.get("src", "")), refs)
            emit(Kind.BARRIER, p, q)
            c = q
        elif t == "html_inline":
            p = seek(child.content, c)
            c = p + len(child.content)
            m = re.match(r"<(/?)([A-Za-z][A-Za-z0-9-]*)", child.content)
            name = m.group(2).lower() if m else ""
            if name == "br":
                emit(Kind.BARRIER, p, c, LINE_BREAK)
            elif name in PROTECTED_TAGS and m:
                if m.group(1):
                    if name in html_protect:
                        del html_protect[html_protect.index(name) :]
                elif not child.content.endswith("/>"):
                    emit(Kind.BARRIER, p, c)
                    html_protect.append(name)
        else:
            raise _Unmapped  # a token kind this reader does not know: leave the block alone
    if _ALNUM.search(s, c):
        raise _Unmapped
    return out


def _closing_backticks(s: str, at: int, run: str) -> int:
    while True:
        q = s.find(run, at)
        if q < 0:
            raise _Unmapped
        if s[q - 1 : q] != "`" and s[q + len(run) : q + len(run) + 1] != "`":
            return q + len(run)
        at = q + 1
        while s[at : at + 1] == "`":
            at += 1


def _link_tail(s: str, opening: int, bracket: int, href: str, refs: dict[str, dict[str, str]]) -> int:
    """Where a link or image ends, given its '[' and closing ']'; checked against markdown-it's href."""
    n = len(s)
    pos = bracket + 1
    if pos < n and s[pos] == "(":
        q = pos + 1
        while q < n and s[q] in " \t\n":
            q += 1
        dest = parseLinkDestination(s, q, n)
        target = ""
        if dest.ok:
            target = _MD.normalizeLink(dest.str)
            if _MD.validateLink(target):
                q = dest.pos
            else:
                target = ""
        after_dest = q
        while q < n and s[q] in " \t\n":
            q += 1
        if q < n and q != after_dest and dest.ok:
            title = parseLinkTitle(s, q, n)
            if title.ok:
                q = title.pos
                while q < n and s[q] in " \t\n":
                    q += 1
        if q < n and s[q] == ")":
            if target != href:
                raise _Unmapped
            return q + 1
    label, end = s[opening + 1 : bracket], pos  # shortcut [text] and collapsed [text][]
    if pos < n and s[pos] == "[":
        close = s.find("]", pos + 1)
        if close >= 0:
            label, end = s[pos + 1 : close] or label, close + 1
    ref = refs.get(normalizeReference(label))
    if ref is None or ref.get("href") != href:
        raise _Unmapped
    return end
