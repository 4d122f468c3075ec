"""Read-only queries about members."""

from __future__ import annotations

from django.db.models import QuerySet
from django.db.models.functions import Lower

from accounts.models import User


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
