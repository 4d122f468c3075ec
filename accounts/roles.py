"""Who holds which role. The one staff predicate every app asks (forum visibility, moderation)."""

from __future__ import annotations


def is_forum_staff(user) -> bool:
    """Moderators and admins: active accounts that may see held and hidden posts and act on them.

    Forum querysets and permissions and moderation's permissions all call this, so a change to who
    counts as staff is made once.
    """
    return bool(
        getattr(user, "is_authenticated", False) and user.is_active and (user.is_moderator or user.is_superuser)
    )


def is_admin(user) -> bool:
    """Admins configure Hearth; only they may see a member's email address (and it is logged)."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_superuser)
