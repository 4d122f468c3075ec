"""``forum.rendering.render_post`` is the only path from a member's Markdown to HTML.

Posts are health data written under a pseudonym, so a stored XSS here would be a serious harm.
These tests attack the renderer the way a hostile member would: raw HTML, scheme tricks in
links, invisible characters, huge input, and random mixtures of all of them (hypothesis).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from forum.rendering import LINK_REL, render_post

DANGEROUS_ELEMENTS = {"script", "style", "iframe", "object", "embed", "svg", "math", "form", "base", "link", "meta"}
DANGEROUS_SCHEMES = ("javascript", "data", "vbscript")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "background", "poster", "srcset"}
# What a browser ignores while reading a URL's scheme: ASCII white space and C0 controls.
_IGNORED_IN_SCHEME = re.compile(r"[\x00-\x20\x7f]+")


class _Collector(HTMLParser):
    """Every start tag with its attributes, as a browser-like tokenizer sees them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.elements.append((tag, attrs))


def parse(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector.elements


def url_scheme(value: str) -> str:
    """The scheme a browser would use for ``value`` (empty for relative URLs)."""
    cleaned = _IGNORED_IN_SCHEME.sub("", value).lower()
    match = re.match(r"^([a-z][a-z0-9+.\-]*):", cleaned)
    return match.group(1) if match else ""


def assert_safe(html: str) -> None:
    """The renderer's contract, checked on its output."""
    assert re.search(r"<\s*/?\s*(script|style|iframe)\b", html, re.IGNORECASE) is None, html
    for tag, attrs in parse(html):
        assert tag not in DANGEROUS_ELEMENTS, html
        for name, value in attrs:
            assert not name.lower().startswith("on"), html
            if name.lower() in URL_ATTRIBUTES and value is not None:
                assert url_scheme(value) not in DANGEROUS_SCHEMES, html


def links(html: str) -> list[dict[str, str | None]]:
    return [dict(attrs) for tag, attrs in parse(html) if tag == "a"]


def tags(html: str) -> set[str]:
    return {tag for tag, _ in parse(html)}


# --- Ordinary Markdown ---------------------------------------------------------------------


def test_emphasis_and_strong_render_as_markup():
    assert render_post("*gentle* and **steady**") == "<p><em>gentle</em> and <strong>steady</strong></p>"


def test_bulleted_and_numbered_lists_render():
    html = render_post("- breathe\n- walk\n\n1. first\n2. second")
    assert "<ul>" in html and "<ol>" in html
    assert html.count("<li>") == 4


def test_quotes_render_as_blockquotes():
    assert "<blockquote>" in render_post("> what you said helped")


def test_inline_code_and_code_blocks_keep_their_text_escaped():
    html = render_post("Try `<b>`.\n\n```\n<script>alert(1)</script>\n```")
    assert "<code>&lt;b&gt;</code>" in html
    assert "<pre><code>&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert_safe(html)


def test_tables_render():
    html = render_post("| day | mood |\n|---|---|\n| Mon | ok |")
    assert {"table", "thead", "tbody", "tr", "th", "td"} <= tags(html)


def test_strikethrough_renders():
    assert "<s>" in render_post("~~gone~~") or "<del>" in render_post("~~gone~~")


def test_headings_are_shifted_so_posts_never_compete_with_the_page_outline():
    html = render_post("# One\n\n## Two\n\n### Three\n\n###### Six")
    assert "<h1" not in html and "<h2" not in html
    assert "<h3>One</h3>" in html and "<h4>Two</h4>" in html and "<h5>Three</h5>" in html
    assert "<h6>Six</h6>" in html


def test_single_line_breaks_are_kept():
    assert "<br>" in render_post("first line\nsecond line")


# --- Raw HTML is text, never markup ---------------------------------------------------------


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
        "<img src=x onerror=alert(1)>",
        '<iframe src="https://evil.example"></iframe>',
        "<svg onload=alert(1)>",
        "<svg><script>alert(1)</script></svg>",
        '<a href="javascript:alert(1)">click</a>',
        "<style>body { display: none }</style>",
        '<div style="background:url(javascript:alert(1))">x</div>',
        '<object data="evil.swf"></object>',
        '<form action="https://evil.example"><input name=password></form>',
        "<details open ontoggle=alert(1)>",
        "<body onload=alert(1)>",
        "<!-- <script>alert(1)</script> -->",
        "<<script>script>alert(1)<</script>/script>",
    ],
)
def test_raw_html_is_shown_as_text_not_executed(source):
    html = render_post(source)
    assert_safe(html)
    assert "&lt;" in html  # the member sees what they typed, escaped


def test_raw_html_inside_a_list_or_quote_is_still_escaped():
    html = render_post("- <script>alert(1)</script>\n\n> <img src=x onerror=alert(1)>")
    assert_safe(html)
    assert "&lt;script&gt;" in html and "&lt;img" in html


# --- Links ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "source",
    [
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](javascript&colon;alert(1))",
        "[x](javascript&#58;alert(1))",
        "[x](&#106;avascript:alert(1))",
        "[x](&#x6A;&#x61;&#x76;&#x61;script:alert(1))",
        "[x](java&#x09;script:alert(1))",
        "[x](java&#x0A;script:alert(1))",
        "[x](java&#0;script:alert(1))",
        "[x](<javascript:alert(1)>)",
        "[x]( javascript:alert(1))",
        "[x](\tjavascript:alert(1))",
        "[x](%20javascript:alert(1))",
        "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "[x](DATA:text/html,<script>alert(1)</script>)",
        "[x](vbscript:msgbox(1))",
        "[x](VBScript:msgbox(1))",
        "<javascript:alert(1)>",
        "<vbscript:msgbox(1)>",
        "[x][ref]\n\n[ref]: javascript:alert(1)",
        '[x](http://example.com "a" onmouseover="alert(1)")',
        '[x](http://example.com/"onmouseover="alert(1))',
    ],
)
def test_links_with_dangerous_schemes_produce_no_dangerous_href(source):
    html = render_post(source)
    assert_safe(html)
    for attrs in links(html):
        assert url_scheme(attrs.get("href") or "") not in DANGEROUS_SCHEMES


def test_safe_links_are_kept_with_nofollow_ugc_noopener():
    html = render_post('[a](https://example.org/help "Help") [b](http://example.org) [c](mailto:care@example.org)')
    found = links(html)
    assert [a["href"] for a in found] == ["https://example.org/help", "http://example.org", "mailto:care@example.org"]
    assert all(a["rel"] == LINK_REL for a in found)
    assert found[0]["title"] == "Help"


def test_bare_urls_become_links_with_the_same_rel():
    html = render_post("See https://example.org/a and www.example.net for more.")
    found = links(html)
    assert len(found) == 2
    assert all(a["rel"] == LINK_REL for a in found)


def test_every_link_gets_exactly_the_hearth_rel_even_if_one_is_supplied():
    html = render_post('[x](https://example.org "t")\n\n<https://example.com>\n\nhttps://example.net')
    found = links(html)
    assert len(found) == 3
    assert all(set(a) <= {"href", "title", "rel"} for a in found)
    assert all(a["rel"] == "nofollow ugc noopener" for a in found)


def test_links_carry_no_target_or_event_attributes():
    html = render_post('[x](https://example.org){target="_blank" onclick="alert(1)"}')
    for attrs in links(html):
        assert "target" not in attrs and "onclick" not in attrs


# --- Images ---------------------------------------------------------------------------------


def test_images_are_not_rendered_by_default(settings):
    settings.HEARTH_ALLOW_IMAGES = False
    html = render_post("![a kitten](https://example.org/kitten.png)")
    assert "img" not in tags(html)
    assert_safe(html)


def test_images_are_rendered_when_an_admin_enables_them_and_off_again_after(settings):
    settings.HEARTH_ALLOW_IMAGES = True
    on = render_post("![a kitten](https://example.org/kitten.png)")
    images = [dict(attrs) for tag, attrs in parse(on) if tag == "img"]
    assert images == [{"src": "https://example.org/kitten.png", "alt": "a kitten"}]

    settings.HEARTH_ALLOW_IMAGES = False
    off = render_post("![a kitten](https://example.org/kitten.png)")
    assert "img" not in tags(off)


def test_raw_img_tags_stay_text_even_when_images_are_enabled(settings):
    settings.HEARTH_ALLOW_IMAGES = True
    html = render_post('<img src="https://example.org/a.png" onerror="alert(1)">')
    assert "img" not in tags(html)
    assert_safe(html)


@pytest.mark.parametrize(
    "source",
    [
        "![x](javascript:alert(1))",
        "![x](data:image/png;base64,iVBORw0KGgo=)",
        "![x](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)",
        "![x](vbscript:msgbox(1))",
        '![x](https://example.org/a.png "t" onerror="alert(1)")',
    ],
)
def test_enabled_images_still_refuse_dangerous_sources(settings, source):
    settings.HEARTH_ALLOW_IMAGES = True
    assert_safe(render_post(source))


# --- Invisible characters, NUL, size --------------------------------------------------------


def test_direction_overrides_are_stripped():
    html = render_post("evil\u202etxt.exe and \u202a\u202b\u202c\u202d\u2066\u2067\u2068\u2069 done")
    assert re.search("[\u202a-\u202e\u2066-\u2069]", html) is None
    assert "eviltxt.exe" in html


def test_zero_width_spaces_and_byte_order_marks_are_stripped():
    html = render_post("he\u200bllo\ufeff there")
    assert "\u200b" not in html and "\ufeff" not in html
    assert "hello there" in html


def test_direction_overrides_inside_links_are_stripped():
    html = render_post("[safe\u202egpj.exe](https://example.org/\u202etxt)")
    assert "\u202e" not in html


def test_nul_bytes_are_removed():
    html = render_post("a\x00b\x00<scr\x00ipt>alert(1)</script>")
    assert "\x00" not in html
    assert_safe(html)


def test_a_200_kilobyte_post_renders():
    source = ("A line with *emphasis*, a [link](https://example.org) and <script>.\n" * 3100)[:200_000]
    assert len(source) == 200_000
    html = render_post(source)
    assert html.startswith("<p>")
    assert_safe(html)


def test_deeply_nested_markup_renders_without_error():
    html = render_post(">" * 2000 + " deep\n\n" + "[" * 2000 + "x" + "]" * 2000 + "\n\n" + "*" * 5000)
    assert_safe(html)


@pytest.mark.parametrize("source", ["", " ", "\n\n", "\u200b", "\x00"])
def test_empty_or_invisible_input_renders_to_nothing_harmful(source):
    assert_safe(render_post(source))


# --- Property-based: random and adversarial input -------------------------------------------

FRAGMENTS = [
    "[x](",
    "](",
    ")",
    "[",
    "]",
    "<",
    ">",
    "</",
    "/>",
    "<script",
    "<script>",
    "</script>",
    "<style>",
    "<iframe",
    "<svg",
    "<img",
    "<a ",
    "href=",
    "src=",
    "onerror=",
    "onload=",
    " onclick=",
    "alert(1)",
    "javascript:",
    "JaVaScRiPt:",
    "java\tscript:",
    "java\nscript:",
    "vbscript:",
    "data:",
    "text/html,",
    "&#",
    "&#106;",
    "&#x6A;",
    "&colon;",
    "&lt;",
    "&amp;",
    ";",
    '"',
    "'",
    "`",
    "```",
    "~~~",
    "*",
    "**",
    "_",
    "#",
    "> ",
    "- ",
    "1. ",
    "|",
    "---",
    "!",
    "![",
    "\\",
    "\n",
    "\n\n",
    "    ",
    " ",
    "\t",
    "\x00",
    "\u202e",
    "\u200b",
    "\ufeff",
    "https://example.org",
    "mailto:",
    "x",
    "=",
]

adversarial_markdown = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=5)), min_size=1, max_size=40
).map("".join)


@hypothesis_settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=500))
def test_any_text_renders_safely(source):
    assert_safe(render_post(source))


@hypothesis_settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(adversarial_markdown)
def test_adversarial_markdown_and_html_fragments_render_safely(source):
    html = render_post(source)
    assert_safe(html)
    for attrs in links(html):
        # An autolink with an unknown scheme keeps its <a> but loses its href: not a link.
        if "href" in attrs:
            assert attrs["rel"] == LINK_REL
