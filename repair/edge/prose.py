"""Scanning a file's prose: markup and code left alone, findings placed in the file, inline suppression.

`scan_document` is what every front end scans a file with (`repair check`, `fix`,
`report`, `review`, `repair.scan_file`), so they agree on what is a finding:

- plain text is scanned as it is, and a finding that touches a URL, an e-mail address,
  a handle, a hashtag, `code` or a path (`markup.protected_spans`) is dropped;
- Markdown and HTML are scanned as their prose view (`repair.edge.markup`); each finding
  is placed back in the file, its suggestions escaped for the format. A finding whose
  edit would touch markup (a phrase across `<em>`, a link, a block boundary) is kept as
  `flag` with the reason, so it is shown but never applied;
- findings on a `repair: ignore` line or in a `repair: off` region are dropped
  (`repair.edge.reporting`).

The findings' offsets, line, column, `spun` and context are the file's, so fixing is
`apply_edits` on the file's text as for plain text.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Literal

from repair.core.model import CONTEXT_CHARS, Finding, Safety
from repair.core.text import carry_span_whitespace, has_odd_whitespace
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


__all__ = ["Format", "Scanner", "format_for", "scan_document"]


def scan_document(scan: Scanner, text: str, fmt: Format = "text") -> list[Finding]:
    """The findings of `text` read as `fmt`, in the text's own offsets, suppressions applied."""
    if fmt == "text":
        findings = _outside_protected(text, scan(text))
    else:
        from repair.edge.markup import read

        doc = read(text, fmt)
        findings = _placed(doc, scan(doc.text))
    return unsuppressed(text, findings)


def _outside_protected(text: str, findings: Sequence[Finding]) -> list[Finding]:
    if not findings:
        return []
    from repair.edge.markup import protected_spans

    spans = protected_spans(text)
    if not spans:
        return list(findings)
    starts = [s.start for s in spans]
    kept = []
    for f in findings:
        k = bisect.bisect_left(starts, f.end) - 1  # the last protected span starting before the finding ends
        if k < 0 or spans[k].end <= f.start:
            kept.append(f)
    return kept


def _placed(doc: ProseDocument, findings: Sequence[Finding]) -> list[Finding]:
    from repair.edge.markup import EditRefused

    source = doc.source
    line_starts = [0, *(i + 1 for i, ch in enumerate(source) if ch == "\n")] if findings else [0]
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
