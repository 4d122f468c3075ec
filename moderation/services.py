"""Moderator actions. Each one calls forum services for the change and appends a log entry."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from forum import services as forum_services
from forum.models import ContentNote, Post, Rule
from moderation.models import ModerationAction
from moderation.permissions import check_can_moderate


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
    )


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
