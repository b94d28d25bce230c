"""repair report: the page's content, its escaping, and how it renders in a real headless Chromium."""

from __future__ import annotations

import html
import os
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from repair.cli import ExitCode
from repair.cli.report_html import ReportDocument, density_svg, render_report, spin_score
from repair.core.model import Finding, Safety

from .helpers import DOC, run

SPUN = (
    "The go back of the our bodies of squaddies killed in motion.\n"
    "A 3rd spherical of talks since negotiations resumed in Would possibly.\n"
    "<script>alert('x')</script> & </pre><b>not bold</b> \"quoted\"\n"
)


def findings_for(text: str, items: list[tuple[str, str, float, str]]) -> list[Finding]:
    out = []
    for spun, suggestion, confidence, safety in items:
        start = text.index(spun)
        out.append(
            Finding(
                start,
                start + len(spun),
                spun,
                (suggestion,),
                confidence,
                Safety(safety),
                f"swap <{spun}>",
                f"news:{spun}",
            )
        )
    return out


FINDINGS = findings_for(
    SPUN,
    [
        ("go back", "return", 0.97, "auto"),
        ("our bodies", "bodies", 0.55, "choose"),
        ("squaddies", "soldiers", 0.99, "auto"),
        ("motion", "action", 0.35, "choose"),
        ("3rd", "third", 0.9, "auto"),
        ("spherical", "round", 0.95, "auto"),
        ("Would possibly", "May", 0.8, "auto"),
        ("alert", "notice", 0.05, "flag"),
    ],
)
DOCS = [
    ReportDocument("spun <one>.txt", SPUN, FINDINGS),
    ReportDocument("clean.txt", "Nothing spun here at all.\n", []),
]


def test_every_finding_is_one_highlight_with_its_details() -> None:
    page = render_report(DOCS)
    assert len(re.findall(r'<mark id="d0-f\d+" class="f ', page)) == len(FINDINGS)
    assert 'data-tip="go back → return\nconfidence 0.97 · auto · news:go back\nswap &lt;go back&gt;"' in page
    assert "2 documents · 8 findings" in page
    assert "<svg" in page and page.count('<a href="#d0-f') == len(FINDINGS)


def test_everything_from_the_documents_is_escaped() -> None:
    page = render_report(DOCS)
    assert page.count("<script>") == 1  # the page's own
    assert "&lt;script&gt;<mark" in page and "&lt;/pre&gt;&lt;b&gt;not bold&lt;/b&gt;" in page
    assert "spun &lt;one&gt;.txt" in page and "<one>" not in page


def test_page_is_self_contained_and_small() -> None:
    page = render_report(DOCS)
    assert not re.search(r"""(?:src|href)=["']?(?:https?:)?//""", page)
    assert "@import" not in page and "url(" not in page
    assert len(page.encode()) < 20_000


def test_overlapping_findings_are_still_one_element_each() -> None:
    text = "in opposition to it"
    both = findings_for(text, [("in opposition to", "against", 0.9, "auto"), ("opposition", "resistance", 0.4, "flag")])
    page = render_report([ReportDocument("x.txt", text, both)])
    assert len(re.findall(r'class="f ', page)) == 2 and 'data-overlap="1"' in page


def test_spin_score_and_density_plot() -> None:
    assert spin_score("one two three four", findings_for("one two three four", [("two", "2", 0.5, "auto")])) == 125.0
    svg = density_svg("d0", SPUN, FINDINGS)
    assert svg.count("<line") == len(FINDINGS) + 1  # a tick per finding and the axis
    assert density_svg("d0", "", []).startswith("<svg")


# --- in a real browser ------------------------------------------------------------------


def chromium() -> str:
    """Debian's chromium; CI (CI or REPAIR_REQUIRE_BROWSER set) must have it, so there its absence fails."""
    exe = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not exe:
        required = any(
            os.environ.get(v, "").lower() not in ("", "0", "false") for v in ("CI", "REPAIR_REQUIRE_BROWSER")
        )
        if required:
            pytest.fail("chromium is required here (CI or REPAIR_REQUIRE_BROWSER is set): apt-get install -y chromium")
        pytest.skip("chromium is not installed (apt-get install -y chromium)")
    return exe


def run_chromium(exe: str, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
    ]
    return subprocess.run([exe, *flags, *args], capture_output=True, text=True, timeout=120, check=True)


def decode_png(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and RGB(A) rows of an 8-bit truecolour PNG (what Chromium writes)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and colour in (2, 6)
            bpp = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows: list[bytes] = []
    prev = bytearray(stride)
    for y in range(height):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 0xFF
            elif f == 2:
                line[i] = (line[i] + b) & 0xFF
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 0xFF
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        rows.append(bytes(line) if bpp == 3 else bytes(x for k, x in enumerate(line) if k % 4 != 3))
        prev = line
    return width, height, rows


@pytest.mark.slow
def test_report_renders_in_headless_chromium(tmp_path: Path) -> None:
    exe = chromium()
    page = tmp_path / "report.html"
    page.write_text(render_report(DOCS), encoding="utf-8")
    url = page.as_uri()

    dom = run_chromium(exe, tmp_path / "profile-dom", "--dump-dom", url).stdout
    assert f'data-findings="{len(FINDINGS)}"' in dom  # the page's script ran and counted the highlights
    assert len(re.findall(r'<mark [^>]*class="f ', dom)) == len(FINDINGS)
    assert len(re.findall(r"<script\b", dom)) == 1  # the document's <script> stayed text
    unmarked = re.sub(r"</?mark[^>]*>", "", dom)
    assert html.escape("<script>alert('x')</script>", quote=False) in unmarked
    assert "<b>not bold</b>" not in dom

    shot = tmp_path / "report.png"
    run_chromium(exe, tmp_path / "profile-shot", f"--screenshot={shot}", "--window-size=1000,700", url)
    width, height, rows = decode_png(shot.read_bytes())
    assert (width, height) == (1000, 700)
    pixels = [row[i : i + 3] for row in rows[::2] for i in range(0, len(row), 6)]
    assert len(set(pixels)) > 50  # not blank
    # The most confident highlights are drawn in the scale's red (hsl(0 95% 70%) ~ rgb(250,110,110)).
    reds = sum(1 for p in pixels if p[0] > 235 and 90 < p[1] < 135 and 90 < p[2] < 135)
    assert reds > 100
    if out := os.environ.get("REPAIR_ARTIFACTS"):
        Path(out).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(out) / "report.png")
        shutil.copy(page, Path(out) / "report.html")


def test_repair_report_writes_one_page_for_every_document(
    capsys: pytest.CaptureFixture[str], wl: Path, tmp_path: Path
) -> None:
    Path("a.txt").write_text(DOC, encoding="utf-8")
    Path("b.md").write_text("# Title\n\nThe squaddies left, see `squaddies --help`.\n", encoding="utf-8")
    Path("clean.txt").write_text("Nothing here.\n", encoding="utf-8")
    result = run(capsys, "report", "a.txt", "b.md", "clean.txt", "--wordlist", str(wl), "-o", "report.html", "--all")
    assert result.code == ExitCode.OK
    assert result.err_lines == ["repair: 3 documents, 6 findings -> report.html"]
    page = Path("report.html").read_text(encoding="utf-8")
    assert page.count("<section ") == 3 and page.count('class="density"') == 3
    assert len(re.findall(r'<mark id="d1-f\d+"', page)) == 1  # the Markdown's code is not a finding
    assert "<code>" not in page and "`squaddies --help`" in page
    again = run(capsys, "report", "a.txt", "--wordlist", str(wl), "-o", "report.html")
    assert again.code == ExitCode.ERROR and "already exists" in again.err
    assert run(capsys, "report", "a.txt", "--wordlist", str(wl), "-o", "report.html", "--force").code == ExitCode.OK


@pytest.mark.parametrize("variable", ["CI", "REPAIR_REQUIRE_BROWSER"])
def test_a_missing_browser_fails_under_ci_and_skips_elsewhere(monkeypatch: pytest.MonkeyPatch, variable: str) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    for name in ("CHROMIUM", "CI", "REPAIR_REQUIRE_BROWSER"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(pytest.skip.Exception):
        chromium()
    monkeypatch.setenv(variable, "1")
    with pytest.raises(pytest.fail.Exception, match="chromium is required here"):
        chromium()
