"""Writes that concern a member's account. Accounts knows nothing of forum or moderation."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from accounts.pseudonyms import suggest_pseudonym, validate_pseudonym
from accounts.selectors import pseudonym_is_taken

PSEUDONYM_TAKEN = "Someone already uses that pseudonym. Please try another: a small change is enough."


def pseudonym_suggest_available(*, attempts: int = 20) -> str:
    """A friendly pseudonym nobody uses yet."""
    for _ in range(attempts):
        candidate = suggest_pseudonym()
        if not pseudonym_is_taken(pseudonym=candidate):
            return candidate
    return suggest_pseudonym() + "x"


def member_change_pseudonym(*, user: User, pseudonym: str) -> User:
    """Validate and store a new pseudonym; raises ValidationError with a calm message."""
    pseudonym = pseudonym.strip()
    validate_pseudonym(pseudonym)
    if pseudonym_is_taken(pseudonym=pseudonym, exclude_user_id=user.pk):
        raise ValidationError(PSEUDONYM_TAKEN, code="taken")
    user.pseudonym = pseudonym
    try:
        with transaction.atomic():
            user.save(update_fields=["pseudonym"])
    except IntegrityError:  # two people chose it in the same instant
        raise ValidationError(PSEUDONYM_TAKEN, code="taken") from None
    return user


def member_accept_guidelines(*, user: User, version: int) -> User:
    """Record that ``user`` accepted guidelines ``version`` now."""
    user.guidelines_version_accepted = version
    user.guidelines_accepted_at = timezone.now()
    user.save(update_fields=["guidelines_version_accepted", "guidelines_accepted_at"])
    return user


def member_complete_onboarding(*, user: User) -> User:
    if user.onboarding_completed_at is None:
        user.onboarding_completed_at = timezone.now()
        user.save(update_fields=["onboarding_completed_at"])
    return user


def member_post_count_add(*, member_id: int, delta: int = 1) -> None:
    """Add ``delta`` to a member's count of published posts (forum calls this as posts appear)."""
    User.objects.filter(pk=member_id).update(post_count=F("post_count") + delta)


def member_post_count_set(*, member_id: int, count: int) -> None:
    """Store a member's recomputed count of published posts (after a hide, restore or removal)."""
    User.objects.filter(pk=member_id).update(post_count=count)


def member_restrict_posting(*, member: User, kind: str, until, reason: str) -> User:
    """Record a mute, suspension or ban so posting pages can explain it (moderation decides it)."""
    member.restriction_kind = kind
    member.restriction_until = until
    member.restriction_reason = reason[:400]
    member.save(update_fields=["restriction_kind", "restriction_until", "restriction_reason"])
    return member


def member_lift_posting_restriction(*, member: User) -> User:
    member.restriction_kind = ""
    member.restriction_until = None
    member.restriction_reason = ""
    member.save(update_fields=["restriction_kind", "restriction_until", "restriction_reason"])
    return member
