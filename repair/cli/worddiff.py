"""Diffs of a fix (`repair fix --diff`): unified (line-based) or words (`--diff-format unified|words`).

In the words format each hunk shows its lines once, with the changed words marked
`[-old-]{+new+}` (plain) or in red and green (colour, as git's --word-diff=color), and
long unchanged stretches inside a changed line cut to a few words each side (`…`), so one
changed word in a 400-character paragraph shows as one short line.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Sequence
from typing import Literal

DiffFormat = Literal["unified", "words"]
RED, GREEN, CYAN, BOLD, RESET = "\x1b[31m", "\x1b[32m", "\x1b[36m", "\x1b[1m", "\x1b[0m"
_TOKEN = re.compile(r"\s+|[^\W_]+(?:['’][^\W_]+)*|.", re.DOTALL)


def render_diff(
    old: str,
    new: str,
    *,
    diff_format: DiffFormat = "words",
    color: bool = False,
    fromfile: str = "a",
    tofile: str = "b",
    context: int = 3,
    line_context: int | None = 8,
) -> str:
    """The diff of `old` to `new` as text ('' when they are equal)."""
    if old == new:
        return ""
    a, b = old.splitlines(keepends=True), new.splitlines(keepends=True)
    if diff_format == "unified":
        return "".join(_unified(a, b, color, fromfile, tofile, context))
    return "".join(_words(a, b, color, fromfile, tofile, context, line_context))


def _paint(text: str, code: str, color: bool) -> str:
    return f"{code}{text}{RESET}" if color and text else text


def _unified(a: list[str], b: list[str], color: bool, fromfile: str, tofile: str, n: int) -> Iterator[str]:
    for line in difflib.unified_diff(a, b, fromfile, tofile, n=n):
        body = line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
        if not color:
            yield body
        elif line.startswith(("---", "+++")):
            yield _paint(body.rstrip("\n"), BOLD, color) + "\n"
        else:
            code = {"@": CYAN, "-": RED, "+": GREEN}.get(line[:1], "")
            yield _paint(body.rstrip("\n"), code, bool(code)) + "\n"


def _words(
    a: list[str], b: list[str], color: bool, fromfile: str, tofile: str, n: int, line_context: int | None
) -> Iterator[str]:
    yield _paint(f"--- {fromfile}", BOLD, color) + "\n"
    yield _paint(f"+++ {tofile}", BOLD, color) + "\n"
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for group in matcher.get_grouped_opcodes(n):
        i1, i2, j1, j2 = group[0][1], group[-1][2], group[0][3], group[-1][4]
        yield _paint(f"@@ -{_range(i1, i2)} +{_range(j1, j2)} @@", CYAN, color) + "\n"
        for tag, x1, x2, y1, y2 in group:
            if tag == "equal":
                yield from a[x1:x2]
            else:
                yield _merge("".join(a[x1:x2]), "".join(b[y1:y2]), color, line_context)
        if not (a[i2 - 1] if i2 else "\n").endswith("\n") or not (b[j2 - 1] if j2 else "\n").endswith("\n"):
            yield "\n"


def _range(start: int, stop: int) -> str:
    length = stop - start
    first = start + 1 if length else start
    return f"{first}" if length == 1 else f"{first},{length}"


def _merge(old: str, new: str, color: bool, line_context: int | None) -> str:
    """Old and new text as one, the changed tokens marked."""
    x, y = _TOKEN.findall(old), _TOKEN.findall(new)
    ops = difflib.SequenceMatcher(None, x, y, autojunk=False).get_opcodes()
    out: list[str] = []
    for k, (tag, x1, x2, y1, y2) in enumerate(ops):
        if tag == "equal":
            out.append(_elide(x[x1:x2], k > 0, k < len(ops) - 1, line_context))
            continue
        removed, added = "".join(x[x1:x2]), "".join(y[y1:y2])
        out.append(_mark(removed, "-", color) + _mark(added, "+", color))
    return "".join(out)


def _mark(text: str, sign: str, color: bool) -> str:
    """Changed text marked line by line, so no marker or colour spans a line break."""
    if not text:
        return ""
    code, (left, right) = (RED, ("[-", "-]")) if sign == "-" else (GREEN, ("{+", "+}"))
    parts = text.split("\n")
    marked = [_paint(p, code, True) if color else f"{left}{p}{right}" if p else "" for p in parts[:-1]]
    last = parts[-1]
    if last:
        marked.append(_paint(last, code, True) if color else f"{left}{last}{right}")
    else:
        marked.append("")
    return "\n".join(marked)


def _elide(tokens: Sequence[str], after_change: bool, before_change: bool, keep: int | None) -> str:
    """An unchanged stretch, cut in the middle when long (never across a line break)."""
    text = "".join(tokens)
    ending = "\n" if text.endswith("\n") else ""
    body = list(tokens)
    if ending:
        body[-1] = body[-1][:-1]
    if keep is None or "\n" in "".join(body):
        return text
    words = [i for i, t in enumerate(body) if t and not t.isspace()]
    head = keep if after_change else 0
    tail = keep if before_change else 0
    if len(words) <= head + tail + 2:
        return text
    left = "".join(body[: words[head - 1] + 1]) if head else ""
    right = "".join(body[words[len(words) - tail] :]) if tail else ""
    if left and right:
        return f"{left} … {right}{ending}"
    return (f"{left} …" if left else f"… {right}") + ending
