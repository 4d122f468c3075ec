"""Turn query results into what a page shows, applying content notes and moderation state.

Pure functions over already-fetched rows: they run no queries, so pages keep constant counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
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
    # Worked out once per page rather than by template tags per post (see PageUrls, ago).
    url: str = ""
    author_url: str = ""
    author_is_new: bool = False
    created_ago: str = ""
    parent_url: str = ""
    react_url: str = ""
    reply_url: str = ""
    report_url: str = ""
    edit_url: str = ""
    delete_url: str = ""
    history_url: str = ""


def _builder(name: str, kwarg: str, sentinel):
    """A function giving ``reverse(name, kwargs={kwarg: value})`` by string formatting: one
    reverse() per page instead of one per post (a listing's URLs were a fifth of its time)."""
    head, tail = reverse(name, kwargs={kwarg: sentinel}).split(str(sentinel), 1)
    return lambda value: f"{head}{value}{tail}"


class PageUrls:
    """The URLs a page of posts prints, built once per page."""

    def __init__(self) -> None:
        number, word = 987654321, "zzhearthzz"
        self.post = _builder("forum:post", "post_id", number)
        self.profile = _builder("forum:profile", "pseudonym", word)
        self.reply = _builder("forum:reply", "thread_id", number)
        self.react = _builder("forum:post_react", "post_id", number)
        self.report = _builder("moderation:report_post", "post_id", number)
        self.edit = _builder("forum:post_edit", "post_id", number)
        self.delete = _builder("forum:post_delete", "post_id", number)
        self.history = _builder("forum:post_history", "post_id", number)


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
    """Each post with its effective notes, what the viewer may do with it, and the URLs and
    times it prints (computed here once per page, not by template tags per post)."""
    urls = PageUrls()
    now = timezone.now()
    new_since = now - timedelta(days=settings.HEARTH_NEW_MEMBER_DAYS)
    signed_in = user.is_authenticated
    views = []
    for post in posts:
        notes = list(post.notes.all())
        # Thread notes apply to every post. On a thread page they are announced once, above all
        # posts; a post shown on its own (a profile) carries them itself.
        if with_thread_notes:
            notes = [*post.thread.notes.all(), *notes]
        combined = {note.pk: note for note in notes}
        # Authors always see their own words: a note they chose is for others.
        own = signed_in and post.author_id == user.pk
        view = PostView(
            post=post,
            notes=list(combined.values()),
            display="show" if own else strongest_display(combined.keys(), displays),
            show_text=can_see_post_text(user, post),
            can_edit=can_edit_post(user, post),
            can_delete=can_delete_post(user, post),
            # Deeper than the page nests: the reply sits beside its parent, so name it.
            answers_other=post.parent_id is not None and post.parent.depth >= post.depth,
            url=urls.post(post.pk),
            created_ago=ago(post.created_at, now),
            reply_url=urls.reply(post.thread_id),
            react_url=urls.react(post.pk),
        )
        author = post._state.fields_cache.get("author")  # joined on thread pages; a profile needs none
        if author is not None:
            # An erased account has no profile: its name stands alone ("Former member …").
            view.author_url = "" if author.erased_at else urls.profile(author.pseudonym)
            view.author_is_new = author.date_joined > new_since
        if view.answers_other:
            view.parent_url = urls.post(post.parent_id)
        if signed_in and not own:
            view.report_url = urls.report(post.pk)
        if view.can_edit:
            view.edit_url = urls.edit(post.pk)
            view.history_url = urls.history(post.pk)
        if view.can_delete:
            view.delete_url = urls.delete(post.pk)
        views.append(view)
    return views
