"""The review queue's writes: claim, release, and resolve an item exactly once.

Every action on an item locks its row first (``item_lock_for_action``), so two moderators acting
on the same item at the same moment give one resolution and one log entry: the second waits for
the first's transaction, then finds the item resolved and is told so calmly.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from moderation import realtime
from moderation.models import ModerationAction, Report, ReviewItem
from moderation.permissions import check_can_moderate_subforum
from notifications.services import notify


class QueueConflict(Exception):
    """A calm explanation of why an item can't be acted on now (resolved meanwhile, claimed)."""


ALREADY_RESOLVED = "Another moderator has already dealt with this item, so nothing more was changed."
CLAIMED_BY_OTHER = "{name} is looking at this item right now. It frees up after 15 minutes without activity."
OWN_DECISION = "You made the decision under appeal, so another moderator decides the appeal."


def _locked(item_id: int) -> ReviewItem:
    item = ReviewItem.objects.select_for_update().filter(pk=item_id).first()
    if item is None:
        raise QueueConflict("That item is no longer in the queue.")
    return item


def _check_appeal_decider(*, actor, item: ReviewItem) -> None:
    """The moderator who took an action may not decide its appeal (nor a second look at it)."""
    if item.kind == ReviewItem.Kind.APPEAL and item.details.get("actor_id") == actor.pk:
        raise QueueConflict(OWN_DECISION)


@transaction.atomic
def review_item_claim(*, actor, item_id: int) -> ReviewItem:
    """Claim an item so others know you are on it; a claim lapses after 15 minutes idle."""
    item = _locked(item_id)
    check_can_moderate_subforum(actor, item.subforum_id)
    if item.status == ReviewItem.Status.RESOLVED:
        raise QueueConflict(ALREADY_RESOLVED)
    _check_appeal_decider(actor=actor, item=item)
    if item.claim_is_live() and item.claimed_by_id != actor.pk:
        raise QueueConflict(CLAIMED_BY_OTHER.format(name=item.claimed_by.pseudonym))
    item.status = ReviewItem.Status.CLAIMED
    item.claimed_by = actor
    item.claimed_at = timezone.now()
    item.save(update_fields=["status", "claimed_by", "claimed_at"])
    realtime.queue_changed_on_commit(event="claimed", item=item)
    return item


@transaction.atomic
def review_item_release(*, actor, item_id: int) -> ReviewItem:
    item = _locked(item_id)
    check_can_moderate_subforum(actor, item.subforum_id)
    if item.status == ReviewItem.Status.CLAIMED and item.claimed_by_id == actor.pk:
        item.status = ReviewItem.Status.OPEN
        item.claimed_by = None
        item.claimed_at = None
        item.save(update_fields=["status", "claimed_by", "claimed_at"])
        realtime.queue_changed_on_commit(event="released", item=item)
    return item


def review_item_touch(*, actor, item: ReviewItem) -> None:
    """Opening your own claimed item counts as activity, so the claim does not lapse while you read."""
    if item.status == ReviewItem.Status.CLAIMED and item.claimed_by_id == actor.pk:
        item.claimed_at = timezone.now()
        ReviewItem.objects.filter(pk=item.pk, claimed_by=actor).update(claimed_at=item.claimed_at)


def item_lock_for_action(*, actor, item_id: int) -> ReviewItem:
    """Lock an open item for an action in the caller's transaction; raise QueueConflict if stale."""
    item = _locked(item_id)
    check_can_moderate_subforum(actor, item.subforum_id)
    if item.status == ReviewItem.Status.RESOLVED:
        raise QueueConflict(ALREADY_RESOLVED)
    _check_appeal_decider(actor=actor, item=item)
    if item.claim_is_live() and item.claimed_by_id != actor.pk:
        raise QueueConflict(CLAIMED_BY_OTHER.format(name=item.claimed_by.pseudonym))
    return item


def item_resolve(*, item: ReviewItem, actor, resolution: str, action: ModerationAction | None) -> ReviewItem:
    """Mark a locked item resolved, and tell its reporters it was reviewed (never the details)."""
    item.status = ReviewItem.Status.RESOLVED
    item.resolved_by = actor
    item.resolved_at = timezone.now()
    item.resolution = resolution[:40]
    item.save(update_fields=["status", "resolved_by", "resolved_at", "resolution"])
    reports = list(Report.objects.filter(review_item=item, decided_by_action__isnull=True).select_related("reporter"))
    if reports and action is not None:
        Report.objects.filter(pk__in=[r.pk for r in reports]).update(
            decided_by_action=action, no_action=resolution == "dismissed"
        )
        from moderation.services.reports import reporter_review_unfounded

        for reporter_id in {r.reporter_id for r in reports}:
            report = next(r for r in reports if r.reporter_id == reporter_id)
            if resolution == "dismissed":
                reporter_review_unfounded(reporter=report.reporter)
            notify(
                recipient=report.reporter,
                kind="report_reviewed",
                title="Thank you: a moderator reviewed your report.",
                body="We don't share what was decided about someone else. "
                "If you think it needs another look, you can ask for one.",
                url=report.get_absolute_url(),
            )
    realtime.queue_changed_on_commit(event="resolved", item=item)
    return item


@transaction.atomic
def review_item_dismiss(*, actor, item_id: int, rule, reason: str) -> ModerationAction:
    """No action needed: log it (citing a rule and a reason) and resolve the item once."""
    from moderation.services.actions import action_log

    item = item_lock_for_action(actor=actor, item_id=item_id)
    entry = action_log(
        actor=actor,
        action="dismiss",
        rule=rule,
        reason=reason,
        post=item.post,
        thread=item.thread,
        member=item.member,
        review_item=item,
        flagged_by_screening=item.kind == ReviewItem.Kind.SCREENING,
        before={"item_status": item.status},
        after={"item_status": "resolved"},
    )
    item_resolve(item=item, actor=actor, resolution="dismissed", action=entry)
    return entry
