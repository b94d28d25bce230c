"""repair.edge.markup: prose views of plain text, Markdown and HTML, and in-place fixes by offset."""

from __future__ import annotations

import html
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from repair.core import protect as P
from repair.core.model import Edit
from repair.edge import markup as M
from repair.edge.markup import EditRefused, Kind
from repair.edge.markup_html import read_html
from repair.edge.markup_markdown import read_markdown


def edit_of(doc: M.ProseDocument, phrase: str, replacement: str, nth: int = 0) -> Edit:
    start = -1
    for _ in range(nth + 1):
        start = doc.text.index(phrase, start + 1)
    return Edit(start, start + len(phrase), phrase, replacement)


# --- plain text -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("token", "kind"),
    [
        ("squaddies@example.com", "email"),
        ("www.squaddies.co.uk", "url"),
        ("squaddies.co.uk", "url"),
        ("https://news.example.com/uk/squaddies-killed-in-motion?id=3", "url"),
        (".../squaddies-killed-in-motion", "path"),
        ("/news/squaddies-killed-in-motion", "path"),
        ("~/notes/squaddies.txt", "path"),
        ("docs/squaddies/motion", "path"),
        ("@squaddies", "handle"),
        ("@squaddies@mastodon.social", "handle"),
        ("#SquaddiesInMotion", "hashtag"),
        ("`squaddies --in-motion`", "code"),
        ("squaddies_report.pdf", "file"),
    ],
)
def test_plain_protects_urls_addresses_handles_code_and_paths(token: str, kind: str) -> None:
    text = f"The squaddies ({token}) were killed in motion."
    spans = M.protected_spans(text)
    start = text.index(token)
    covering = [s for s in spans if s.start <= start and start + len(token) <= s.end]
    assert covering and covering[0].kind == kind, spans
    assert text.lower().count("squaddies") >= 2  # the prose one stays visible
    doc = M.read_plain(text)
    assert doc.text.startswith("The squaddies (")
    assert token not in doc.text


@pytest.mark.parametrize(
    "text",
    ["e.g. the U.S. army", "and/or", "face-to-face talks", "at 3.30 p.m.", "the end.It was", "No. 10", "a 4.5% rise"],
)
def test_plain_leaves_ordinary_prose_alone(text: str) -> None:
    assert M.protected_spans(text) == []


def test_plain_url_keeps_balanced_parentheses_and_drops_trailing_punctuation() -> None:
    text = "See https://en.wikipedia.org/wiki/Spin_(propaganda). And www.example.com, too."
    spans = [text[s.start : s.end] for s in M.protected_spans(text)]
    assert spans == ["https://en.wikipedia.org/wiki/Spin_(propaganda)", "www.example.com"]


def test_plain_fenced_code_is_protected_but_indented_text_is_prose() -> None:
    text = "Intro in motion.\n\n```\nsquaddies in motion\n```\n\n    an indented quote in motion\n"
    doc = M.read_plain(text)
    assert "squaddies" not in doc.text
    assert "an indented quote in motion" in doc.text


def test_plain_fix_never_touches_a_protected_token() -> None:
    text = "Write to squaddies@example.com about squaddies at www.squaddies.co.uk."
    doc = M.read_plain(text)
    edits = [Edit(m.start(), m.end(), "squaddies", "soldiers") for m in re.finditer("squaddies", doc.text)]
    result = doc.apply(edits)
    assert result.text == "Write to squaddies@example.com about soldiers at www.squaddies.co.uk."
    assert len(result.applied) == 1


# --- Markdown -------------------------------------------------------------------------

MARKDOWN = """---
title: squaddies in motion
---
# The squaddies in opposition

The go back of the our bodies of squaddies killed in motion, see
[the squaddies report](https://example.com/squaddies-killed-in-motion "squaddies") and
![squaddies](img/squaddies.png) or <https://squaddies.example.org> or `squaddies` code.

> Quoted squaddies in opposition
> to the plan.

- squaddies *in opposition* to it
- [squaddies][ref] &amp; squaddies\\_x

| squaddies | motion |
|-----------|--------|
| squaddies | x      |

```text
squaddies in motion
```

    indented squaddies code

<div class="squaddies">
squaddies in <b>html</b>
</div>

[ref]: https://example.com/squaddies "squaddies"
"""


def test_markdown_view_has_prose_only() -> None:
    doc = read_markdown(MARKDOWN)
    assert doc.skipped == ()
    assert "title:" not in doc.text
    assert "https" not in doc.text and "img/" not in doc.text and "example" not in doc.text
    assert "indented squaddies code" not in doc.text and "squaddies in motion\n" not in doc.text
    assert "class" not in doc.text
    assert "the squaddies report" in doc.text  # link text is prose
    assert "Quoted squaddies in opposition\nto the plan." in doc.text  # one paragraph over a quote
    assert "squaddies in html" in doc.text  # a top-level HTML block is read as HTML


def test_markdown_fix_in_place_leaves_markup_byte_identical() -> None:
    doc = read_markdown(MARKDOWN)
    edits = [Edit(m.start(), m.end(), m.group(), "soldiers") for m in re.finditer("squaddies", doc.text)]
    result = doc.apply(edits)
    assert not result.refused
    fixed = result.text
    for kept in [
        "title: squaddies in motion",
        '(https://example.com/squaddies-killed-in-motion "squaddies")',
        "![squaddies](img/squaddies.png)",
        "<https://squaddies.example.org>",
        "`squaddies`",
        "```text\nsquaddies in motion\n```",
        "    indented squaddies code",
        '<div class="squaddies">',
        '[ref]: https://example.com/squaddies "squaddies"',
    ]:
        assert kept in fixed, kept
    assert "[the soldiers report]" in fixed
    assert "| soldiers | motion |" in fixed
    assert "[soldiers][ref] &amp; soldiers\\_x" in fixed
    assert "soldiers in <b>html</b>" in fixed
    # Reading the fixed file again shows the view with the replacements, nothing else.
    again = read_markdown(fixed)
    assert again.text == doc.text.replace("squaddies", "soldiers")


def test_markdown_phrase_across_emphasis_is_seen_but_not_edited() -> None:
    doc = read_markdown("- squaddies *in opposition* to it\n")
    assert "squaddies in opposition to it" in doc.text
    edit = edit_of(doc, "in opposition to", "against")
    with pytest.raises(EditRefused, match="markup"):
        doc.locate(edit.start, edit.end)
    assert doc.apply([edit]).refused[0][0] == edit


def test_markdown_phrase_over_a_wrapped_line_is_edited_but_not_over_a_quote_marker() -> None:
    doc = read_markdown("Words in opposition\n   to it.\n\n> Quoted in opposition\n> to it.\n")
    plain, quoted = edit_of(doc, "in opposition\nto", "against"), edit_of(doc, "in opposition\nto", "against", 1)
    result = doc.apply([plain, quoted])
    assert result.text == "Words against it.\n\n> Quoted in opposition\n> to it.\n"
    assert "markup" in result.refused[0][1]


def test_markdown_crlf_line_break_is_an_atom() -> None:
    doc = read_markdown("in opposition\r\nto it\r\n")
    assert doc.text.strip() == "in opposition\nto it"
    edit = edit_of(doc, "opposition\nto", "against")
    assert doc.apply([edit]).text == "in against it\r\n"


def test_markdown_replacement_is_escaped() -> None:
    doc = read_markdown("a squaddie here\n")
    assert doc.apply([edit_of(doc, "squaddie", "a*b_[c]")]).text == "a a\\*b\\_\\[c\\] here\n"


def test_markdown_inline_html_code_is_protected() -> None:
    doc = read_markdown("Say <code>squaddies</code> and <kbd>motion</kbd> in opposition.\n")
    assert "squaddies" not in doc.text and "motion" not in doc.text
    assert "in opposition." in doc.text


# --- HTML -----------------------------------------------------------------------------

HTML = """<!DOCTYPE html>
<html><head><title>Squaddies in motion</title>
<style>.squaddies { color: red }</style>
<script>const squaddies = "<p>squaddies</p>";</script></head>
<body>
<p class="squaddies" data-x='a > b'>The squaddies &amp; their kin in <em>opposition</em> to it.</p>
<pre>squaddies in motion</pre>
<p>Visit <a href="https://squaddies.co.uk/" title="squaddies">the squaddies site</a>,
mail squaddies@example.com &mdash; or run <code>squaddies --fix</code>.<br>New squaddies line.</p>
<p translate="no">Squaddies <span>nested</span> squaddies</p>
<!-- squaddies in a comment -->
<p>Two squaddies&rsquo; tales &NotEqualTilde; in motion<img src="squaddies.png" alt="squaddies"></p>
</body></html>
"""


def test_html_view_has_prose_only_with_entities_decoded() -> None:
    doc = read_html(HTML)
    assert "Squaddies in motion" in doc.text  # the title is prose
    assert "color" not in doc.text and "const" not in doc.text and "--fix" not in doc.text
    assert "class" not in doc.text and "https" not in doc.text and "comment" not in doc.text
    assert "nested" not in doc.text  # translate="no"
    assert "The squaddies & their kin in opposition to it." in doc.text
    assert "squaddies’ tales" in doc.text


def test_html_fix_in_place_keeps_tags_scripts_and_entities() -> None:
    doc = read_html(HTML)
    edits = [Edit(m.start(), m.end(), m.group(), "soldiers") for m in re.finditer("squaddies", doc.text)]
    result = doc.apply(edits)
    assert not result.refused
    fixed = result.text
    assert fixed.count("soldiers") == len(edits) == 4
    for kept in [
        "<p class=\"squaddies\" data-x='a > b'>",
        'const squaddies = "<p>squaddies</p>";',
        ".squaddies { color: red }",
        "<pre>squaddies in motion</pre>",
        '<a href="https://squaddies.co.uk/" title="squaddies">',
        "squaddies@example.com",
        "<code>squaddies --fix</code>",
        "Squaddies <span>nested</span> squaddies",
        "<!-- squaddies in a comment -->",
        '<img src="squaddies.png" alt="squaddies">',
        "soldiers&rsquo; tales",
    ]:
        assert kept in fixed, kept


def test_html_phrase_across_an_inline_tag_is_matched_and_refused() -> None:
    doc = read_html("<p>They stood in <em>opposition</em> to it.</p>")
    edit = edit_of(doc, "in opposition to", "against")
    result = doc.apply([edit])
    assert result.text == "<p>They stood in <em>opposition</em> to it.</p>"
    assert result.refused and "markup" in result.refused[0][1]


def test_html_phrase_across_block_elements_is_refused() -> None:
    doc = read_html("<p>in opposition</p><p>to it</p>")
    assert "in opposition\n\nto it" in doc.text
    with pytest.raises(EditRefused, match="block"):
        doc.locate(*(lambda e: (e.start, e.end))(edit_of(doc, "opposition\n\nto", "x")))


def test_html_entity_swallowed_whole_and_replacement_escaped() -> None:
    doc = read_html("<p>rock &amp; roll</p>")
    result = doc.apply([edit_of(doc, "rock & roll", "R&B <live>")])
    assert result.text == "<p>R&amp;B &lt;live&gt;</p>"


def test_html_edit_never_cuts_an_entity() -> None:
    doc = read_html("<p>x &NotEqualTilde; y</p>")  # one entity, two code points
    at = doc.text.index("x ") + 2
    assert doc.text[at : at + 2] == html.unescape("&NotEqualTilde;")
    with pytest.raises(EditRefused, match="entity"):
        doc.locate(at, at + 1)
    assert doc.locate(at, at + 2) == (HTML_AT := 5, HTML_AT + len("&NotEqualTilde;"))


def test_source_offset_maps_view_to_file() -> None:
    doc = read_html("<p>a <b>squaddie</b></p>")
    at = doc.text.index("squaddie")
    assert doc.source_offset(at) == doc.source.index("squaddie")
    spans = doc.prose_spans()
    assert [doc.source[a:b] for a, b in spans] == ["a ", "squaddie"]


def test_format_for_paths() -> None:
    assert [M.format_for(p) for p in ("a.MD", "b.htm", "c.html", "d.txt", "e")] == [
        "markdown",
        "html",
        "html",
        "text",
        "text",
    ]


# --- properties -----------------------------------------------------------------------

WORDS = st.sampled_from(["in", "opposition", "to", "squaddies", "the", "motion", "go", "back", "our", "bodies"])


def prose(min_size: int = 1) -> st.SearchStrategy[str]:
    return st.lists(WORDS, min_size=min_size, max_size=6).map(" ".join)


@st.composite
def markdown_doc(draw: st.DrawFn) -> tuple[str, list[str]]:
    """A Markdown file and its protected constructs, each unique (numbered zz tokens)."""
    counter = iter(range(10_000))
    protected: list[str] = []

    def guard(s: str) -> str:
        protected.append(s)
        return s

    def inline() -> str:
        parts = []
        for _ in range(draw(st.integers(1, 6))):
            n = next(counter)
            options = [
                lambda: draw(prose()),
                lambda: guard(f"`zz{n} code`"),
                lambda: f"[{draw(prose())}]" + guard(f'(https://zz.example/zz{n} "zz{n}")'),
                lambda: guard(f"![zz{n} alt](zz{n}.png)"),
                lambda: guard(f"<https://zz.example/zz{n}>"),
                lambda: guard(f"https://zz.example/p/zz{n}"),
                lambda: guard(f"zz{n}@example.com"),
                lambda: guard(f'<span class="zz{n}">') + draw(prose()) + "</span>",
                lambda: "*" + draw(prose()) + "*",
                lambda: "&amp;",
                lambda: "\\*",
            ]
            parts.append(draw(st.sampled_from(options))())
        return " ".join(parts)

    blocks = []
    if draw(st.booleans()):  # first, where no list item can take it as a continuation
        blocks.append(guard("    zz_indented in opposition"))
    for _ in range(draw(st.integers(1, 5))):
        n = next(counter)
        kind = draw(st.sampled_from(["p", "h", "quote", "list", "fence", "html", "ref", "wrap"]))
        if kind == "p":
            blocks.append(inline())
        elif kind == "wrap":
            blocks.append(inline() + "\n" + inline())
        elif kind == "h":
            blocks.append("## " + inline())
        elif kind == "quote":
            blocks.append("> " + inline() + "\n> " + inline())
        elif kind == "list":
            blocks.append("- " + inline() + "\n- " + inline())
        elif kind == "fence":
            blocks.append(guard(f"```\nzz{n} in opposition\n```"))
        elif kind == "html":
            blocks.append(guard(f'<div class="zz{n}">') + "\n" + draw(prose()) + "\n" + guard("</div>"))
        else:
            blocks.append(guard(f"[zzref{n}]: https://zz.example/zz{n}"))
    return "\n\n".join(blocks) + "\n", protected


@st.composite
def html_doc(draw: st.DrawFn) -> tuple[str, list[str]]:
    counter = iter(range(10_000))
    protected: list[str] = []

    def guard(s: str) -> str:
        protected.append(s)
        return s

    paragraphs = []
    for _ in range(draw(st.integers(1, 5))):
        parts = []
        for _ in range(draw(st.integers(1, 6))):
            n = next(counter)
            options = [
                lambda: draw(prose()),
                lambda: guard(f'<a href="https://zz.example/zz{n}" title="zz{n} > x">') + draw(prose()) + "</a>",
                lambda: guard(f"<code>zz{n} x</code>"),
                lambda: guard(f"<script>var zz{n} = '<p>';</script>"),
                lambda: guard(f"<!-- zz{n} -->"),
                lambda: guard(f'<img src="zz{n}.png" alt="zz{n}">'),
                lambda: "<em>" + draw(prose()) + "</em>",
                lambda: "&amp;",
                lambda: "&rsquo;",
                lambda: "<br>",
                lambda: guard(f"zz{n}@example.com"),
            ]
            parts.append(draw(st.sampled_from(options))())
        tag = draw(st.sampled_from(["p", "li", "h2", "div"]))
        paragraphs.append(f"<{tag}>" + " ".join(parts) + f"</{tag}>")
    return "<html><body>\n" + "\n".join(paragraphs) + "\n</body></html>\n", protected


def random_edits(doc: M.ProseDocument, data: st.DataObject) -> list[Edit]:
    edits = []
    at = 0
    n = len(doc.text)
    while at < n:
        start = data.draw(st.integers(at, n))
        if start >= n:
            break
        end = data.draw(st.integers(start + 1, min(n, start + 30)))
        replacement = data.draw(st.sampled_from(["soldiers", "return", "against", "X & <y>", "a*b"]))
        edits.append(Edit(start, end, doc.text[start:end], replacement))
        at = end
    return edits


def unmark(fmt: str, s: str) -> str:
    """The prose a source slice stands for, whitespace collapsed."""
    if fmt == "markdown":
        s = re.sub(r"\\(.)", r"\1", s)
    s = html.unescape(s) if fmt in ("markdown", "html") else s
    return " ".join(s.split())


def check_property(doc: M.ProseDocument, protected: list[str], data: st.DataObject) -> None:
    source = doc.source
    assert "zz" not in doc.text  # nothing protected reaches the scanner
    edits = random_edits(doc, data)
    result = doc.apply(edits)
    located = sorted(doc.locate(e.start, e.end) for e in result.applied)
    for edit, (s, e) in zip(sorted(result.applied, key=lambda x: x.start), located, strict=True):
        assert "zz" not in source[s:e]
        assert unmark(doc.format, source[s:e]) == " ".join(edit.expected.split())
    # Bytes outside the located spans are untouched, and every protected construct survives.
    expected, cursor = [], 0
    for edit, (s, e) in zip(sorted(result.applied, key=lambda x: x.start), located, strict=True):
        expected += [source[cursor:s], doc.escape(edit.replacement)]
        cursor = e
    expected.append(source[cursor:])
    assert result.text == "".join(expected)
    for p in protected:
        assert result.text.count(p) >= source.count(p) >= 1, p


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(markdown_doc(), st.data())
def test_property_markdown_edits_stay_in_prose(doc_and_protected: tuple[str, list[str]], data: st.DataObject) -> None:
    source, protected = doc_and_protected
    doc = read_markdown(source)
    assert doc.skipped == ()
    check_property(doc, protected, data)


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(html_doc(), st.data())
def test_property_html_edits_stay_in_prose(doc_and_protected: tuple[str, list[str]], data: st.DataObject) -> None:
    source, protected = doc_and_protected
    check_property(read_html(source), protected, data)


@pytest.mark.slow
@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.one_of(
            prose(),
            st.sampled_from(
                ["zz1@example.com", "www.zz2.co.uk", "https://zz3.example.org/a_(b)", "@zz4", "`zz5 x`", ".../zz6-in-x"]
            ),
        ),
        min_size=1,
        max_size=12,
    ),
    st.data(),
)
def test_property_plain_edits_never_touch_protected_tokens(parts: list[str], data: st.DataObject) -> None:
    source = " ".join(parts) + "."
    protected = [p for p in parts if "zz" in p]
    check_property(M.read_plain(source), protected, data)


@pytest.mark.slow
@settings(max_examples=40, deadline=None)
@given(html_doc())
def test_property_html_view_agrees_with_a_browser_grade_parser(doc_and_protected: tuple[str, list[str]]) -> None:
    """The words of the view are the words lexbor (selectolax) sees outside protected elements."""
    selectolax = pytest.importorskip("selectolax.lexbor")
    source, _ = doc_and_protected
    tree = selectolax.LexborHTMLParser(source)
    for node in tree.css("script, style, code, pre"):
        node.decompose()
    theirs = re.findall(r"[^\W\d_]+", tree.body.text(separator=" ") if tree.body else "")
    ours = re.findall(r"[^\W\d_]+", read_html(source).text)
    theirs = [w for w in theirs if not w.startswith("zz") and w not in ("example", "com")]  # e-mails are masked
    assert ours == theirs


def test_segments_tile_the_view() -> None:
    doc = read_markdown(MARKDOWN)
    at = 0
    for seg in doc.segments:
        assert seg.view_start == at
        at = seg.view_end
        if seg.kind is Kind.TEXT:
            assert doc.source[seg.src_start : seg.src_end] == doc.text[seg.view_start : seg.view_end]
    assert at == len(doc.text)


_TOKENS = st.sampled_from(
    [
        "squaddies",
        "in",
        "motion",
        "U.S.",
        "end.It",
        "3.5",
        '."',
        "e.g.",
        "a@b.co",
        "@handle",
        "#tag",
        "www.x.org",
        "squaddies.co.uk",
        "http://x.com/a_(b)",
        "mailto:a@b.org",
        "tel:+441",
        "/a/b",
        ".../slug",
        "~/x",
        "a/b/c",
        "C:\\x\\y",
        "x.pdf",
        "(see",
        "x.com).",
        "note:",
        "10:30",
        "and/or",
        "…/x",
        "#",
        "@",
        "/",
        "`",
        "`x.com`",
        "`a",
        "b/c`",
        "```",
        "~~~",
        "```py",
        "~",
        "x`/a/b",
        "`@h`#t",
    ]
)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.tuples(_TOKENS, st.sampled_from([" ", "  ", "\n", "\t", "", "\n\n", "\n  "])), max_size=30))
def test_protected_spans_by_runs_equal_the_whole_text_regex(parts: list[tuple[str, str]]) -> None:
    """The fast path (`_matches`, run by run) finds exactly what one regex over the whole text finds."""
    text = "".join(token + sep for token, sep in parts)
    fast = [(m.span(), m.lastgroup) for m in P._matches(text)]
    whole = [(m.span(), m.lastgroup) for m in P._protected().finditer(text)]
    assert fast == whole
