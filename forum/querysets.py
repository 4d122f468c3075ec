"""Visibility rules as querysets: who may see which threads and posts.

A member never learns that a thing they may not see exists, so views fetch through these and
answer 404 when nothing comes back.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from accounts.roles import is_forum_staff

PUBLISHED = "published"
# States whose placeholder stays in the thread for everyone (so replies keep their context),
# while the text itself is shown only to the author and moderators.
PLACEHOLDER_STATES = ("hidden", "deleted")


def thread_visible_to(user, *, status: str, author_id: int) -> bool:
    """The rule of ``ThreadQuerySet.visible_to`` for one thread whose state is already known."""
    if is_forum_staff(user):
        return True
    return status == PUBLISHED or bool(user.is_authenticated and author_id == user.pk)


class ThreadQuerySet(models.QuerySet):
    def visible_to(self, user) -> ThreadQuerySet:
        """Threads ``user`` may open: published ones, their own in any state, all for staff.

        ``thread_visible_to`` states the same rule for a thread in hand; change both together.
        """
        if is_forum_staff(user):
            return self
        if user.is_authenticated:
            return self.filter(Q(status=PUBLISHED) | Q(author=user))
        return self.filter(status=PUBLISHED)


class PostQuerySet(models.QuerySet):
    def in_thread_for(self, user) -> PostQuerySet:
        """Posts of a thread page for ``user``: pending posts only to their author and staff."""
        if is_forum_staff(user):
            return self
        shown = Q(status=PUBLISHED) | Q(status__in=PLACEHOLDER_STATES)
        if user.is_authenticated:
            shown |= Q(author=user)
        return self.filter(shown)

    def public(self) -> PostQuerySet:
        """Posts anyone may read, in threads anyone may read."""
        return self.filter(status=PUBLISHED, thread__status=PUBLISHED)
