"""How the rest of Hearth hands work to moderators, and the little it may ask of moderation.

Forum services call these (never the reverse), so this module imports only moderation models;
import-linter holds forum to this one door. One open item per kind and target: a repeat adds to
the existing item's count (and raises its priority if the repeat is more urgent).
"""

from __future__ import annotations

import logging

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from moderation import realtime
from moderation.models import RISK_PRIORITY, ModerationAction, ReviewItem, RiskLevel

logger = logging.getLogger(__name__)


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

    ``priority`` overrides the one derived from ``risk_level`` (PRIORITY_OTHERS_RISK for someone
    else's imminent risk, PRIORITY_DOUBTED_HIGH for a high the context check doubted). A repeat
    raises the open item's priority and risk to the new ones when they are higher, and merges
    ``details`` into it, so a post edited into something worse climbs the queue."""
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
    changes = {}
    if priority > item.priority:  # a more urgent repeat lifts the item
        changes["priority"] = priority
        changes["summary"] = summary[:300] or item.summary
    if RISK_PRIORITY[RiskLevel(risk_level)] > RISK_PRIORITY[RiskLevel(item.risk_level)]:
        changes["risk_level"] = risk_level
    if details:
        changes["details"] = {**item.details, **details}
    existing.filter(pk=item.pk).update(occurrences=F("occurrences") + 1, updated_at=now, **changes)
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


def approved_post_count(*, author_id: int, at_least: int) -> int:
    """How many of this member's posts a moderator approved after they were held (pre-moderation
    or screening) and that are still published, counting up to ``at_least``: what lifts a new
    member's pre-moderation (forum.services._needs_review)."""
    approved = (
        ModerationAction.objects.filter(action="post_approve", member_id=author_id, post__status="published")
        .values_list("post_id", flat=True)
        .distinct()
    )
    return len(approved[:at_least])


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


def screening_requested(*, post_id: int, revision: int) -> None:
    """Queue the risk screening of one revision of a post once the transaction commits.

    Forum services call this after every create and edit. With the broker down the post is
    still published at once: the sweeper queues its screening later.
    """

    def queue() -> None:
        from moderation.screening.tasks import screen_post

        try:
            screen_post.apply_async((post_id, revision), retry=False)
        except Exception:  # noqa: BLE001 - any broker failure; the sweeper catches up
            logger.warning("could not queue screening of post %s r%s; the sweeper will", post_id, revision)

    transaction.on_commit(queue)


def signpost_for(*, text: str):
    """The composer's signposting: the fast stages' level on what the author is writing, the content
    notes to suggest, and whether to show the help panel (``moderation.screening.posts``)."""
    from moderation.screening.posts import signpost_for as fast_stages_signpost

    return fast_stages_signpost(text=text)


def typical_review_minutes() -> int | None:
    """How long moderators usually take to read a held post (median minutes over 30 days)."""
    from moderation.screening.posts import typical_review_minutes as median_minutes

    return median_minutes()


def _screening_level(*, thread) -> str:
    """The highest risk screening has given any post of ``thread`` (its results per revision),
    or "none" when nothing was screened yet."""
    from moderation.screening.models import ScreeningResult

    levels = ScreeningResult.objects.filter(post__thread=thread, status="done").values_list("level", flat=True)
    return max(levels, key=lambda level: RISK_PRIORITY[RiskLevel(level)], default=RiskLevel.NONE)


def thread_unanswered_open(*, thread, waited: str) -> ReviewItem:
    """Tell moderators that ``thread`` has waited ``waited`` (e.g. "12 hours") without a reply."""
    return review_item_open(
        kind=ReviewItem.Kind.UNANSWERED,
        target_key=f"thread:{thread.pk}",
        summary=f"No reply yet after {waited}: {thread.title}",
        risk_level=_screening_level(thread=thread),
        thread=thread,
        member=thread.author,
        subforum=thread.subforum,
        details={"waited": waited},
    )


def thread_answered(*, thread) -> list[ReviewItem]:
    """Someone else replied to ``thread``: resolve its "unanswered" item, and if it is an
    introduction, its author's "new member to welcome" item. Returns the items resolved.

    Called by the reply service in the reply's transaction, so the queue changes at once.
    """
    keys = [(ReviewItem.Kind.UNANSWERED, f"thread:{thread.pk}")]
    if thread.subforum.is_introductions:
        keys.append((ReviewItem.Kind.NEW_MEMBER, f"member:{thread.author_id}"))
    return [item for kind, key in keys for item in _resolve_by_hearth(kind=kind, target_key=key, resolution="answered")]


def thread_unanswered_withdraw(*, thread, resolution: str) -> list[ReviewItem]:
    """The thread left the rescue another way (hidden, removed): close its "unanswered" item."""
    return _resolve_by_hearth(kind=ReviewItem.Kind.UNANSWERED, target_key=f"thread:{thread.pk}", resolution=resolution)


@transaction.atomic
def _resolve_by_hearth(*, kind: str, target_key: str, resolution: str) -> list[ReviewItem]:
    """Resolve the open item for (kind, target), logging that Hearth itself did it."""
    now = timezone.now()
    items = list(
        ReviewItem.objects.select_for_update().filter(kind=kind, target_key=target_key).exclude(status="resolved")
    )
    for item in items:
        item.status = ReviewItem.Status.RESOLVED
        item.resolved_at = now
        item.resolution = resolution
        item.updated_at = now
        item.save(update_fields=["status", "resolved_at", "resolution", "updated_at"])
        ModerationAction.objects.create(
            actor=None,
            action="review_item_resolved",
            reason=f"Resolved by Hearth: {resolution}",
            thread_id=item.thread_id,
            member_id=item.member_id,
            review_item=item,
            after={"status": "resolved", "resolution": resolution},
            created_at=now,
        )
        realtime.queue_changed_on_commit(event="resolved", item=item)
    return items
