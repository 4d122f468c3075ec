"""Turn query results into what a page shows, applying content notes and moderation state.

Pure functions over already-fetched rows: they run no queries, so pages keep constant counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.urls import reverse
from django.utils import timezone

from forum.models import Post
from forum.permissions import can_delete_post, can_edit_post, can_see_post_text
from forum.selectors import active_content_notes, strongest_display


@dataclass(slots=True)
class ThreadRow:
    """What one listing row prints, built from a slim dict (selectors.LISTING_COLUMNS)."""

    url: str
    title: str
    is_pinned: bool
    is_locked: bool
    status: str
    reply_count: int
    replies: str  # reply_count with thousands separators
    waiting: bool  # the rescue listed it and nobody has answered yet
    author: str
    last_poster: str
    last_activity_at: datetime
    last_activity_ago: str
    notes: list
    display: str  # show / collapse / hide
    subforum_name: str = ""
    subforum_url: str = ""


@dataclass
class PostView:
    post: Post
    notes: list = field(default_factory=list)
    display: str = "show"
    show_text: bool = True
    can_edit: bool = False
    can_delete: bool = False
    answers_other: bool = False  # a flattened reply: say whom it answers
    reactions: object = None  # forum.reactions.PostReactions, on thread pages
    can_react: bool = False


def ago(value: datetime, now: datetime) -> str:
    """ "3 hours ago": a cheap stand-in for humanize's naturaltime, which translates and
    formats several units for every row (a tenth of a listing's time at a million posts)."""
    seconds = (now - value).total_seconds()
    for size, unit in _UNITS:
        if seconds >= size:
            count = int(seconds // size)
            return f"{count}\u00a0{unit}{'' if count == 1 else 's'} ago"
    return "just now"


_UNITS = ((365 * 86_400, "year"), (30 * 86_400, "month"), (86_400, "day"), (3_600, "hour"), (60, "minute"))


def _url_prefixes() -> tuple[str, str]:
    thread = reverse("forum:thread_noslug", kwargs={"thread_id": 0})
    subforum = reverse("forum:subforum", kwargs={"slug": "x"})
    return thread[: -len("0/")], subforum[: -len("x/")]


def decorate_threads(rows: list[dict], displays: dict[int, str], viewer=None) -> list[ThreadRow]:
    """Each listed thread with its notes and how the viewer sees it (their own always shown).

    Notes come from the row's ``note_ids`` and the cached active notes: no query, no instances.
    """
    viewer_id = viewer.pk if viewer is not None and viewer.is_authenticated else None
    notes_by_id = {note.pk: note for note in active_content_notes()}
    thread_prefix, subforum_prefix = _url_prefixes()
    now = timezone.now()
    decorated = []
    for row in rows:
        ids = [int(part) for part in row["note_ids"].strip(",").split(",") if part]
        notes = [notes_by_id[pk] for pk in ids if pk in notes_by_id]
        own = row["author_id"] == viewer_id
        decorated.append(
            ThreadRow(
                url=f"{thread_prefix}{row['id']}/{row['slug'] or 'thread'}/",
                title=row["title"],
                is_pinned=row["is_pinned"],
                is_locked=row["is_locked"],
                status=row["status"],
                reply_count=row["reply_count"],
                replies=f"{row['reply_count']:,}",
                waiting=bool(row["rescue_stage"]) and row["first_reply_at"] is None,
                author=row["author__pseudonym"],
                last_poster=row["last_poster__pseudonym"] or "",
                last_activity_at=row["last_activity_at"],
                last_activity_ago=ago(row["last_activity_at"], now),
                notes=notes,
                display="show" if own else strongest_display(ids, displays),
                subforum_name=row.get("subforum__name", ""),
                subforum_url=f"{subforum_prefix}{row['subforum__slug']}/" if row.get("subforum__slug") else "",
            )
        )
    return decorated


def decorate_posts(posts, user, displays: dict[int, str], *, with_thread_notes: bool = False) -> list[PostView]:
    """Each post with its effective notes and what the viewer may do with it."""
    views = []
    for post in posts:
        notes = list(post.notes.all())
        # Thread notes apply to every post. On a thread page they are announced once, above all
        # posts; a post shown on its own (a profile) carries them itself.
        if with_thread_notes:
            notes = [*post.thread.notes.all(), *notes]
        combined = {note.pk: note for note in notes}
        # Authors always see their own words: a note they chose is for others.
        own = user.is_authenticated and post.author_id == user.pk
        views.append(
            PostView(
                post=post,
                notes=list(combined.values()),
                display="show" if own else strongest_display(combined.keys(), displays),
                show_text=can_see_post_text(user, post),
                can_edit=can_edit_post(user, post),
                can_delete=can_delete_post(user, post),
                # Deeper than the page nests: the reply sits beside its parent, so name it.
                answers_other=post.parent_id is not None and post.parent.depth >= post.depth,
            )
        )
    return views
