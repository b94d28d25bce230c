"""Markdown and HTML files through check and fix: prose fixed in place, markup, code and URLs byte for byte."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from repair.cli import ExitCode

from .helpers import _json_findings, run

MARKDOWN = """\
---
title: squaddies in the news
---

# The squaddies came home

The squaddies argued [in opposition to](https://example.com/squaddies-in-opposition-to) the plan,
and *in opposition* to the report. Run `squaddies --help` for more, or see
<https://example.org/squaddies>, www.squaddies.co.uk and squaddies@example.com.

```
squaddies helps to keep the build green
```

    indented squaddies code

> The squaddies said it helps to keep morale up.

| who | what |
|-----|------|
| squaddies | helps to keep |

![squaddies on parade](img/squaddies.png "squaddies")
"""

HTML = """\
<!DOCTYPE html>
<html lang="en"><head><title>Squaddies &amp; more</title>
<style>.squaddies { color: red }</style>
<script>var squaddies = "helps to keep"; if (a < b) {}</script></head>
<body>
<p class="squaddies" data-note="helps to keep">The squaddies argued, it helps&nbsp;to keep order &amp; calm.</p>
<p>They spoke <em>in opposition</em> to it, at
<a href="/squaddies/helps-to-keep" title="squaddies">the squaddies page</a>.</p>
<pre>squaddies helps to keep</pre>
<p translate="no">squaddies</p>
<!-- squaddies helps to keep -->
</body></html>
"""


def _fix(capsys: pytest.CaptureFixture[str], wl: Path, name: str, text: str) -> str:
    Path(name).write_text(text, encoding="utf-8")
    result = run(capsys, "fix", name, "--in-place", "--no-backup", "--wordlist", str(wl))
    assert result.code == ExitCode.OK, result.err
    return Path(name).read_text(encoding="utf-8")


def test_markdown_prose_is_fixed_and_links_code_and_urls_are_not(capsys: pytest.CaptureFixture[str], wl: Path) -> None:
    fixed = _fix(capsys, wl, "doc.md", MARKDOWN)
    assert "# The soldiers came home" in fixed
    assert "The soldiers argued [against](https://example.com/squaddies-in-opposition-to) the plan," in fixed
    assert "> The soldiers said it keeps morale up." in fixed
    assert "| soldiers | keeps |" in fixed
    for untouched in (
        "title: squaddies in the news",
        "`squaddies --help`",
        "<https://example.org/squaddies>, www.squaddies.co.uk and squaddies@example.com.",
        "squaddies helps to keep the build green",
        "    indented squaddies code",
        '![squaddies on parade](img/squaddies.png "squaddies")',
        "*in opposition* to the report",  # across emphasis: shown, never edited
    ):
        assert untouched in fixed


def test_markdown_finding_across_emphasis_is_flagged_with_its_reason(
    capsys: pytest.CaptureFixture[str], wl: Path
) -> None:
    Path("doc.md").write_text(MARKDOWN, encoding="utf-8")
    found = _json_findings(run(capsys, "check", "doc.md", "--wordlist", str(wl), "--format", "json", "--all"))
    across = next(f for f in found if f["spun"] == "in opposition* to")
    assert across["safety"] == "flag" and "not fixed in place: crosses markup" in across["reason"]
    text = MARKDOWN
    for f in found:  # every finding is placed in the file as it stands: line, column and offsets agree
        assert text[f["start"] : f["end"]] == f["spun"]  # type: ignore[misc]
        line_start = sum(len(x) + 1 for x in text.split("\n")[: int(f["line"]) - 1])  # type: ignore[call-overload]
        assert f["start"] == line_start + int(f["column"]) - 1  # type: ignore[call-overload]


def test_html_text_is_fixed_and_tags_attributes_scripts_and_entities_are_not(
    capsys: pytest.CaptureFixture[str], wl: Path
) -> None:
    fixed = _fix(capsys, wl, "page.html", HTML)
    assert '<p class="squaddies" data-note="helps to keep">The soldiers argued, it keeps order &amp; calm.</p>' in fixed
    assert '<a href="/squaddies/helps-to-keep" title="squaddies">the soldiers page</a>' in fixed
    assert "<title>Squaddies &amp; more</title>" not in fixed  # the title is prose too
    for untouched in (
        '<script>var squaddies = "helps to keep"; if (a < b) {}</script>',
        "<style>.squaddies { color: red }</style>",
        "<pre>squaddies helps to keep</pre>",
        '<p translate="no">squaddies</p>',
        "<!-- squaddies helps to keep -->",
        "<em>in opposition</em> to it",
    ):
        assert untouched in fixed


def test_a_folder_of_html_is_walked_by_default(capsys: pytest.CaptureFixture[str], wl: Path, tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text(HTML, encoding="utf-8")
    (tmp_path / "site" / "old.htm").write_text("<p>The squaddies left.</p>", encoding="utf-8")
    result = run(capsys, "check", "site", "--wordlist", str(wl), "--format", "json")
    assert result.code == ExitCode.FINDINGS
    assert {json.loads(line)["path"] for line in result.out.splitlines()} == {"site/index.html", "site/old.htm"}


def test_plain_text_leaves_urls_addresses_and_code_alone(capsys: pytest.CaptureFixture[str], wl: Path) -> None:
    text = "The squaddies wrote to squaddies@example.com about www.squaddies.co.uk and `squaddies`.\n"
    fixed = _fix(capsys, wl, "doc.txt", text)
    assert fixed == "The soldiers wrote to squaddies@example.com about www.squaddies.co.uk and `squaddies`.\n"
