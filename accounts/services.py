"""Writes that concern a member's account. Accounts knows nothing of forum or moderation."""

from __future__ import annotations

import secrets

from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import AddressRecord, User
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


# --- Account deletion (the account's own rows; privacy/erasure.py runs the whole erasure) ------
ERASURE_MODES = ("erase", "keep")
FORMER_MEMBER = "Former member"


def member_request_erasure(*, user: User, mode: str) -> User:
    """Ask for ``user``'s account to be erased after the grace period; signing in cancels it."""
    if mode not in ERASURE_MODES:
        raise ValidationError("Please choose what happens to your posts.", code="mode")
    user.erasure_requested_at = timezone.now()
    user.erasure_mode = mode
    user.save(update_fields=["erasure_requested_at", "erasure_mode"])
    return user


def member_cancel_erasure(*, user: User) -> bool:
    """Withdraw a pending erasure (the member signed in again); True if there was one."""
    if user.erasure_requested_at is None or user.erased_at is not None:
        return False
    user.erasure_requested_at = None
    user.erasure_mode = ""
    user.save(update_fields=["erasure_requested_at", "erasure_mode"])
    return True


def _former_member_pseudonym() -> str:
    """ "Former member" and a short random tag: unique (pseudonyms are), says nothing of who it was,
    and lets readers of one conversation tell two former members apart."""
    for _ in range(20):
        candidate = f"{FORMER_MEMBER} {secrets.token_hex(3)}"
        if not pseudonym_is_taken(pseudonym=candidate):
            return candidate
    return f"{FORMER_MEMBER} {secrets.token_hex(8)}"


@transaction.atomic
def member_account_erase(*, member_id: int) -> User:
    """Empty the account row of everything that identifies the person, and end every way in.

    The row itself stays, holding nothing personal: posts kept under "Former member" and the
    append-only moderation log point at it by its number, which is the opaque reference the log
    keeps (the log never held an email address). Gone: email (and allauth's address rows),
    pseudonym, password, sessions, two-factor devices, sign-in address hashes, roles and
    restriction text.
    """
    member = User.objects.select_for_update().get(pk=member_id)
    if member.erased_at is not None:
        return member
    member.email = f"erased-{secrets.token_hex(12)}@erased.invalid"
    member.pseudonym = _former_member_pseudonym()
    member.set_unusable_password()
    member.is_active = member.is_staff = member.is_superuser = member.is_moderator = False
    member.last_login = None
    member.restriction_kind = member.restriction_reason = ""
    member.restriction_until = None
    member.onboarding_completed_at = member.guidelines_accepted_at = None
    member.guidelines_version_accepted = 0
    member.erasure_requested_at = member.erasure_requested_at or timezone.now()
    member.erased_at = timezone.now()
    member.save()
    member.groups.clear()
    member.user_permissions.clear()
    EmailAddress.objects.filter(user=member).delete()
    AddressRecord.objects.filter(member=member).delete()
    if apps.is_installed("allauth.mfa"):
        apps.get_model("mfa", "Authenticator").objects.filter(user=member).delete()
    member_sessions_end(member_id=member.pk)
    return member


def member_sessions_end(*, member_id: int) -> int:
    """Delete every stored session signed in as ``member_id``; returns how many.

    Sessions are stored by key, not by member, so this reads the live ones; erasure is rare.
    (An erased account could not use one anyway: its password hash changed, which invalidates
    sessions, and it is inactive.)
    """
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get(SESSION_KEY)) == str(member_id):
            session.delete()
            ended += 1
    return ended
