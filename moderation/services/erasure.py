"""Moderation's part of erasing a member's account (privacy/erasure.py runs the whole erasure).

The log is append-only and is never changed: its rows point at the account by number, and the
account row is emptied, so the number is the opaque reference the log keeps. What moderation
may change is scrubbed instead: review items' summaries (which name the member), and, when the
member's posts are erased, what screening and review items kept of their words, and the words
of their reports and appeals.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Replace

from moderation.models import Appeal, ModerationAction, Report, ReviewItem
from moderation.screening.models import ScreeningResult
from moderation.services.actions import action_log


@transaction.atomic
def member_moderation_scrub(
    *, member_id: int, old_pseudonym: str, new_pseudonym: str, erase_words: bool, erased_post_ids: list[int]
) -> None:
    """Remove the erased member's name, and their erased words, from moderation's own rows."""
    about = Q(member_id=member_id) | Q(post__author_id=member_id) | Q(thread__author_id=member_id)
    if old_pseudonym:
        ReviewItem.objects.filter(about).update(
            summary=Replace(F("summary"), Value(old_pseudonym), Value(new_pseudonym))
        )
    if not erase_words:
        return
    ScreeningResult.objects.filter(post_id__in=erased_post_ids).delete()
    ReviewItem.objects.filter(post_id__in=erased_post_ids).update(details={})
    Report.objects.filter(reporter_id=member_id).update(words="")
    Appeal.objects.filter(appellant_id=member_id).update(words="")


def account_erasure_log(*, member, actor=None, reason: str = "") -> ModerationAction:
    """Append the erasure to the log: by an admin (with their reason) or at the member's request."""
    return action_log(
        actor=actor,
        action="account_erase",
        rule=None,
        reason=reason or "Erased at the member's request after the grace period.",
        member=member,
    )
