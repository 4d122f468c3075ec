"""Read-only queries about members."""

from __future__ import annotations

from accounts.models import User


def pseudonym_is_taken(*, pseudonym: str, exclude_user_id: int | None = None) -> bool:
    """True if another member already uses ``pseudonym`` (compared case-insensitively)."""
    qs = User.objects.filter(pseudonym__iexact=pseudonym.strip())
    if exclude_user_id is not None:
        qs = qs.exclude(pk=exclude_user_id)
    return qs.exists()


def member_by_pseudonym(*, pseudonym: str) -> User | None:
    return User.objects.filter(pseudonym__iexact=pseudonym, is_active=True).first()
