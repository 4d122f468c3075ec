"""How the rest of Hearth hands work to moderators: creating or adding to review items.

Forum services call these (never the reverse), so this module imports only moderation models.
One open item per kind and target: a repeat adds to the existing item's count.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from moderation.models import RISK_PRIORITY, ReviewItem, RiskLevel


def review_item_open(
    *,
    kind: str,
    target_key: str,
    summary: str = "",
    risk_level: str = RiskLevel.NONE,
    post=None,
    thread=None,
    member=None,
    subforum=None,
    details: dict | None = None,
) -> ReviewItem:
    """Open a review item, or add one occurrence to the open item for the same kind and target."""
    now = timezone.now()
    existing = ReviewItem.objects.filter(kind=kind, target_key=target_key).exclude(status="resolved")
    item = existing.first()
    if item is None:
        try:
            with transaction.atomic():
                return ReviewItem.objects.create(
                    kind=kind,
                    target_key=target_key,
                    summary=summary[:300],
                    risk_level=risk_level,
                    priority=RISK_PRIORITY[RiskLevel(risk_level)],
                    post=post,
                    thread=thread,
                    member=member,
                    subforum=subforum,
                    details=details or {},
                    created_at=now,
                    updated_at=now,
                )
        except IntegrityError:  # another request opened it first; add to theirs
            item = existing.get()
    existing.filter(pk=item.pk).update(occurrences=F("occurrences") + 1, updated_at=now)
    item.refresh_from_db()
    return item


def new_member_to_welcome(*, member, thread=None) -> ReviewItem:
    """One "new member to welcome" item per member; their introduction thread is attached when it exists."""
    item = ReviewItem.objects.filter(kind=ReviewItem.Kind.NEW_MEMBER, target_key=f"member:{member.pk}").first()
    if item is None:
        return review_item_open(
            kind=ReviewItem.Kind.NEW_MEMBER,
            target_key=f"member:{member.pk}",
            summary=f"{member.pseudonym} joined"
            + (" and introduced themselves" if thread else ": say hello when you can"),
            member=member,
            thread=thread,
            subforum=thread.subforum if thread else None,
        )
    if thread is not None and item.thread_id is None:
        ReviewItem.objects.filter(pk=item.pk).update(
            thread=thread,
            subforum=thread.subforum,
            summary=f"{member.pseudonym} introduced themselves",
            updated_at=timezone.now(),
        )
        item.refresh_from_db()
    return item
