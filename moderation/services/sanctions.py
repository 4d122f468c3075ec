"""Restrictions on members: warn, mute (read-only), suspend for a period, ban, and lifting them.

The Sanction row is moderation's record; the member's account carries the current restriction
(through accounts.services) so every posting page can explain it without asking moderation.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from accounts.services import member_lift_posting_restriction, member_restrict_posting
from moderation.models import ModerationAction, Sanction
from moderation.services.actions import _begin, _finish, action_log

_ORDER = {Sanction.Kind.MUTE: 1, Sanction.Kind.SUSPEND: 2, Sanction.Kind.BAN: 3}


def _sync_account(member) -> None:
    """Put the strongest active restriction on the account (or none)."""
    now = timezone.now()
    active = [
        s
        for s in Sanction.objects.filter(member=member, lifted_at__isnull=True, kind__in=list(_ORDER))
        if s.is_active(now)
    ]
    if not active:
        member_lift_posting_restriction(member=member)
        return
    strongest = max(active, key=lambda s: (_ORDER[s.kind], s.ends_at is None, s.ends_at or now))
    member_restrict_posting(
        member=member,
        kind=strongest.kind,
        until=strongest.ends_at,
        reason=f"The reason given: {strongest.reason} ({strongest.rule.code}: {strongest.rule.title}).",
    )


@transaction.atomic
def member_sanction(
    *, actor, member, kind: str, rule, reason: str, until: datetime | None = None, item_id: int | None = None
) -> ModerationAction:
    """Warn, mute, suspend or ban ``member`` (logged, with a statement of reasons sent to them)."""
    context = _begin(actor=actor, subforum_id=_item_subforum_or_none(item_id), item_id=item_id)
    if member.pk == actor.pk:
        raise PermissionError("Moderators can't restrict themselves.")
    if kind in (Sanction.Kind.MUTE, Sanction.Kind.SUSPEND) and (until is None or until <= timezone.now()):
        raise ValueError("A read-only period or suspension needs an end in the future.")
    sanction = Sanction.objects.create(
        member=member,
        kind=kind,
        rule=rule,
        reason=reason,
        ends_at=until if kind != Sanction.Kind.BAN else None,
        created_by=actor,
    )
    before = {"restriction": member.restriction_kind, "until": _iso(member.restriction_until)}
    if kind != Sanction.Kind.WARN:
        _sync_account(member)
    entry = action_log(
        actor=actor,
        action=f"member_{kind}",
        rule=rule,
        reason=reason,
        member=member,
        review_item=context.item,
        before=before,
        after={"sanction_id": sanction.pk, "kind": kind, "until": _iso(sanction.ends_at)},
        flagged_by_screening=context.flagged,
    )
    return _finish(actor=actor, context=context, entry=entry, resolution=f"member_{kind}")


@transaction.atomic
def sanction_lift(*, actor, sanction: Sanction, reason: str, reverses: ModerationAction | None = None):
    """End a restriction early (by a moderator, or by reversal on appeal)."""
    sanction = Sanction.objects.select_for_update().get(pk=sanction.pk)
    if sanction.lifted_at is None:
        sanction.lifted_at = timezone.now()
        sanction.save(update_fields=["lifted_at"])
        _sync_account(sanction.member)
    return action_log(
        actor=actor,
        action="sanction_lift",
        rule=sanction.rule,
        reason=reason,
        member=sanction.member,
        before={"sanction_id": sanction.pk, "lifted": False},
        after={"sanction_id": sanction.pk, "lifted": True},
        reverses=reverses,
    )


def _item_subforum_or_none(item_id: int | None) -> int | None:
    from moderation.models import ReviewItem

    if item_id is None:
        return None
    return ReviewItem.objects.filter(pk=item_id).values_list("subforum_id", flat=True).first()


def _iso(value) -> str | None:
    return value.isoformat() if value else None
