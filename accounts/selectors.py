"""Read-only queries about members."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.db.models.functions import Lower

from accounts.models import STAFF, User


def _by_pseudonym(pseudonym: str) -> QuerySet[User]:
    """Members whose pseudonym matches case-insensitively, through the unique index on
    lower(pseudonym). (``pseudonym__iexact`` compiles to UPPER() on PostgreSQL, which that
    index cannot serve: a scan of every member.)"""
    return User.objects.alias(pseudonym_lower=Lower("pseudonym")).filter(pseudonym_lower=pseudonym.lower())


def pseudonym_is_taken(*, pseudonym: str, exclude_user_id: int | None = None) -> bool:
    """True if another member already uses ``pseudonym`` (compared case-insensitively)."""
    qs = _by_pseudonym(pseudonym.strip())
    if exclude_user_id is not None:
        qs = qs.exclude(pk=exclude_user_id)
    return qs.exists()


def member_by_pseudonym(*, pseudonym: str) -> User | None:
    return _by_pseudonym(pseudonym).filter(is_active=True).first()


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
