"""The one way anything in Hearth tells a member something: ``notify``."""

from __future__ import annotations

import logging
from datetime import datetime

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction
from django.utils import timezone

from notifications import selectors
from notifications.models import Notification

logger = logging.getLogger(__name__)


def member_group(member_id: int) -> str:
    """The websocket group of one member's open pages."""
    return f"member.{member_id}"


def notify(
    *, recipient, kind: str, title: str, body: str = "", url: str = "", created_at: datetime | None = None
) -> Notification:
    """Store a notification for ``recipient`` and, after commit, tell their open pages the new count.

    ``title`` and ``body`` must hold only what the recipient may read (no hidden text, no hidden
    author); the websocket message carries only the unread count.
    """
    notification = Notification.objects.create(
        recipient=recipient,
        kind=kind,
        title=title[:200],
        body=body[:2000],
        url=url[:300],
        created_at=created_at or timezone.now(),
    )
    recipient_id = recipient.pk
    transaction.on_commit(lambda: _push_unread_count(member_id=recipient_id))
    return notification


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
