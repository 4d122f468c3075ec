"""The one way anything in Hearth tells a member something: ``notify``."""

from __future__ import annotations

import logging
from datetime import datetime

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Replace
from django.utils import timezone

from notifications import selectors
from notifications.kinds import KINDS, Delivery
from notifications.models import Notification, NotificationPreference

logger = logging.getLogger(__name__)

WITHDRAWN_TITLE = "Something you were told about is no longer shown"


def member_group(member_id: int) -> str:
    """The websocket group of one member's open pages."""
    return f"member.{member_id}"


def notify(
    *,
    recipient,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    subject: str = "",
    created_at: datetime | None = None,
) -> Notification | None:
    """Store a notification for ``recipient`` and, after commit, tell their open pages the new count.

    ``title`` and ``body`` must hold only what the recipient may read (no hidden text, no hidden
    author); the websocket message carries only the unread count. ``subject`` ("post:12") lets
    the notification be withdrawn if that thing is hidden later. Returns None when the member
    turned this kind off. An email goes out after commit, or waits for the daily digest, as the
    member chose.
    """
    delivery = selectors.delivery_for(member_id=recipient.pk, kind=kind)
    if delivery == Delivery.OFF:
        return None
    notification = Notification.objects.create(
        recipient=recipient,
        kind=kind,
        title=title[:200],
        body=body[:2000],
        url=url[:300],
        subject=subject[:40],
        email_state="pending" if delivery == Delivery.DIGEST else "",
        created_at=created_at or timezone.now(),
    )
    recipient_id = recipient.pk
    transaction.on_commit(lambda: _push_unread_count(member_id=recipient_id))
    if delivery == Delivery.EMAIL:
        from notifications.tasks import send_notification_email

        transaction.on_commit(lambda: send_notification_email.delay(notification.pk))
    return notification


def notifications_withdraw(*, subjects: list[str]) -> int:
    """The things these notifications point at were hidden: keep the notices, drop what they said.

    A notification must never carry hidden text or a hidden author, even one written before.
    """
    if not subjects:
        return 0
    return Notification.objects.filter(subject__in=subjects).update(title=WITHDRAWN_TITLE, body="")


def preferences_set(*, member, deliveries: dict[str, str]) -> None:
    """Store ``member``'s delivery for each listed kind given (unknown kinds and values are ignored)."""
    valid = set(Delivery.values)
    with transaction.atomic():
        for kind, delivery in deliveries.items():
            info = KINDS.get(kind)
            if info is None or delivery not in valid or (delivery == Delivery.OFF and not info.can_turn_off):
                continue
            NotificationPreference.objects.update_or_create(member=member, kind=kind, defaults={"delivery": delivery})


def notification_mark_read(*, member, notification_id: int) -> Notification | None:
    """Mark one of ``member``'s notifications read; None if it is not theirs."""
    notification = Notification.objects.filter(recipient=member, pk=notification_id).first()
    if notification is not None and notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
        transaction.on_commit(lambda: _push_unread_count(member_id=member.pk))
    return notification


def notifications_mark_all_read(*, member) -> int:
    """Mark every unread notification of ``member`` read; returns how many."""
    count = Notification.objects.filter(recipient=member, read_at__isnull=True).update(read_at=timezone.now())
    if count:
        transaction.on_commit(lambda: _push_unread_count(member_id=member.pk))
    return count


def _push_unread_count(*, member_id: int) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        count = selectors.unread_count(member_id=member_id)
        async_to_sync(layer.group_send)(member_group(member_id), {"type": "notifications.count", "unread": count})
    except Exception:  # Redis down: the count is right again on the next page load.
        logger.warning("Unread count for member %s not pushed", member_id, exc_info=True)


def member_notifications_erase(*, member_id: int) -> int:
    """Delete every notification and delivery choice of ``member_id`` (their account is erased)."""
    NotificationPreference.objects.filter(member_id=member_id).delete()
    deleted, _ = Notification.objects.filter(recipient_id=member_id).delete()
    return deleted


def notifications_rename(*, subjects: list[str], old: str, new: str) -> int:
    """Others' notices about these subjects said ``old`` (a pseudonym now erased): say ``new``."""
    if not subjects or not old:
        return 0
    return Notification.objects.filter(subject__in=subjects).update(
        title=Replace(F("title"), Value(old), Value(new)), body=Replace(F("body"), Value(old), Value(new))
    )


def notifications_purge_read(*, older_than: datetime) -> int:
    """Delete notifications read before ``older_than`` (retention); unread ones are never purged."""
    deleted, _ = Notification.objects.filter(read_at__lt=older_than).delete()
    return deleted
