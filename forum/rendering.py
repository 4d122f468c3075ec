"""The only path from what a member typed to HTML: ``render_post``.

Markdown (CommonMark, raw HTML disabled, bare http(s) links and ``www.`` addresses linkified)
is rendered by markdown-it-py, then the result is sanitised by nh3 (the Rust sanitiser ammonia)
against an allowlist. Both layers are needed: markdown-it escapes raw HTML, and nh3 guarantees
that whatever the renderer (or a future plugin) emits, only the allowlisted tags, attributes
and URL schemes reach a page, and every link carries ``rel="nofollow ugc noopener"``. Templates
mark ``Post.html`` safe only because it was produced here.

Threads: Hearth serves sync views from a thread pool, so nothing here may be shared between
threads unless it is safe by construction. A ``MarkdownIt`` instance is not (its linkifier keeps
per-match state on the instance), so each thread builds its own. An ``nh3.Cleaner`` is immutable
Rust state and is shared. See docs/architecture.md ("Rendering") for why nh3 replaced bleach.
"""

from __future__ import annotations

import re
import threading

import nh3
from django.conf import settings
from markdown_it import MarkdownIt

ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "hr",
        "strong",
        "em",
        "del",
        "s",
        "code",
        "pre",
        "blockquote",
        "ul",
        "ol",
        "li",
        "a",
        "h3",
        "h4",
        "h5",
        "h6",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
    }
)
IMAGE_TAGS = frozenset({"img"})
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"
MAX_NESTING_LEVELS = 20

# Invisible characters that can make a post look empty or smuggle text past readers.
_INVISIBLE = re.compile(
    "[\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\u00ad\u034f\u061c\u115f\u1160"
    "\u17b4\u17b5\u180b-\u180f\u2800\u3164\uffa0\ufe00-\ufe0f\U000e0000-\U000e007f]"
)
# Stripped before rendering: direction overrides (which can disguise text and links) and
# zero-width spaces. Joiners stay, because emoji sequences and some scripts need them.
_STRIP_ON_RENDER = re.compile("[\u200b\u202a-\u202e\u2066-\u2069\ufeff\x00]")


def visible_text(source: str) -> str:
    """``source`` without invisible characters and surrounding white space."""
    return _INVISIBLE.sub("", source).strip()


def _new_markdown(allow_images: bool) -> MarkdownIt:
    # maxNesting (CommonMark's 20): past it markdown-it silently drops the rest of the post, so
    # forum.validation refuses nesting deeper than MAX_NESTING (two levels each, plus one). A
    # higher value would let "[[[[..." cost grow with the square of its length.
    md = MarkdownIt(
        "commonmark",
        {"html": False, "linkify": True, "typographer": False, "breaks": True, "maxNesting": MAX_NESTING_LEVELS},
    )
    md.enable(["table", "strikethrough", "linkify"])
    # Bare text becomes a link only for http(s) and www. addresses, as before: no ftp:, no
    # mailto: from plain text, no protocol-relative //host, and no bare e-mail addresses.
    for schema in ("ftp:", "mailto:", "//"):
        md.linkify.add(schema, None)
    md.linkify.set({"fuzzy_email": False, "fuzzy_ip": False})
    if not allow_images:
        md.disable("image")
    # Headings inside a post must not compete with the page's own h1/h2 outline.
    md.add_render_rule("heading_open", _heading_open)
    md.add_render_rule("heading_close", _heading_close)
    return md


_per_thread = threading.local()


def _markdown(allow_images: bool) -> MarkdownIt:
    """This thread's own renderer (built on first use in each thread)."""
    renderers = getattr(_per_thread, "renderers", None)
    if renderers is None:
        renderers = _per_thread.renderers = {}
    md = renderers.get(allow_images)
    if md is None:
        md = renderers[allow_images] = _new_markdown(allow_images)
    return md


def _shifted_level(tag: str) -> str:
    level = min(int(tag[1]) + 2, 6)
    return f"h{level}"


def _heading_open(self, tokens, idx, options, env):
    return f"<{_shifted_level(tokens[idx].tag)}>"


def _heading_close(self, tokens, idx, options, env):
    return f"</{_shifted_level(tokens[idx].tag)}>\n"


def _new_cleaner(allow_images: bool) -> nh3.Cleaner:
    tags = ALLOWED_TAGS | IMAGE_TAGS if allow_images else ALLOWED_TAGS
    attributes = {"a": {"href", "title"}}
    if allow_images:
        attributes["img"] = {"src", "alt", "title"}
    return nh3.Cleaner(
        tags=set(tags),
        clean_content_tags={"script", "style"},
        attributes=attributes,
        url_schemes=set(ALLOWED_PROTOCOLS),
        link_rel=LINK_REL,
        strip_comments=True,
    )


# Immutable and thread-safe: built once per process.
_CLEANERS = {False: _new_cleaner(False), True: _new_cleaner(True)}


# nh3 serialises every attribute value in double quotes with '"' escaped inside, so a tag is
# '<', then anything but '"' and '>' or a quoted value, then '>'.
_TAG_OR_TEXT = re.compile(r'(<(?:[^">]|"[^"]*")*>)|([^<]+)')


def _escape_text_quotes(html: str) -> str:
    """Escape '"' in text (as markdown-it does and as html5ever's serialiser undoes).

    Harmless either way for a browser, but text that reads like an attribute (a member quoting
    ``<a href="javascript:...">`` as code) should never appear in the page source unescaped.
    """
    return _TAG_OR_TEXT.sub(lambda m: m.group(1) or m.group(2).replace('"', "&quot;"), html)


def render_post(source: str) -> str:
    """Render a post's Markdown ``source`` to sanitised HTML.

    Contract: never raises for any string; safe to call from any number of threads at once;
    the output contains only allowlisted tags and attributes, links only to http(s)/mailto (or
    relative) with ``rel="nofollow ugc noopener"``, and no images unless ``HEARTH_ALLOW_IMAGES``
    is on. Cost grows linearly with the source; callers bound its length and shape first
    (``forum.validation.clean_body``).
    """
    allow_images = settings.HEARTH_ALLOW_IMAGES
    source = _STRIP_ON_RENDER.sub("", source)
    html = _markdown(allow_images).render(source)
    # Strip again after rendering: character references (&#x202E;) are decoded by the renderer.
    cleaned = _escape_text_quotes(_CLEANERS[allow_images].clean(html))
    return _STRIP_ON_RENDER.sub("", cleaned).strip()
