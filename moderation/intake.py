"""How the rest of Hearth hands work to moderators, and the little it may ask of moderation.

Forum services call these (never the reverse), so this module imports only moderation models;
import-linter holds forum to this one door. One open item per kind and target: a repeat adds to
the existing item's count (and raises its priority if the repeat is more urgent).
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from moderation import realtime
from moderation.models import RISK_PRIORITY, ModerationAction, ReviewItem, RiskLevel


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
    priority: int | None = None,
) -> ReviewItem:
    """Open a review item, or add one occurrence to the open item for the same kind and target.

    ``priority`` defaults to the risk level's; pass PRIORITY_OTHERS_RISK for someone else's risk.
    """
    if priority is None:
        priority = RISK_PRIORITY[RiskLevel(risk_level)]
    now = timezone.now()
    existing = ReviewItem.objects.filter(kind=kind, target_key=target_key).exclude(status="resolved")
    item = existing.first()
    if item is None:
        try:
            with transaction.atomic():
                item = ReviewItem.objects.create(
                    kind=kind,
                    target_key=target_key,
                    summary=summary[:300],
                    risk_level=risk_level,
                    priority=priority,
                    post=post,
                    thread=thread,
                    member=member,
                    subforum=subforum,
                    details=details or {},
                    created_at=now,
                    updated_at=now,
                )
            realtime.queue_changed_on_commit(event="opened", item=item)
            return item
        except IntegrityError:  # another request opened it first; add to theirs
            item = existing.get()
    existing.filter(pk=item.pk).update(occurrences=F("occurrences") + 1, updated_at=now)
    if priority > item.priority:  # a more urgent repeat lifts the item
        existing.filter(pk=item.pk).update(priority=priority, risk_level=risk_level)
    item.refresh_from_db()
    realtime.queue_changed_on_commit(event="repeated", item=item)
    return item


def review_item_withdraw(*, kind: str, target_key: str) -> int:
    """Close open items Hearth itself made moot (the demo publishes its own held posts)."""
    return (
        ReviewItem.objects.filter(kind=kind, target_key=target_key)
        .exclude(status="resolved")
        .update(status="resolved", resolution="withdrawn", resolved_at=timezone.now())
    )


def edit_was_requested(*, post_id: int) -> bool:
    """True if the latest moderator action on this post asked its author for an edit."""
    latest = ModerationAction.objects.filter(post_id=post_id).order_by("-created_at", "-id").first()
    return latest is not None and latest.action == "post_request_edit"


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
