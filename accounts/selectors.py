"""Read-only queries about members."""

from __future__ import annotations

from django.db.models import Q

from accounts.models import STAFF, User


def pseudonym_is_taken(*, pseudonym: str, exclude_user_id: int | None = None) -> bool:
    """True if another member already uses ``pseudonym`` (compared case-insensitively)."""
    qs = User.objects.filter(pseudonym__iexact=pseudonym.strip())
    if exclude_user_id is not None:
        qs = qs.exclude(pk=exclude_user_id)
    return qs.exists()


def member_by_pseudonym(*, pseudonym: str) -> User | None:
    return User.objects.filter(pseudonym__iexact=pseudonym, is_active=True).first()


def pseudonym_neighbours(*, skeleton: str, exclude_user_id: int | None = None) -> list[tuple[str, str, bool]]:
    """(pseudonym, skeleton, is staff) for every member whose name has ``skeleton`` and every
    member of the Hearth team: one query, read from the skeleton index and the staff partial
    index, however many members there are."""
    rows = User.objects.filter(Q(pseudonym_skeleton=skeleton) | STAFF)
    if exclude_user_id is not None:
        rows = rows.exclude(pk=exclude_user_id)
    return [
        (pseudonym, other, bool(moderator or superuser or staff))
        for pseudonym, other, moderator, superuser, staff in rows.values_list(
            "pseudonym", "pseudonym_skeleton", "is_moderator", "is_superuser", "is_staff"
        )
    ]
