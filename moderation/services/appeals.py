"""Appeals (DSA Art. 20): a member contests an action against them, or a reporter asks for a second
look at a "no action" decision. Each is a review item that the moderator who acted cannot decide;
reversal restores exactly what the action changed (from the log's "before").
"""

from __future__ import annotations

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from forum import services as forum_services
from forum.models import Post, Subforum, Thread
from moderation import intake
from moderation.models import Appeal, ModerationAction, Report, ReviewItem, Sanction
from moderation.services import queue
from moderation.services.actions import RESTRICTING, action_log
from moderation.services.sanctions import sanction_lift
from notifications.services import notify

APPEAL_WINDOW = timedelta(days=183)  # six months


class AppealRefused(Exception):
    """A calm reason an appeal can't be filed."""


def appeal_deadline(action: ModerationAction):
    return action.created_at + APPEAL_WINDOW


def can_appeal(*, member, action: ModerationAction) -> bool:
    return (
        action.member_id == member.pk
        and action.action in RESTRICTING
        and timezone.now() < appeal_deadline(action)
        and not Appeal.objects.filter(action=action, appellant=member).exists()
    )


def _open(*, kind: str, appellant, action: ModerationAction, words: str) -> Appeal:
    words = words.strip()
    if not words:
        raise AppealRefused("Please say in a few words why the decision should be looked at again.")
    thread = action.thread or (action.post.thread if action.post_id else None)
    item = intake.review_item_open(
        kind=ReviewItem.Kind.APPEAL,
        target_key=f"action:{action.pk}",
        summary=("Appeal: " if kind == Appeal.Kind.APPEAL else "Second look asked: ") + action.action,
        post=action.post,
        thread=thread,
        member=action.member,
        subforum=thread.subforum if thread else None,
        details={"actor_id": action.actor_id, "action_id": action.pk, "appeal_kind": kind},
        priority=2,
    )
    try:
        with transaction.atomic():
            return Appeal.objects.create(
                kind=kind, action=action, appellant=appellant, words=words[:2000], review_item=item
            )
    except IntegrityError:
        raise AppealRefused("You have already appealed this decision; a moderator will answer it.") from None


@transaction.atomic
def appeal_file(*, appellant, action: ModerationAction, words: str) -> Appeal:
    """The member an action restricted asks another moderator to look again (once, within 6 months)."""
    if action.member_id != appellant.pk or action.action not in RESTRICTING:
        raise AppealRefused("Only the member a decision concerns can appeal it.")
    if timezone.now() >= appeal_deadline(action):
        raise AppealRefused("The six months for appealing this decision have passed.")
    return _open(kind=Appeal.Kind.APPEAL, appellant=appellant, action=action, words=words)


@transaction.atomic
def second_look_request(*, reporter, report: Report, words: str) -> Appeal:
    """A reporter asks for a second look at a "no action" decision on their report."""
    if report.reporter_id != reporter.pk or not report.no_action or report.decided_by_action_id is None:
        raise AppealRefused("A second look can be asked for once a report was closed without action.")
    action = report.decided_by_action
    if timezone.now() >= appeal_deadline(action):
        raise AppealRefused("The six months for asking have passed.")
    return _open(kind=Appeal.Kind.SECOND_LOOK, appellant=reporter, action=action, words=words)


def _reverse(*, actor, action: ModerationAction, reason: str) -> dict:
    """Undo what ``action`` changed, from the log's before/after; returns what was restored."""
    name, before = action.action, action.before
    if name in {"post_hide", "post_hold", "post_request_edit"}:
        post = Post.objects.select_for_update().get(pk=action.post_id)
        forum_services.post_set_visibility(post=post, status=before["status"], reason=before.get("status_reason", ""))
        return {"status": before["status"]}
    if name == "post_edit_as_moderator":
        post = Post.objects.select_for_update().select_related("thread").get(pk=action.post_id)
        forum_services.post_revise(post=post, editor=actor, body=before["source"], title=before.get("title") or None)
        return {"source": before["source"]}
    if name == "thread_lock":
        thread = Thread.objects.get(pk=action.thread_id)
        forum_services.thread_set_locked(thread=thread, locked=before["is_locked"])
        return {"is_locked": before["is_locked"]}
    if name == "thread_move":
        thread = Thread.objects.get(pk=action.thread_id)
        forum_services.thread_move(thread=thread, subforum=Subforum.objects.get(pk=before["subforum_id"]))
        return {"subforum_id": before["subforum_id"]}
    if name.startswith("member_"):
        sanction = Sanction.objects.get(pk=action.after["sanction_id"])
        sanction_lift(actor=actor, sanction=sanction, reason=reason, reverses=action)
        return {"sanction_id": sanction.pk, "lifted": True}
    if name == "dismiss":  # a second look found action was needed: put the target back in the queue
        item = action.review_item
        intake.review_item_open(
            kind=ReviewItem.Kind.REPORT,
            target_key=item.target_key if item else f"action:{action.pk}",
            summary="Reopened after a second look",
            post=action.post,
            thread=action.thread,
            member=action.member,
            subforum=item.subforum if item else None,
        )
        return {"reopened": True}
    return {}


@transaction.atomic
def appeal_decide(*, actor, item_id: int, reverse: bool, rule, reason: str) -> ModerationAction:
    """Uphold or reverse the decision under appeal; never by the moderator who made it."""
    item = queue.item_lock_for_action(actor=actor, item_id=item_id)
    appeal = Appeal.objects.select_for_update().select_related("action", "appellant").get(review_item=item)
    if appeal.action.actor_id == actor.pk:
        raise queue.QueueConflict(queue.OWN_DECISION)
    restored = _reverse(actor=actor, action=appeal.action, reason=reason) if reverse else {}
    entry = action_log(
        actor=actor,
        action="appeal_reversed" if reverse else "appeal_upheld",
        rule=rule or appeal.action.rule,
        reason=reason,
        post=appeal.action.post,
        thread=appeal.action.thread,
        member=appeal.action.member,
        review_item=item,
        before={"action_id": appeal.action_id, "action": appeal.action.action},
        after={"decision": "reversed" if reverse else "upheld", **restored},
        reverses=appeal.action if reverse else None,
    )
    appeal.decision = Appeal.Decision.REVERSED if reverse else Appeal.Decision.UPHELD
    appeal.save(update_fields=["decision"])
    queue.item_resolve(item=item, actor=actor, resolution=entry.action, action=None)
    notify(
        recipient=appeal.appellant,
        kind="appeal_decided",
        title="Your appeal was decided: the decision was "
        + ("reversed." if reverse else "upheld.")
        + " A different moderator looked at it.",
        body=reason,
        url=appeal.action.get_absolute_url() if appeal.kind == Appeal.Kind.APPEAL else "",
    )
    return entry
