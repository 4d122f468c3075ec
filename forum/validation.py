"""What makes a title or a post acceptable. Forms use these to show every problem at once;
services call them again, so no path can skip them.

Rendering is the costly step, so everything that can be checked on the raw text is checked
first, cheaply: length, lines, formatting characters and nesting bound the renderer's work
(bench/rendering.py measures the worst accepted input). Only the services render, once per
accepted post (``clean_and_render_body``).
"""

from __future__ import annotations

import html
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.html import strip_tags

from forum.rendering import render_post, visible_text

EMPTY_POST = "Your post looks empty. Please write a few words before posting."
EMPTY_TITLE = "Please give your thread a title."

# Shape limits. Each is far beyond what a person writes by hand, and together they keep the
# slowest accepted post within about 20x the time of plain text of the same length.
MAX_LINES = 1_000
MAX_MARKUP_CHARACTERS = 3_000
MARKUP_CHARACTERS = "*_[`|~<&"
# Quotes and lists inside each other. A nested list takes two of the renderer's 20 levels
# (forum.rendering.MAX_NESTING_LEVELS) and its paragraph one more; past 20 the rest is lost.
MAX_NESTING = 8
MAX_LINKS = 500  # web addresses: finding bare ones is the costliest step per character

# The container markers a line starts with: quote marks and list bullets or numbers.
_CONTAINER_PREFIX = re.compile(r"[ \t]*(?:(?:>|[-*+][ \t]|\d{1,9}[.)][ \t])[ \t]*)*")
_LIST_MARKER = re.compile(r"(?:[-*+]|\d{1,9}[.)])[ \t]")
_LINK = re.compile(r"https?://|www\.", re.IGNORECASE)
_MARKUP = re.compile("[" + re.escape(MARKUP_CHARACTERS) + "]")


def clean_title(title: str) -> str:
    """Collapse white space and check length; raises ValidationError with a calm message."""
    title = " ".join(visible_text(title).split())
    if not title:
        raise ValidationError({"title": EMPTY_TITLE})
    limit = settings.HEARTH_MAX_TITLE_LENGTH
    if len(title) > limit:
        raise ValidationError({"title": f"Please keep the title under {limit} characters (it has {len(title)})."})
    return title


def clean_body(body: str) -> str:
    """Check a post's raw text without rendering it; returns it with plain newlines.

    Cheap and linear: says something, within the length, line, formatting-character, link and
    nesting limits. Raises ValidationError with one calm message for the body field.
    """
    body = body.replace("\r\n", "\n").replace("\r", "\n")  # browsers send CRLF; count what the member sees
    if not visible_text(body):
        raise ValidationError({"body": EMPTY_POST})
    limit = settings.HEARTH_MAX_POST_LENGTH
    if len(body) > limit:
        raise ValidationError(
            {
                "body": f"Please keep a post under {limit:,} characters (this one has {len(body):,}). "
                "You could split it into two posts."
            }
        )
    lines = body.count("\n") + 1
    if lines > MAX_LINES:
        raise ValidationError(
            {
                "body": f"This post has {lines:,} lines. Please keep it under {MAX_LINES:,} lines; "
                "you could split it into two posts."
            }
        )
    markup = len(_MARKUP.findall(body))
    if markup > MAX_MARKUP_CHARACTERS:
        raise ValidationError(
            {
                "body": f"This post uses {markup:,} formatting characters ({' '.join(MARKUP_CHARACTERS)}). "
                f"Please keep them under {MAX_MARKUP_CHARACTERS:,}, or split it into two posts."
            }
        )
    links = len(_LINK.findall(body))
    if links > MAX_LINKS:
        raise ValidationError(
            {
                "body": f"This post has {links:,} links. Please keep it to {MAX_LINKS:,} or fewer, "
                "or split it into two posts."
            }
        )
    depth = deepest_nesting(body)
    if depth > MAX_NESTING:
        raise ValidationError(
            {
                "body": f"Quotes or lists in this post are nested {depth} levels deep. Please keep them to "
                f"{MAX_NESTING} levels or fewer, so the whole post can be shown."
            }
        )
    return body


def deepest_nesting(body: str) -> int:
    """An upper bound on how deeply quotes and lists nest on any line.

    Each quote mark or list marker at the start of a line opens a level, and so may each two
    columns of indentation (a list nested under another).
    """
    deepest = 0
    for line in body.split("\n"):
        prefix = _CONTAINER_PREFIX.match(line).group(0)
        markers = prefix.count(">") + len(_LIST_MARKER.findall(prefix))
        if not markers:
            continue  # indentation alone is a code block or a continued paragraph, not a new level
        expanded = prefix.expandtabs(4)
        indent = len(expanded) - len(expanded.lstrip(" "))
        deepest = max(deepest, indent // 2 + markers)
    return deepest


def clean_and_render_body(body: str) -> tuple[str, str]:
    """``clean_body``, then render once: returns (source, html) for the service to store.

    A post that renders to nothing visible (only "&#8203;" or "&nbsp;", say) is refused here.
    """
    body = clean_body(body)
    rendered = render_post(body)
    if "<img" not in rendered and not visible_text(html.unescape(strip_tags(rendered))):
        raise ValidationError({"body": EMPTY_POST})
    return body, rendered
