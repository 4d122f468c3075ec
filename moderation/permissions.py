"""Who may moderate what. Moderation views answer 404 to everyone else: members never learn queue URLs.

A moderator acts on every subforum unless a ``ModeratorScope`` names the subforums they look after;
admins always act everywhere. Outside their scope items are not listed and action URLs are 404s.
"""

from __future__ import annotations

from functools import wraps

from django.http import Http404

from accounts.roles import is_admin, is_forum_staff


def can_moderate(user) -> bool:
    """Moderators and admins (the one staff predicate, accounts.roles.is_forum_staff)."""
    return is_forum_staff(user)


def check_can_moderate(user) -> None:
    if not can_moderate(user):
        raise Http404


def moderators_only(view):
    """Decorate a queue or action view: a 404 for everyone but moderators, guests included.

    Not ``login_required``: sending guests to sign in would tell them the URL exists, where a
    member gets a 404 (members never learn queue URLs).
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        check_can_moderate(request.user)
        return view(request, *args, **kwargs)

    return wrapped


def moderated_subforum_ids(user) -> set[int] | None:
    """The subforum ids ``user`` may act on; None means all of them."""
    if is_admin(user):
        return None
    from moderation.models import ModeratorScope

    scope = ModeratorScope.objects.filter(moderator=user).prefetch_related("subforums").first()
    if scope is None or scope.all_subforums:
        return None
    return {s.pk for s in scope.subforums.all()}


def can_moderate_subforum(user, subforum_id: int | None) -> bool:
    """May ``user`` act on things in this subforum? Items without a subforum (a member) need full scope."""
    if not can_moderate(user):
        return False
    ids = moderated_subforum_ids(user)
    return ids is None or (subforum_id is not None and subforum_id in ids)


def check_can_moderate_subforum(user, subforum_id: int | None) -> None:
    if not can_moderate_subforum(user, subforum_id):
        raise Http404


def can_see_email(user) -> bool:
    """Only admins may see a member's email address, and each look is logged with a reason."""
    return is_admin(user)
