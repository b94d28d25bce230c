"""`repair report PATH... -o report.html`: one self-contained page to look at.

Per document: its text with every finding highlighted (colour by confidence, underline
by safety), the suggestions and reason on hover, focus or click (click pins, Esc
unpins), the spin score, and an inline SVG of spin density along the text whose ticks
link to the findings. No external resources; everything from the documents is escaped.
Every finding is exactly one element with class "f" (overlapping ones show as a badge).
"""

from __future__ import annotations

import argparse
import html
import math
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from repair.cli.common import ExitCode, globs, jobs_for, report_threshold, require_paths, scan_options, walk_sources
from repair.cli.formats import worded_reason
from repair.cli.report import plural, progress, report_problem, write_stdout
from repair.core.model import Finding, Safety
from repair.edge.batch import scan_all
from repair.edge.documents import InputError, atomic_write_bytes

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


@dataclass(frozen=True, slots=True)
class ReportDocument:
    path: str
    text: str  # the file as read; the findings' offsets index it
    findings: Sequence[Finding]
    score: float | None = None  # spin score; None: confidence-weighted findings per 1,000 words


def spin_score(text: str, findings: Sequence[Finding]) -> float:
    words = len(_WORD.findall(text))
    return 1000.0 * sum(f.confidence for f in findings) / max(words, 1)


def _colour(confidence: float, dark: bool = False) -> str:
    c = min(1.0, max(0.0, confidence))
    if dark:
        return f"hsl({45 - 45 * c:.0f} 85% {55 - 10 * c:.0f}%)"
    return f"hsl({50 - 50 * c:.0f} 95% {88 - 18 * c:.0f}%)"


def _tip(f: Finding) -> str:
    suggestions = " / ".join(f.suggestions) or "(none)"
    details = f"confidence {f.confidence:.2f} · {f.safety.value} · {f.rule}"
    return f"{f.spun} → {suggestions}\n{details}\n{worded_reason(f.reason)}"


def _marked_text(doc_id: str, text: str, findings: Sequence[Finding]) -> str:
    out: list[str] = []
    cursor = 0
    for k, f in enumerate(sorted(findings, key=lambda f: (f.start, -f.end))):
        attrs = (
            f'id="{doc_id}-f{k}" class="f s-{f.safety.value}" tabindex="0" style="--bg:{_colour(f.confidence)}" '
            f'data-tip="{html.escape(_tip(f))}" data-confidence="{f.confidence:.2f}"'
        )
        if f.start < cursor:  # overlaps the previous one: a badge, so every finding is one element
            out.append(f'<span {attrs} data-overlap="1">+</span>')
            continue
        out.append(html.escape(text[cursor : f.start]))
        out.append(f"<mark {attrs}>{html.escape(text[f.start : f.end])}</mark>")
        cursor = f.end
    out.append(html.escape(text[cursor:]))
    return "".join(out)


def density_svg(doc_id: str, text: str, findings: Sequence[Finding], height: int = 56) -> str:
    """Confidence-weighted findings per 1,000 words along the text, smoothed; ticks link to findings.

    Drawn in a 1000-wide box stretched to the page width (strokes do not scale).
    """
    width, bins = 1000, 60
    n = max(len(text), 1)
    weight = [0.0] * bins
    words = [0] * bins
    for m in _WORD.finditer(text):
        words[min(bins - 1, m.start() * bins // n)] += 1
    for f in findings:
        weight[min(bins - 1, f.start * bins // n)] += f.confidence
    kernel = (0.25, 0.5, 0.25)
    smooth = [
        sum(kernel[d + 1] * weight[i + d] for d in (-1, 0, 1) if 0 <= i + d < bins)
        / max(sum(kernel[d + 1] * words[i + d] for d in (-1, 0, 1) if 0 <= i + d < bins), 1)
        * 1000
        for i in range(bins)
    ]
    top = max(max(smooth), 1e-9)
    base = height - 14
    step = width / (bins - 1)
    points = " ".join(f"{i * step:.1f},{base - (v / top) * (base - 4):.1f}" for i, v in enumerate(smooth))
    ticks = "".join(
        f'<a href="#{doc_id}-f{k}"><line x1="{x:.1f}" x2="{x:.1f}" y1="{base + 2}" y2="{height - 1}" '
        f'stroke="{_colour(f.confidence, dark=True)}" stroke-width="3"><title>{html.escape(f.spun)} '
        f"({f.confidence:.2f})</title></line></a>"
        for k, f in enumerate(sorted(findings, key=lambda f: (f.start, -f.end)))
        for x in [f.start / n * width]
    )
    return (
        f'<svg class="density" viewBox="0 0 {width} {height}" preserveAspectRatio="none" width="100%" '
        f'height="{height}" role="img" aria-label="spin density along the document">'
        f'<polygon points="0,{base} {points} {width},{base}" class="area"/>'
        f'<polyline points="{points}" class="line"/>'
        f'<line x1="0" x2="{width}" y1="{base}" y2="{base}" class="axis"/>{ticks}</svg>'
    )


def _peak(text: str, findings: Sequence[Finding]) -> str:
    if not findings:
        return "no findings"
    return f"{len(findings)} finding{'s' if len(findings) != 1 else ''} along the text (ticks link to them)"


_CSS = """
:root{color-scheme:light;--ink:#1d2330;--muted:#5b6475;--line:#dde2ea;--card:#fff;--page:#f4f6f9}
*{box-sizing:border-box}
body{margin:0;background:var(--page);color:var(--ink);font:15px/1.55 system-ui,-apple-system,"Segoe UI",
Roboto,"DejaVu Sans",sans-serif}
header{padding:20px 32px 12px;background:#1d2330;color:#fff}
header h1{margin:0 0 4px;font-size:20px;font-weight:650}
header p{margin:0;color:#c5ccd8;font-size:13px}
.legend{display:flex;align-items:center;gap:8px;margin-top:10px;font-size:12px;color:#c5ccd8}
.scale{width:160px;height:10px;border-radius:5px;background:linear-gradient(90deg,hsl(50 95% 88%),
hsl(25 95% 79%),hsl(0 95% 70%))}
.key{display:inline-block;width:26px;border-bottom:2px solid #c5ccd8}
.key.choose{border-bottom-style:dashed}.key.flag{border-bottom-style:dotted}
nav{padding:10px 32px;font-size:13px;border-bottom:1px solid var(--line);background:#fff}
nav a{margin-right:14px;color:#2456c7;text-decoration:none}
main{max-width:980px;margin:0 auto;padding:20px 24px 60px}
section{background:var(--card);border:1px solid var(--line);border-radius:10px;margin:0 0 22px;
box-shadow:0 1px 2px rgb(0 0 0/.04)}
.head{display:flex;gap:18px;align-items:flex-start;justify-content:space-between;padding:14px 18px 8px}
.head h2{margin:0;font-size:15px;font-weight:600;word-break:break-all}
.counts{color:var(--muted);font-size:12.5px;margin-top:2px}
.score{text-align:right;white-space:nowrap}
.score b{display:block;font-size:26px;line-height:1.1;font-weight:700}
.score span{font-size:11.5px;color:var(--muted)}
.plot{padding:0 18px 6px}.plot .label{font-size:11.5px;color:var(--muted);margin-bottom:2px}
.density{display:block;overflow:visible}.density line{vector-effect:non-scaling-stroke}
.density polyline,.density polygon{vector-effect:non-scaling-stroke}
.density .area{fill:hsl(8 85% 60%/.16)}.density .line{fill:none;stroke:hsl(8 75% 50%);stroke-width:1.5}
.density .axis{stroke:#c9d0db}
.text{white-space:pre-wrap;overflow-wrap:anywhere;padding:12px 18px 20px;margin:0;font:16px/1.65 Georgia,
"DejaVu Serif",serif;border-top:1px solid var(--line)}
.f{position:relative;background:var(--bg);color:inherit;border-radius:3px;padding:0 1px;cursor:pointer;
border-bottom:2px solid hsl(0 55% 38%/.75);outline:none}
.f.s-choose{border-bottom-style:dashed}.f.s-flag{border-bottom-style:dotted}
.f[data-overlap]{font-size:11px;vertical-align:super;padding:0 3px}
.f:hover::after,.f:focus::after,.f:target::after,.f.pinned::after{content:attr(data-tip);position:absolute;
left:0;top:100%;z-index:10;margin-top:5px;width:max-content;max-width:380px;white-space:pre-wrap;background:#1d2330;color:#fff;
font:12.5px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;padding:7px 10px;
border-radius:6px;box-shadow:0 4px 14px rgb(0 0 0/.25)}
.f.pinned,.f:target{box-shadow:0 0 0 2px #2456c7}
.empty{color:var(--muted);font-style:italic}
"""

_JS = """
document.addEventListener('click',e=>{const f=e.target.closest('.f');if(f){f.classList.toggle('pinned');}});
document.addEventListener('keydown',e=>{if(e.key==='Escape'){document.querySelectorAll('.f.pinned')
.forEach(f=>f.classList.remove('pinned'));}if(e.key==='Enter'&&e.target.classList.contains('f')){
e.target.classList.toggle('pinned');}});
document.body.dataset.findings=String(document.querySelectorAll('.f').length);
"""


def render_report(docs: Sequence[ReportDocument], *, title: str = "repair report") -> str:
    """The whole page as one string."""
    total = sum(len(d.findings) for d in docs)
    sections, links = [], []
    for i, d in enumerate(docs):
        doc_id = f"d{i}"
        score = d.score if d.score is not None else spin_score(d.text, d.findings)
        by = {s: sum(1 for f in d.findings if f.safety.value == s) for s in ("auto", "choose", "flag")}
        words = len(_WORD.findall(d.text))
        rough = " · short text: the density is rough" if words < 300 else ""
        n = len(d.findings)
        counts = (
            f"{n} finding{'' if n == 1 else 's'} ({by['auto']} auto, {by['choose']} choose, {by['flag']} flag)"
            f" · {words:,} words{rough}"
        )
        links.append(f'<a href="#{doc_id}">{html.escape(d.path)} <small>({_fmt(score)})</small></a>')
        body = _marked_text(doc_id, d.text, d.findings) if d.text else '<span class="empty">(empty)</span>'
        sections.append(
            f'<section id="{doc_id}"><div class="head"><div><h2>{html.escape(d.path)}</h2>'
            f'<div class="counts">{counts}</div></div><div class="score"><b>{_fmt(score)}</b>'
            f"<span>spin score: confidence-weighted<br>findings per 1,000 words</span></div></div>"
            f'<div class="plot"><div class="label">spin density along the text · {_peak(d.text, d.findings)}</div>'
            f'{density_svg(doc_id, d.text, d.findings)}</div><pre class="text">{body}</pre></section>'
        )
    nav = f"<nav>{''.join(links)}</nav>" if len(docs) > 1 else ""
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>"
        f"<header><h1>{html.escape(title)}</h1><p>{len(docs)} documents · {total} findings · "
        "hover, focus or click a highlight for the original wording</p>"
        '<div class="legend">confidence <span>low</span><span class="scale"></span><span>high</span>'
        ' &nbsp; <span class="key"></span> auto <span class="key choose"></span> choose'
        ' <span class="key flag"></span> flag</div></header>'
        f"{nav}<main>{''.join(sections)}</main><script>{_JS}</script></body></html>\n"
    )


def _fmt(score: float) -> str:
    return "0" if score == 0 else f"{score:.1f}" if score < 100 else f"{math.floor(score):,}"


# ---------------------------------------------------------------- the command


def run(args: argparse.Namespace) -> int:
    """Scan the inputs as check does and write one page; exit 0 when written, 2 on any error."""
    require_paths(args)
    if args.output != "-" and Path(args.output).exists() and not args.force:
        raise InputError(f"{args.output}: already exists (use --force to overwrite)")
    options = scan_options(args, keep_document=True)
    shown_classes = {s for s in Safety if s.rank <= Safety(args.safety).rank}
    threshold = report_threshold(args)
    sources = walk_sources(args, globs(args))
    docs: list[ReportDocument] = []
    errors = 0
    results = scan_all(sources, options, jobs=jobs_for(args, sources, options), tune_gc=True)
    for result in progress(results, len(sources), args.quiet):
        if report_problem(result):
            errors += result.error is not None
            continue
        assert result.document is not None  # keep_document=True
        shown = [f for f in result.findings if f.safety in shown_classes and f.confidence >= threshold]
        docs.append(ReportDocument(result.source.label, result.document.text, shown))
    if errors:
        return ExitCode.ERROR
    page = render_report(docs, title=args.title).encode("utf-8")
    if args.output == "-":
        write_stdout(page)
    else:
        atomic_write_bytes(args.output, page)
    if not args.quiet:
        total = sum(len(d.findings) for d in docs)
        where = "stdout" if args.output == "-" else args.output
        print(f"repair: {plural(len(docs), 'document')}, {plural(total, 'finding')} -> {where}", file=sys.stderr)
    return ExitCode.OK
