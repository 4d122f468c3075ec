"""Moderator actions on posts and threads. Each is a named service that checks permission, calls the
forum primitive for the row change and appends the log entry, in one transaction.

An action taken from a review item locks the item first and resolves it in the same transaction,
so it happens once however many moderators press the button at the same moment.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from forum import services as forum_services
from forum.models import ContentNote, Post, Rule, Subforum, Thread, Visibility
from moderation.models import ModerationAction, ReviewItem
from moderation.permissions import check_can_moderate, check_can_moderate_subforum
from moderation.services import queue
from notifications.services import notify

# Actions that restrict a member or their words: each produces a statement of reasons (DSA Art. 17)
# and may be appealed.
RESTRICTING = {
    "post_hide",
    "post_hold",
    "post_request_edit",
    "post_edit_as_moderator",
    "thread_lock",
    "thread_move",
    "member_warn",
    "member_mute",
    "member_suspend",
    "member_ban",
}

# Decisions the member concerned may read as a statement of reasons (their own page, their
# export). Others, such as an admin looking at an email address with the reason they gave, are
# internal to the team and never shown to the member.
SHOWN_TO_MEMBER = RESTRICTING | {
    "post_approve",
    "post_restore",
    "post_notes_change",
    "thread_notes_change",
    "sanction_lift",
    "appeal_upheld",
    "appeal_reversed",
    "reach_out",
    "moderator_reply",
}

ACTION_LABELS = {
    "post_approve": "approved a post",
    "post_hold": "held a post for review",
    "post_hide": "hid a post",
    "post_restore": "restored a post",
    "post_request_edit": "asked for an edit",
    "post_edit_as_moderator": "edited a post",
    "thread_lock": "locked a thread",
    "thread_unlock": "unlocked a thread",
    "thread_pin": "pinned a thread",
    "thread_unpin": "unpinned a thread",
    "thread_move": "moved a thread",
    "post_notes_change": "changed a post's content notes",
    "thread_notes_change": "changed a thread's content notes",
    "dismiss": "found no action was needed",
    "member_warn": "warned a member",
    "member_mute": "made an account read-only",
    "member_suspend": "suspended an account",
    "member_ban": "banned an account from posting",
    "sanction_lift": "lifted a restriction",
    "reach_out": "reached out privately",
    "moderator_reply": "replied as a moderator",
    "appeal_upheld": "upheld a decision on appeal",
    "appeal_reversed": "reversed a decision on appeal",
    "email_view": "viewed an account's email address",
    "account_erase": "erased an account",
}


def action_log(
    *,
    actor,
    action: str,
    rule: Rule | None,
    reason: str,
    post=None,
    thread=None,
    member=None,
    review_item=None,
    before: dict | None = None,
    after: dict | None = None,
    flagged_by_screening: bool = False,
    reverses: ModerationAction | None = None,
) -> ModerationAction:
    """Append one entry to the moderation log."""
    return ModerationAction.objects.create(
        actor=actor,
        action=action,
        rule=rule,
        reason=reason,
        post=post,
        thread=thread,
        member=member,
        review_item=review_item,
        before=before or {},
        after=after or {},
        flagged_by_screening=flagged_by_screening,
        reverses=reverses,
    )


def statement_send(entry: ModerationAction) -> None:
    """Tell the member concerned, in Hearth, that a decision restricts them or their words.

    The notification says only what was done; the linked statement of reasons (their own page)
    gives the rule, the facts, whether screening flagged it and how to appeal.
    """
    if entry.member_id is None or entry.action not in RESTRICTING:
        return
    notify(
        recipient=entry.member,
        kind="moderation",
        title=f"A moderator {ACTION_LABELS.get(entry.action, entry.action)}: here is why, and how to appeal.",
        url=entry.get_absolute_url(),
    )


@dataclass
class _Context:
    item: ReviewItem | None
    flagged: bool


def _begin(*, actor, subforum_id: int | None, item_id: int | None, post: Post | None = None) -> _Context:
    """Check permission and scope, and lock the review item the action answers (if any)."""
    check_can_moderate(actor)
    check_can_moderate_subforum(actor, subforum_id)
    item = queue.item_lock_for_action(actor=actor, item_id=item_id) if item_id else None
    flagged = bool(item and item.kind == ReviewItem.Kind.SCREENING)
    if post is not None and not flagged:
        flagged = ReviewItem.objects.filter(kind=ReviewItem.Kind.SCREENING, target_key=f"post:{post.pk}").exists()
    return _Context(item=item, flagged=flagged)


def _finish(*, actor, context: _Context, entry: ModerationAction, resolution: str) -> ModerationAction:
    if context.item is not None:
        queue.item_resolve(item=context.item, actor=actor, resolution=resolution, action=entry)
    statement_send(entry)
    return entry


def _fresh_post(post: Post) -> Post:
    """Re-read and lock the post: the state logged as "before" is the state actually changed."""
    fresh = Post.objects.select_for_update().select_related("thread", "author").filter(pk=post.pk).first()
    if fresh is None:
        raise queue.QueueConflict("That post no longer exists, so nothing was changed.")
    return fresh


def _post_visibility(
    *,
    actor,
    post: Post,
    status: str,
    action: str,
    rule: Rule | None,
    reason: str,
    item_id: int | None,
    shown_reason: str = "",
) -> ModerationAction:
    post = _fresh_post(post)
    context = _begin(actor=actor, subforum_id=post.thread.subforum_id, item_id=item_id, post=post)
    before = {"status": post.status, "status_reason": post.status_reason}
    forum_services.post_set_visibility(post=post, status=status, reason=shown_reason)
    entry = action_log(
        actor=actor,
        action=action,
        rule=rule,
        reason=reason,
        post=post,
        thread=post.thread,
        member=post.author,
        review_item=context.item,
        before=before,
        after={"status": status, "status_reason": shown_reason},
        flagged_by_screening=context.flagged,
    )
    return _finish(actor=actor, context=context, entry=entry, resolution=action)


def _shown(rule: Rule | None, reason: str) -> str:
    """What the author reads beside their own post: the moderator's reason and the guideline."""
    return f"{reason} ({rule.code}: {rule.title})" if rule else reason


@transaction.atomic
def post_approve(*, actor, post: Post, rule: Rule | None = None, reason: str = "", item_id: int | None = None):
    """Publish a held post (it appears for everyone, counters follow)."""
    return _post_visibility(
        actor=actor, post=post, status=Visibility.PUBLISHED, action="post_approve", rule=rule, reason=reason,
        item_id=item_id,
    )  # fmt: skip


@transaction.atomic
def post_hold(*, actor, post: Post, rule: Rule, reason: str, item_id: int | None = None):
    """Take a published post back to "waiting for review" while moderators look."""
    return _post_visibility(
        actor=actor, post=post, status=Visibility.PENDING, action="post_hold", rule=rule, reason=reason,
        item_id=item_id, shown_reason=_shown(rule, reason),
    )  # fmt: skip


@transaction.atomic
def post_hide(*, actor, post: Post, rule: Rule, reason: str, item_id: int | None = None):
    """Hide a post: its place stays in the thread; the author still reads their text and the reason."""
    return _post_visibility(
        actor=actor, post=post, status=Visibility.HIDDEN, action="post_hide", rule=rule, reason=reason,
        item_id=item_id, shown_reason=_shown(rule, reason),
    )  # fmt: skip


@transaction.atomic
def post_restore(*, actor, post: Post, rule: Rule | None, reason: str, item_id: int | None = None):
    """Show a hidden or held post again."""
    return _post_visibility(
        actor=actor, post=post, status=Visibility.PUBLISHED, action="post_restore", rule=rule, reason=reason,
        item_id=item_id,
    )  # fmt: skip


@transaction.atomic
def post_request_edit(*, actor, post: Post, rule: Rule, reason: str, item_id: int | None = None):
    """Hide a post until its author edits it; their edit sends it back to the queue."""
    return _post_visibility(
        actor=actor, post=post, status=Visibility.HIDDEN, action="post_request_edit", rule=rule, reason=reason,
        item_id=item_id,
        shown_reason="A moderator asked you to edit this post: " + _shown(rule, reason)
        + " It will be read again once you edit it.",
    )  # fmt: skip


@transaction.atomic
def post_edit_as_moderator(
    *, actor, post: Post, body: str, title: str | None, rule: Rule, reason: str, item_id: int | None = None
) -> ModerationAction:
    """Change a member's words (a revision keeps the old text), citing a rule, logged with both texts."""
    post = _fresh_post(post)
    context = _begin(actor=actor, subforum_id=post.thread.subforum_id, item_id=item_id, post=post)
    before = {"source": post.source, "title": post.thread.title if post.is_opening else ""}
    post = forum_services.post_revise(post=post, editor=actor, body=body, title=title)
    entry = action_log(
        actor=actor,
        action="post_edit_as_moderator" if post.author_id != actor.pk else "post_edit_own",
        rule=rule,
        reason=reason,
        post=post,
        thread=post.thread,
        member=post.author,
        review_item=context.item,
        before=before,
        after={"source": post.source, "title": post.thread.title if post.is_opening else ""},
        flagged_by_screening=context.flagged,
    )
    return _finish(actor=actor, context=context, entry=entry, resolution="edited")


def _thread_flag(
    *, actor, thread: Thread, field: str, value: bool, action: str, rule, reason, item_id
) -> ModerationAction:
    thread = Thread.objects.select_for_update().get(pk=thread.pk)
    context = _begin(actor=actor, subforum_id=thread.subforum_id, item_id=item_id)
    primitive = forum_services.thread_set_locked if field == "is_locked" else forum_services.thread_set_pinned
    before, after = primitive(thread=thread, **{"locked" if field == "is_locked" else "pinned": value})
    entry = action_log(
        actor=actor,
        action=action,
        rule=rule,
        reason=reason,
        thread=thread,
        member=thread.author,
        review_item=context.item,
        before={field: before},
        after={field: after},
        flagged_by_screening=context.flagged,
    )
    return _finish(actor=actor, context=context, entry=entry, resolution=action)


@transaction.atomic
def thread_lock(*, actor, thread: Thread, rule: Rule, reason: str, item_id: int | None = None):
    """Stop new replies (staff may still reply)."""
    return _thread_flag(
        actor=actor, thread=thread, field="is_locked", value=True, action="thread_lock", rule=rule, reason=reason,
        item_id=item_id,
    )  # fmt: skip


@transaction.atomic
def thread_unlock(*, actor, thread: Thread, rule: Rule | None, reason: str, item_id: int | None = None):
    return _thread_flag(
        actor=actor, thread=thread, field="is_locked", value=False, action="thread_unlock", rule=rule,
        reason=reason, item_id=item_id,
    )  # fmt: skip


@transaction.atomic
def thread_pin(*, actor, thread: Thread, rule: Rule | None, reason: str, item_id: int | None = None):
    return _thread_flag(
        actor=actor, thread=thread, field="is_pinned", value=True, action="thread_pin", rule=rule, reason=reason,
        item_id=item_id,
    )  # fmt: skip


@transaction.atomic
def thread_unpin(*, actor, thread: Thread, rule: Rule | None, reason: str, item_id: int | None = None):
    return _thread_flag(
        actor=actor, thread=thread, field="is_pinned", value=False, action="thread_unpin", rule=rule,
        reason=reason, item_id=item_id,
    )  # fmt: skip


@transaction.atomic
def thread_move(
    *, actor, thread: Thread, subforum: Subforum, rule: Rule, reason: str, item_id: int | None = None
) -> ModerationAction:
    """Move a thread to another subforum; the moderator must look after both."""
    thread = Thread.objects.select_for_update().get(pk=thread.pk)
    context = _begin(actor=actor, subforum_id=thread.subforum_id, item_id=item_id)
    check_can_moderate_subforum(actor, subforum.pk)
    before, after = forum_services.thread_move(thread=thread, subforum=subforum)
    entry = action_log(
        actor=actor,
        action="thread_move",
        rule=rule,
        reason=reason,
        thread=thread,
        member=thread.author,
        review_item=context.item,
        before={"subforum_id": before},
        after={"subforum_id": after},
    )
    return _finish(actor=actor, context=context, entry=entry, resolution="moved")


@transaction.atomic
def content_notes_change(
    *,
    actor,
    post: Post,
    post_notes: Iterable[ContentNote],
    thread_notes: Iterable[ContentNote] | None,
    rule: Rule,
    reason: str,
) -> list[ModerationAction]:
    """Set a post's notes (and its thread's, for an opening post), logging each real change."""
    check_can_moderate(actor)
    check_can_moderate_subforum(actor, post.thread.subforum_id)
    entries = []
    if thread_notes is not None:
        before, after = forum_services.thread_notes_set(thread=post.thread, notes=thread_notes)
        if before != after:
            entries.append(
                action_log(
                    actor=actor,
                    action="thread_notes_change",
                    rule=rule,
                    reason=reason,
                    thread=post.thread,
                    member=post.author,
                    before={"notes": before},
                    after={"notes": after},
                )
            )
    before, after = forum_services.post_notes_set(post=post, notes=post_notes)
    if before != after:
        entries.append(
            action_log(
                actor=actor,
                action="post_notes_change",
                rule=rule,
                reason=reason,
                post=post,
                thread=post.thread,
                member=post.author,
                before={"notes": before},
                after={"notes": after},
            )
        )
    return entries


@transaction.atomic
def member_reach_out(*, actor, member, note: str, item_id: int | None = None) -> ModerationAction:
    """A private message to a member with the help page's crisis resources and a personal note.

    The post is not touched; the log records that someone reached out (not the note's words).
    """
    from forum.selectors import help_resources

    context = _begin(actor=actor, subforum_id=None if item_id is None else _item_subforum(item_id), item_id=item_id)
    lines = [note.strip(), "", "If things feel too much right now, these people are there for you:"]
    for resource in help_resources():
        contact = " · ".join(x for x in (resource.phone, resource.text, resource.hours) if x)
        lines.append(f"- {resource.name}{': ' + contact if contact else ''}")
    notify(
        recipient=member,
        kind="reach_out",
        title=f"A message from {actor.pseudonym}, one of Hearth's moderators",
        body="\n".join(lines),
        url="/help/",
    )
    entry = action_log(
        actor=actor, action="reach_out", rule=None, reason="Reached out privately.", member=member,
        review_item=context.item,
    )  # fmt: skip
    return _finish(actor=actor, context=context, entry=entry, resolution="reached_out")


def _item_subforum(item_id: int) -> int | None:
    return ReviewItem.objects.filter(pk=item_id).values_list("subforum_id", flat=True).first()


@transaction.atomic
def moderator_reply(*, actor, post: Post, body: str, item_id: int | None = None) -> Post:
    """Reply in a thread as a moderator (from a saved template); the post carries the moderator badge."""
    context = _begin(actor=actor, subforum_id=post.thread.subforum_id, item_id=item_id, post=post)
    reply = forum_services.post_reply(author=actor, thread=post.thread, parent=post, body=body)
    entry = action_log(
        actor=actor, action="moderator_reply", rule=None, reason="Replied from a saved template.", post=reply,
        thread=post.thread, member=post.author, review_item=context.item,
    )  # fmt: skip
    _finish(actor=actor, context=context, entry=entry, resolution="replied")
    return reply
