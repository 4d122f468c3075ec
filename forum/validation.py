"""What makes a title or a post acceptable. Forms use these to show every problem at once;
services call them again, so no path can skip them."""

from __future__ import annotations

import html

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.html import strip_tags

from forum.rendering import render_post, visible_text

EMPTY_POST = "Your post looks empty. Please write a few words before posting."
EMPTY_TITLE = "Please give your thread a title."


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
    """Check that a post says something and is within the limit; returns it with plain newlines."""
    body = body.replace("\r\n", "\n")  # browsers send CRLF; count what the member sees
    if not visible_text(body) or not _renders_visible(body):
        raise ValidationError({"body": EMPTY_POST})
    limit = settings.HEARTH_MAX_POST_LENGTH
    if len(body) > limit:
        raise ValidationError(
            {
                "body": f"Please keep a post under {limit:,} characters (this one has {len(body):,}). "
                "You could split it into two posts."
            }
        )
    return body


def _renders_visible(body: str) -> bool:
    """False when the rendered post shows nothing (e.g. only "&#8203;" or "&nbsp;")."""
    rendered = render_post(body)
    return "<img" in rendered or bool(visible_text(html.unescape(strip_tags(rendered))))
