"""The forum's part of erasing a member's account (privacy/erasure.py runs the whole erasure).

Two choices, made by the member: their posts are erased, or kept under "Former member" (the
account row's new pseudonym). Either way their preferences, volunteering and reactions go.

Erased posts are emptied in place rather than deleted: replies hang from them (``parent`` is
protected) and the append-only moderation log points at some, so the rows stay as placeholders
that say "removed at the author's request", and their earlier versions are deleted. A thread they
started keeps its other members' replies reachable: it stays open with an emptied title and
opening post; a thread nobody else wrote in is removed.
"""

from __future__ import annotations

from django.db import transaction

from forum import notices
from forum.models import ContentNotePreference, Post, PostRevision, Reaction, Thread, Visibility, Volunteer
from forum.rendering import render_post
from forum.services import author_recount, thread_recount
from notifications.services import notifications_withdraw

ERASED_TEXT = "Removed at the author's request."
ERASED_TITLE = "Removed at the author's request"


@transaction.atomic
def member_forum_erase(*, member_id: int, erase_posts: bool) -> list[int]:
    """Remove ``member_id``'s forum data; with ``erase_posts`` empty their posts and threads.

    Returns the ids of the posts whose text was erased (for moderation's and screening's part).
    Safe to run twice.
    """
    ContentNotePreference.objects.filter(member_id=member_id).delete()
    Volunteer.objects.filter(member_id=member_id).delete()
    Reaction.objects.filter(member_id=member_id).delete()
    if not erase_posts:
        return []
    post_ids = list(Post.objects.filter(author_id=member_id).values_list("pk", flat=True))
    own_thread_ids = list(Thread.objects.filter(author_id=member_id).values_list("pk", flat=True))
    touched_threads = set(Post.objects.filter(pk__in=post_ids).values_list("thread_id", flat=True))
    withdrawn = [f"post:{pk}" for pk in post_ids] + [f"thread:{pk}" for pk in own_thread_ids]

    PostRevision.objects.filter(post_id__in=post_ids).delete()
    Post.objects.filter(pk__in=post_ids).update(
        source=ERASED_TEXT,
        html=render_post(ERASED_TEXT),
        status=Visibility.DELETED,
        status_reason="",
        submission_token=None,
        edited_at=None,  # its earlier versions are gone, so nothing says "edited"
        edit_count=0,
    )
    # A thread others wrote in stays where it is, so their replies stay reachable; one that held
    # only this member's words is removed.
    others_wrote = set(
        Post.objects.filter(thread_id__in=own_thread_ids)
        .exclude(author_id=member_id)
        .values_list("thread_id", flat=True)
    )
    Thread.objects.filter(pk__in=own_thread_ids).update(title=ERASED_TITLE, slug="removed")
    Thread.objects.filter(pk__in=set(own_thread_ids) - others_wrote).update(status=Visibility.DELETED)
    for thread_id in sorted(touched_threads | set(own_thread_ids)):
        thread_recount(thread_id=thread_id)
    author_recount(author_id=member_id)
    notifications_withdraw(subjects=withdrawn)
    return post_ids


def notice_subjects_of(*, member_id: int) -> list[str]:
    """The notification subjects that concern ``member_id``'s posts and threads."""
    post_ids = Post.objects.filter(author_id=member_id).values_list("pk", flat=True)
    thread_ids = Thread.objects.filter(author_id=member_id).values_list("pk", flat=True)
    return [f"post:{pk}" for pk in post_ids] + [notices.thread_subject(Thread(pk=pk)) for pk in thread_ids]
