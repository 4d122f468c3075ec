"""Erasing a member's account (GDPR Art. 17): one function that calls each app's own part.

A member asks from their settings (accounts.services.member_request_erasure); after
HEARTH_ERASURE_GRACE_DAYS the hourly job carries it out, unless they signed in again in the
meantime, which cancels it (accounts/receivers.py). An admin can carry out the same erasure at
once, with a reason, and it is logged.

Either way: the email, the profile (pseudonym, preferences, volunteering), sessions, two-factor
devices, sign-in address hashes, notifications and data downloads go; with the "erase" choice
the posts' words go too, and with "keep" they stay under "Former member …". The moderation
log is never changed: it points at the emptied account row by its number (an opaque reference)
and gains one entry saying the account was erased.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.services import ERASURE_MODES, member_account_erase
from forum.erasure import member_forum_erase, notice_subjects_of
from moderation.services.erasure import account_erasure_log, member_moderation_scrub
from notifications.services import member_notifications_erase, notifications_rename
from privacy.models import DataExport

logger = logging.getLogger(__name__)


@transaction.atomic
def member_erase(*, member_id: int, mode: str, actor: User | None = None, reason: str = "") -> User:
    """Erase ``member_id``'s account now. ``mode`` is "erase" (their posts too) or "keep"
    (posts stay under "Former member"). Safe to run twice: an erased account is left alone."""
    if mode not in ERASURE_MODES:
        raise ValueError(f"Unknown erasure mode {mode!r}")
    member = User.objects.select_for_update().get(pk=member_id)
    if member.erased_at is not None:
        return member
    old_pseudonym = member.pseudonym
    erase_words = mode == "erase"
    subjects = notice_subjects_of(member_id=member_id)
    erased_post_ids = member_forum_erase(member_id=member_id, erase_posts=erase_words)
    member_notifications_erase(member_id=member_id)
    DataExport.objects.filter(member_id=member_id).delete()
    member = member_account_erase(member_id=member_id)
    if not erase_words:
        # Others' notices about the kept posts named the old pseudonym.
        notifications_rename(subjects=subjects, old=old_pseudonym, new=member.pseudonym)
    member_moderation_scrub(
        member_id=member_id,
        old_pseudonym=old_pseudonym,
        new_pseudonym=member.pseudonym,
        erase_words=erase_words,
        erased_post_ids=erased_post_ids,
    )
    account_erasure_log(member=member, actor=actor, reason=reason)
    # Only the number: after restoring a backup, operators erase these accounts again
    # (docs/operations.md, "Backups").
    logger.info("Erased account %s (posts %s)", member_id, "erased" if erase_words else "kept")
    return member


def erasure_due_ids(*, now=None) -> list[int]:
    """Accounts whose deletion was asked for more than the grace period ago and not yet done."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.HEARTH_ERASURE_GRACE_DAYS)
    return list(
        User.objects.filter(erasure_requested_at__lte=cutoff, erased_at__isnull=True).values_list("pk", flat=True)
    )


def erasure_carry_out_if_due(*, member_id: int) -> bool:
    """Erase ``member_id`` if their request still stands and its grace period is over.

    Re-read under the row lock: a sign-in a moment ago may have cancelled it.
    """
    with transaction.atomic():
        member = User.objects.select_for_update().filter(pk=member_id).first()
        cutoff = timezone.now() - timedelta(days=settings.HEARTH_ERASURE_GRACE_DAYS)
        if (
            member is None
            or member.erased_at is not None
            or member.erasure_requested_at is None
            or member.erasure_requested_at > cutoff
        ):
            return False
        member_erase(member_id=member_id, mode=member.erasure_mode or "keep")
    return True


def erasures_carry_out() -> int:
    """The hourly job: carry out every due erasure, each in its own transaction."""
    done = 0
    for member_id in erasure_due_ids():
        try:
            done += erasure_carry_out_if_due(member_id=member_id)
        except Exception:  # one account's failure must not stop the others; it is retried next hour
            logger.exception("Erasure of account %s failed; it will be tried again", member_id)
    return done
