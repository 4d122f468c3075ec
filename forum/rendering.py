"""The only path from what a member typed to HTML: ``render_post``.

Markdown (CommonMark, raw HTML disabled) is rendered by markdown-it-py, then the result is
sanitised by bleach against an allowlist. Both layers are needed: markdown-it escapes raw HTML,
and bleach guarantees that whatever the renderer (or a future plugin) emits, only the allowlisted
tags, attributes and URL schemes reach a page. Templates mark ``Post.html`` safe only because it
was produced here.
"""

from __future__ import annotations

import re
from functools import lru_cache

import bleach
from bleach.linkifier import Linker, build_url_re
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


@lru_cache(maxsize=2)
def _markdown(allow_images: bool) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False, "breaks": True})
    md.enable(["table", "strikethrough"])
    if not allow_images:
        md.disable("image")
    # Headings inside a post must not compete with the page's own h1/h2 outline.
    md.add_render_rule("heading_open", _heading_open)
    md.add_render_rule("heading_close", _heading_close)
    return md


def _shifted_level(tag: str) -> str:
    level = min(int(tag[1]) + 2, 6)
    return f"h{level}"


def _heading_open(self, tokens, idx, options, env):
    return f"<{_shifted_level(tokens[idx].tag)}>"


def _heading_close(self, tokens, idx, options, env):
    return f"</{_shifted_level(tokens[idx].tag)}>\n"


def _set_rel(attrs, new=False):
    href_key = (None, "href")
    if href_key in attrs:
        attrs[(None, "rel")] = LINK_REL
    return attrs


@lru_cache(maxsize=2)
def _cleaner(allow_images: bool) -> bleach.Cleaner:
    tags = ALLOWED_TAGS | IMAGE_TAGS if allow_images else ALLOWED_TAGS
    attributes = {"a": ["href", "title"], "th": ["align"], "td": ["align"]}
    if allow_images:
        attributes["img"] = ["src", "alt", "title"]
    return bleach.Cleaner(
        tags=tags,
        attributes=attributes,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
        filters=[],
    )


@lru_cache(maxsize=1)
def _linker() -> Linker:
    # Only http(s) text becomes a link (bleach's default list includes data: and ftp:).
    # No skip_tags=["code"]: bleach 6 then escapes code contents twice.
    return Linker(
        callbacks=[_set_rel],
        parse_email=False,
        url_re=build_url_re(protocols=["http", "https"]),
    )


def render_post(source: str) -> str:
    """Render a post's Markdown ``source`` to sanitised HTML.

    Contract: never raises for any string; the output contains only allowlisted tags and
    attributes, links only to http(s)/mailto with ``rel="nofollow ugc noopener"``, and no
    images unless ``HEARTH_ALLOW_IMAGES`` is on.
    """
    allow_images = settings.HEARTH_ALLOW_IMAGES
    source = _STRIP_ON_RENDER.sub("", source)
    html = _markdown(allow_images).render(source)
    cleaned = _cleaner(allow_images).clean(html)
    # Linkify after cleaning: bare URLs become links, and every link gets the same rel.
    # Strip again after rendering: character references (&#x202E;) are decoded by the renderer.
    return _STRIP_ON_RENDER.sub("", _linker().linkify(cleaned)).strip()
