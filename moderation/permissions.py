"""Who may moderate. Moderation views answer 404 to everyone else: members never learn queue URLs."""

from __future__ import annotations

from django.http import Http404


def can_moderate(user) -> bool:
    """Moderators and admins may act on any post (scoping per subforum arrives with the queue)."""
    return bool(user.is_authenticated and user.is_active and (user.is_moderator or user.is_superuser))


def check_can_moderate(user) -> None:
    if not can_moderate(user):
        raise Http404
