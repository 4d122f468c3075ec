"""May this person do this here? One place for the forum's answers.

``can_*`` return a bool for templates; ``check_*`` raise ``PermissionDenied`` with a calm,
human message for services and views.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from accounts.roles import is_forum_staff
from forum.models import Post, Subforum, Thread, Visibility
from forum.selectors import guidelines_version


def needs_guidelines_acceptance(user) -> bool:
    """True if the member has not accepted the current version of the guidelines."""
    return user.is_authenticated and user.guidelines_version_accepted < guidelines_version()


def posting_restriction(user) -> str:
    """Why a moderator's mute, suspension or ban keeps ``user`` from posting now, or ""."""
    return user.posting_restriction if user.is_authenticated else ""


def can_post(user) -> bool:
    """Signed in, active, has accepted the current guidelines and is not muted, suspended or banned."""
    return bool(
        user.is_authenticated
        and user.is_active
        and not needs_guidelines_acceptance(user)
        and not posting_restriction(user)
    )


def can_start_thread(user, subforum: Subforum) -> bool:
    """May ``user`` start a thread in ``subforum``?"""
    return can_post(user)


def can_reply(user, thread: Thread) -> bool:
    """May ``user`` reply in ``thread``? Locked threads accept replies from staff only."""
    if not can_post(user):
        return False
    if is_forum_staff(user):
        return True
    return thread.status == Visibility.PUBLISHED and not thread.is_locked


def can_post_once_guidelines_accepted(user) -> bool:
    """Signed in, active and not restricted: may post, perhaps after ticking the guidelines box
    in the composer.

    Controls ("Start a thread", "Reply") show for these members too, so skipping the welcome
    never silently takes them away; the composer asks for the guidelines in place.
    """
    return bool(user.is_authenticated and user.is_active and not posting_restriction(user))


def offers_start_thread(user, subforum: Subforum) -> bool:
    """Show "Start a thread" here (the composer asks for the guidelines if still needed)?"""
    return can_start_thread(user, subforum) or can_post_once_guidelines_accepted(user)


def offers_reply(user, thread: Thread) -> bool:
    """Show "Reply" links in this thread (the composer asks for the guidelines if still needed)?"""
    if can_reply(user, thread):
        return True
    return can_post_once_guidelines_accepted(user) and thread.status == Visibility.PUBLISHED and not thread.is_locked


def can_edit_post(user, post: Post) -> bool:
    """Authors may edit their own posts unless removed. Moderators edit others' posts through
    moderation's "edit as moderator", which cites a rule and logs the change."""
    if not user.is_authenticated:
        return False
    return post.author_id == user.pk and post.status != Visibility.DELETED and user.is_active


def can_delete_post(user, post: Post) -> bool:
    """Authors may remove their own posts (a soft removal: the text is kept)."""
    return bool(user.is_authenticated and post.author_id == user.pk and post.status != Visibility.DELETED)


def can_see_post_text(user, post: Post) -> bool:
    """Hidden and removed posts keep their text for the author and moderators only."""
    if post.status == Visibility.PUBLISHED:
        return True
    return is_forum_staff(user) or (user.is_authenticated and post.author_id == user.pk)


def can_see_post_history(user, post: Post) -> bool:
    """Earlier versions may hold words the author later took back: author and moderators only."""
    return is_forum_staff(user) or (user.is_authenticated and post.author_id == user.pk)


def can_volunteer(user) -> bool:
    """Helpers and welcomers are members who may post (signed in, active, guidelines accepted)."""
    return can_post(user)


def check_can_volunteer(user) -> None:
    if not can_volunteer(user):
        raise PermissionDenied("Please read and accept the community guidelines before offering to help.")


def check_can_start_thread(user, subforum: Subforum) -> None:
    if not user.is_authenticated:
        raise PermissionDenied("Please sign in to start a thread.")
    if needs_guidelines_acceptance(user):
        raise PermissionDenied("Please read and accept the community guidelines before posting.")
    if posting_restriction(user):
        raise PermissionDenied(posting_restriction(user))
    if not can_start_thread(user, subforum):
        raise PermissionDenied("You can't start a thread here at the moment.")


def check_can_reply(user, thread: Thread) -> None:
    if not user.is_authenticated:
        raise PermissionDenied("Please sign in to reply.")
    if needs_guidelines_acceptance(user):
        raise PermissionDenied("Please read and accept the community guidelines before posting.")
    if posting_restriction(user):
        raise PermissionDenied(posting_restriction(user))
    if thread.is_locked and not is_forum_staff(user):
        raise PermissionDenied("This thread is locked, so it doesn't take new replies.")
    if not can_reply(user, thread):
        raise PermissionDenied("You can't reply to this thread at the moment.")


def check_can_edit_post(user, post: Post) -> None:
    if not can_edit_post(user, post):
        raise PermissionDenied("You can only edit your own posts.")


def check_can_delete_post(user, post: Post) -> None:
    if not can_delete_post(user, post):
        raise PermissionDenied("You can only remove your own posts.")
