"""`repair eval`'s report as text: a table per pair and micro-averages, misses and wrong edits, calibration."""

from __future__ import annotations

from collections.abc import Sequence

from repair.tools.evaluate import CleanResult, PairResult, Report, calibration, clean_totals, snippet, totals


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _pct(value: object) -> str:
    return "-" if value is None else f"{float(value):.3f}"  # type: ignore[arg-type]


def table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> list[str]:
    """A plain aligned table: first column left, the rest right."""
    cells = [[str(c) for c in header], *[[str(c) for c in r] for r in rows]]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]

    def line(row: Sequence[str]) -> str:
        return "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True)))

    return [line(cells[0]), "  ".join("-" * w for w in widths), *(line(r) for r in cells[1:])]


def _pair_row(label: str, f: dict[str, object]) -> list[object]:
    return [
        label,
        f["words"],
        f["gold"],
        f["edits"],
        f["unjudged"],
        f["restored"],
        f["right"],
        f["wrong"],
        _pct(f["recall"]),
        _pct(f["precision"]),
        f"{float(f['edits_per_1000_words']):.1f}",  # type: ignore[arg-type]
    ]


PAIR_HEADER = (
    "pair",
    "words",
    "gold",
    "edits",
    "unjudged",
    "restored",
    "right",
    "wrong",
    "recall",
    "precision",
    "edits/1k",
)


def render_pair(result: PairResult) -> list[str]:
    f = totals([result])
    lines = [
        f"pair {result.name}",
        f"  gold edits   {f['gold']}",
        f"  edits made   {f['edits']}  ({f['unjudged']} outside the aligned text, not judged)",
        f"  restored     {f['restored']}",
        f"  right edits  {f['right']}",
        f"  recall       {_pct(f['recall'])}",
        f"  precision    {_pct(f['precision'])}",
        f"  wrong edits  {f['wrong']}",  # "false fixes" are edits on clean text only
    ]
    lines.extend(render_details(result))
    return lines


def render_details(result: PairResult) -> list[str]:
    text = result.text
    lines = []
    if result.misses:
        lines.append(f"  misses ({len(result.misses)}):")
        for m in result.misses:
            g = m.gold
            lines.append(f"    {_line_of(text, g.start)}: {snippet(text, g.start, g.end, g.original)}  {m.why}")
    wrong = [v for v in result.verdicts if v.status == "wrong"]
    if wrong:
        lines.append(f"  wrong edits ({len(wrong)}):")
        for v in wrong:
            f = v.finding
            lines.append(
                f"    {_line_of(text, f.start)}: {snippet(text, f.start, f.end, f.replacement)}"
                f"  expected {v.expected!r}, confidence {f.confidence:.2f}, rule {f.rule}"
            )
    return lines


def render_clean(results: Sequence[CleanResult], details: bool) -> list[str]:
    lines = []
    for c in results:
        lines.append(f"clean {c.name}: {c.words} words, {len(c.edits)} false fixes, {c.per_1000:.2f} per 1,000 words")
        if details:
            for f in c.edits:
                lines.append(
                    f"    {_line_of(c.text, f.start)}: {snippet(c.text, f.start, f.end, f.replacement)}"
                    f"  confidence {f.confidence:.2f}, rule {f.rule}"
                )
    return lines


def render_text(report: Report, *, details: bool) -> str:
    sel = report.selection
    lines = [
        f"repair eval: wordlists {', '.join(report.wordlists) or '-'}; "
        f"applies {sel.safety.value} fixes with confidence >= {sel.threshold:.2f}",
        "",
    ]
    if len(report.pairs) == 1 and not report.pairs[0].group:
        lines.extend(render_pair(report.pairs[0]))
        lines.append("")
    elif report.pairs:
        grouped = any(p.group for p in report.pairs)
        rows = [_pair_row(f"{p.name} ({p.group})" if grouped else p.name, totals([p])) for p in report.pairs]
        rows += [_pair_row(f"micro: {g} ({len(ps)} pairs)", totals(ps)) for g, ps in report.groups().items()]
        lines.extend(table(PAIR_HEADER, rows))
        lines.append("")
        if details:
            for p in report.pairs:
                if p.misses or p.count("wrong"):
                    lines.append(f"pair {p.name}")
                    lines.extend(render_details(p))
            lines.append("")
    if report.clean:
        if details or len(report.clean) == 1 or len(report.pairs) <= 1:
            lines.extend(render_clean(report.clean, details))
        if len(report.clean) > 1:
            c = clean_totals(report.clean)
            lines.append(
                f"clean text (originals and --clean files): {c['texts']} texts, {c['words']} words, "
                f"{c['false_fixes']} false fixes, "
                f"{float(c['per_1000_words']):.2f} per 1,000 words"  # type: ignore[arg-type]
            )
        lines.append("")
    buckets = calibration(report.pairs, report.clean)
    if len(report.pairs) > 1 and buckets:
        lines.append("calibration (our judged edits, and edits on clean text, by confidence)")
        lines.extend(
            table(
                ("confidence", "edits", "right", "share right"),
                [(f"{b.low:.1f}-{b.high:.1f}", b.edits, b.right, _pct(b.share)) for b in buckets],
            )
        )
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def broad_topic(noted: str) -> str:
    """A pair's noted topic ("retail / bankruptcy: Party City files ...") as its broad field ("retail")."""
    field = noted.split(":", 1)[0].split("/", 1)[0].strip()
    return field or "(no topic noted)"


def render_loso(report: Report, stories: dict[str, str], topics: dict[str, str]) -> str:
    """Leave-one-story-out results: per story, per topic, per spinner family, clean text and calibration.

    `stories` and `topics` map a pair's name to its story and topic.
    """
    out = ["repair eval --loso: each story held out in turn; the learned list and the model never saw it", ""]
    by_story: dict[str, list[PairResult]] = {}
    by_topic: dict[str, list[PairResult]] = {}
    for p in report.pairs:
        if p.group == "target":
            by_story.setdefault(stories.get(p.name, p.name), []).append(p)
            by_topic.setdefault(broad_topic(topics.get(p.name, "")), []).append(p)
    for title, grouped in (("story (target family)", by_story), ("topic (target family)", by_topic)):
        rows = [
            [name[:60], f["pairs"], f["gold"], f["restored"], f["wrong"], _pct(f["recall"]), _pct(f["precision"])]
            for name, ps in sorted(grouped.items())
            for f in [totals(ps)]
        ]
        out += [*table((title, "pairs", "gold", "restored", "wrong", "recall", "precision"), rows), ""]
    families = report.groups()
    rows = [
        [family, f["pairs"], f["gold"], f["restored"], f["right"], f["wrong"], _pct(f["recall"]), _pct(f["precision"])]
        for family, ps in sorted(families.items())
        for f in [totals(ps)]
    ]
    out += table(("spinner family", "pairs", "gold", "restored", "right", "wrong", "recall", "precision"), rows)
    c = clean_totals(report.clean)
    out += [
        "",
        f"clean text (the originals of held-out stories): {c['texts']} texts, {c['words']} words, "
        f"{c['false_fixes']} false fixes, {float(c['per_1000_words']):.2f} per 1,000 words",  # type: ignore[arg-type]
        "",
        "calibration on held-out stories (judged edits of every family, and edits on clean text)",
    ]
    out += table(
        ("confidence", "edits", "right", "share right"),
        [
            [f"{b.low:.1f}-{b.high:.1f}", b.edits, b.right, _pct(b.share)]
            for b in calibration(report.pairs, report.clean)
        ],
    )
    return "\n".join(out) + "\n"
