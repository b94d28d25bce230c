"""Scanning a file's prose: markup and code left alone, findings placed in the file, inline suppression.

`scan_document` is what every front end scans a file with (`repair check`, `fix`,
`report`, `review`, `repair.scan_file`), so they agree on what is a finding:

- plain text is scanned as it is (the engine itself drops a finding that touches a URL,
  an e-mail address, a handle, a hashtag, `code` or a path: `repair.core.protect`);
- Markdown and HTML are scanned as their prose view (`repair.edge.markup`); each finding
  is placed back in the file, its suggestions escaped for the format. A finding whose
  edit would touch markup (a phrase across `<em>`, a link, a block boundary) is kept as
  `flag` with the reason, so it is shown but never applied;
- findings on a `repair: ignore` line or in a `repair: off` region are dropped
  (`repair.edge.reporting`).

The findings' offsets, line, column, `spun` and context are the file's, so fixing is
`apply_edits` on the file's text as for plain text. A long text is scanned a block at a
time (`repair.edge.blocks` says where it is cut and what that means).
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Literal

from repair.core.model import CONTEXT_CHARS, Finding, Safety
from repair.core.text import carry_span_whitespace, has_odd_whitespace
from repair.edge.blocks import Block, text_blocks
from repair.edge.reporting import unsuppressed

if TYPE_CHECKING:
    from repair.edge.markup import ProseDocument

# The markup readers (and their regexes, ~15 ms to compile) load only when a file needs them.
Format = Literal["text", "markdown", "html"]
Scanner = Callable[[str], Sequence[Finding]]


def format_for(path: str) -> Format:
    """How a file is read, by its name: Markdown, HTML, or (anything else) plain text."""
    lower = path.lower()
    if lower.endswith((".md", ".markdown", ".mdown", ".mkd")):
        return "markdown"
    if lower.endswith((".html", ".htm", ".xhtml")):
        return "html"
    return "text"


__all__ = ["Format", "Scanner", "format_for", "scan_block", "scan_document", "scan_parts"]


def scan_document(scan: Scanner, text: str, fmt: Format = "text", *, block_chars: int | None = None) -> list[Finding]:
    """The findings of `text` read as `fmt`, in the text's own offsets, suppressions applied.

    `block_chars`: the most a block holds (default `repair.edge.blocks.BLOCK_CHARS`).
    """
    return [f for part in scan_parts(scan, text, fmt, block_chars=block_chars) for f in part]


def scan_parts(
    scan: Scanner, text: str, fmt: Format = "text", *, block_chars: int | None = None
) -> Iterator[list[Finding]]:
    """`scan_document`'s findings a block at a time (plain text; Markdown and HTML come as one part)."""
    if fmt == "text":
        for block in text_blocks(text, block_chars):
            yield scan_block(scan, block)
        return
    from repair.edge.markup import read

    doc = read(text, fmt)
    found: list[Finding] = []
    for block in text_blocks(doc.text, block_chars):
        found += _shifted(block, scan(block.text))
    yield unsuppressed(text, _placed(doc, found))


def scan_block(scan: Scanner, block: Block) -> list[Finding]:
    """The findings of one block of a plain text, placed in the whole text (offsets, line, column, context)."""
    findings = unsuppressed(block.text, scan(block.text), block.silenced)
    return findings if block.whole else place(block, findings)


def place(block: Block, findings: Sequence[Finding]) -> list[Finding]:
    """Findings of a block's text as findings of the whole text: offsets, line, column and context shifted."""
    text, base, size = block.text, block.start, len(block.text)
    out = []
    for f in findings:
        start, end = f.start, f.end
        before = text[start - CONTEXT_CHARS : start] if start >= CONTEXT_CHARS else (block.before + text[:start])
        after = text[end : end + CONTEXT_CHARS] if size - end >= CONTEXT_CHARS else (text[end:] + block.after)
        out.append(
            replace(
                f,
                start=start + base,
                end=end + base,
                line=f.line + block.line - 1,
                column=f.column + block.column if f.line == 1 else f.column,
                before=before[-CONTEXT_CHARS:],
                after=after[:CONTEXT_CHARS],
            )
        )
    return out


def _shifted(block: Block, findings: Sequence[Finding]) -> list[Finding]:
    """Offsets of a block's findings in the whole text (the rest is worked out again from the file: `_placed`)."""
    if not block.start:
        return list(findings)
    return [replace(f, start=f.start + block.start, end=f.end + block.start) for f in findings]


def _placed(doc: ProseDocument, findings: Sequence[Finding]) -> list[Finding]:
    from repair.edge.markup import EditRefused

    source = doc.source
    line_starts = _line_starts(source) if findings else [0]
    out = []
    for f in findings:
        try:
            start, end = doc.locate(f.start, f.end)
        except EditRefused as exc:
            start, end = doc.source_span(f.start, f.end)
            reason = f"{f.reason}; not fixed in place: {exc}" if f.reason else f"not fixed in place: {exc}"
            f = replace(f, safety=Safety.FLAG, reason=reason)
        else:
            suggestions = tuple(doc.escape(s) for s in f.suggestions)
            if has_odd_whitespace(source[start:end]):  # the file's own line breaks (CRLF), not the view's
                suggestions = carry_span_whitespace(source, start, end, suggestions)
            f = replace(f, suggestions=tuple(dict.fromkeys(suggestions)))
        line = bisect.bisect_right(line_starts, start)
        out.append(
            replace(
                f,
                start=start,
                end=end,
                spun=source[start:end],
                line=line,
                column=start - line_starts[line - 1] + 1,
                before=source[max(0, start - CONTEXT_CHARS) : start],
                after=source[end : end + CONTEXT_CHARS],
            )
        )
    return out


def _line_starts(text: str) -> list[int]:
    starts = [0]
    at = text.find("\n")
    while at != -1:
        starts.append(at + 1)
        at = text.find("\n", at + 1)
    return starts
