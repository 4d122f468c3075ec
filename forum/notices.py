"""What the forum tells members: replies, mentions, thanks and "me too", helper requests.

Every notice is written for one reader. It names only published posts' authors and published
threads' titles; for a thread or post carrying a content note the reader hides, it says only
that there is activity. If a post is hidden later its notices are withdrawn
(``notifications.services.notifications_withdraw``).
"""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.db.models.functions import Lower

from forum.models import ContentNote, ContentNotePreference, NoteDisplay, Post, Thread, Visibility
from notifications.services import notify

MENTION = re.compile(r"(?<![\w@/])@([A-Za-z0-9_-]{2,40})")
MAX_MENTIONS = 10
ACTIVITY = "There is new activity in a thread you follow"


def members_hiding(*, note_ids: list[int], member_ids: list[int]) -> set[int]:
    """Which of ``member_ids`` chose (or by default get) "hide" for any of ``note_ids``."""
    if not note_ids or not member_ids:
        return set()
    defaults = dict(ContentNote.objects.filter(pk__in=note_ids, is_active=True).values_list("pk", "default_display"))
    if not defaults:
        return set()
    chosen = {
        (p.member_id, p.note_id): p.display
        for p in ContentNotePreference.objects.filter(member_id__in=member_ids, note_id__in=defaults.keys())
    }
    return {
        member_id
        for member_id in member_ids
        for note_id, default in defaults.items()
        if chosen.get((member_id, note_id), default) == NoteDisplay.HIDE
    }


def _note_ids(post: Post) -> list[int]:
    return [*post.thread.notes.values_list("pk", flat=True), *post.notes.values_list("pk", flat=True)]


def post_published(*, post: Post) -> None:
    """A post became visible to everyone: tell whom it answers, and whom it mentions."""
    if post.status != Visibility.PUBLISHED or post.thread.status != Visibility.PUBLISHED:
        return
    thread = post.thread
    told: dict[int, tuple[str, str]] = {}  # member id -> (kind, title)
    author = post.author.pseudonym
    if not post.is_opening:
        parent = post.parent
        if parent is not None and not parent.is_opening and parent.author_id != post.author_id:
            told[parent.author_id] = ("reply", f"{author} replied to your post in “{thread.title}”")
        if thread.author_id != post.author_id and thread.author_id not in told:
            told[thread.author_id] = ("reply", f"{author} replied to your thread “{thread.title}”")
    for member in _mentioned(post):
        if member.pk != post.author_id and member.pk not in told:
            told[member.pk] = ("mention", f"{author} mentioned you in “{thread.title}”")
    if not told:
        return
    hiding = members_hiding(note_ids=_note_ids(post), member_ids=list(told))
    members = get_user_model().objects.filter(pk__in=list(told), is_active=True)
    for member in members:
        kind, title = told[member.pk]
        notify(
            recipient=member,
            kind=kind,
            title=ACTIVITY if member.pk in hiding else title,
            url=post.get_absolute_url(),
            subject=f"post:{post.pk}",
        )


def _mentioned(post: Post) -> list:
    names = list(dict.fromkeys(name.lower() for name in MENTION.findall(post.source)))[:MAX_MENTIONS]
    if not names:
        return []
    return list(get_user_model().objects.annotate(lower_pseudonym=Lower("pseudonym")).filter(lower_pseudonym__in=names))


def reaction_added(*, post: Post, kind: str) -> None:
    """Someone thanked the author or said "me too": tell them calmly, without saying who."""
    if post.status != Visibility.PUBLISHED:
        return
    hidden = post.author_id in members_hiding(note_ids=_note_ids(post), member_ids=[post.author_id])
    if hidden:
        title = ACTIVITY
    elif kind == "thanks":
        title = f"Your {'post' if post.is_opening else 'reply'} in “{post.thread.title}” helped someone"
    else:
        title = f"Someone in “{post.thread.title}” feels the same as you"
    notify(recipient=post.author, kind="reaction", title=title, url=post.get_absolute_url(), subject=f"post:{post.pk}")


def post_withdrawn_subjects(*, post: Post) -> list[str]:
    """The notification subjects to withdraw when ``post`` is hidden or removed.

    The opening post carries its thread: every notice about any of its posts goes.
    """
    if not post.is_opening:
        return [f"post:{post.pk}"]
    ids = Post.objects.filter(thread_id=post.thread_id).values_list("pk", flat=True)
    return [f"thread:{post.thread_id}", *(f"post:{pk}" for pk in ids)]


def thread_subject(thread: Thread) -> str:
    return f"thread:{thread.pk}"
