"""Notifications by email: one at once, or the daily digest of everything a member chose for it.

Emails carry the same calm titles as the site (never post text) and a link back into Hearth,
where the member's visibility and content-note choices apply again.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from notifications.models import Notification

SUBJECT_PREFIX = "[Hearth] "


def _link(url: str) -> str:
    return settings.HEARTH_SITE_URL.rstrip("/") + (url or "/notifications/")


def notification_email_send(*, notification_id: int) -> bool:
    """Email one notification, once. Returns False if it was already sent or is no longer due."""
    claimed = Notification.objects.filter(pk=notification_id, email_state="", recipient__is_active=True).update(
        email_state="sent"
    )
    if not claimed:
        return False
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    try:
        send_mail(
            SUBJECT_PREFIX + notification.title,
            render_to_string(
                "notifications/email/one.txt", {"notification": notification, "link": _link(notification.url)}
            ),
            None,
            [notification.recipient.email],
        )
    except Exception:
        Notification.objects.filter(pk=notification_id).update(email_state="")  # the retry sends it
        raise
    return True


def digests_send(*, now: datetime | None = None) -> int:
    """Send each member with waiting notifications one email listing them. Returns emails sent.

    Each member's rows are locked while their email goes out (skipping rows another worker holds),
    and marked sent in the same transaction: a failed send leaves them waiting for the next run.
    """
    now = now or timezone.now()
    member_ids = (
        Notification.objects.filter(email_state="pending", created_at__lte=now)
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    sent = 0
    for member_id in list(member_ids):
        with transaction.atomic():
            rows = list(
                Notification.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(recipient_id=member_id, email_state="pending", created_at__lte=now)
                .select_related("recipient")
                .order_by("created_at", "id")
            )
            if not rows or not rows[0].recipient.is_active:
                continue
            lines = [{"notification": n, "link": _link(n.url)} for n in rows]
            count = len(rows)
            send_mail(
                f"{SUBJECT_PREFIX}Your day on Hearth: {count} notification{'s' if count != 1 else ''}",
                render_to_string("notifications/email/digest.txt", {"lines": lines, "member": rows[0].recipient}),
                None,
                [rows[0].recipient.email],
            )
            Notification.objects.filter(pk__in=[n.pk for n in rows]).update(email_state="sent")
            sent += 1
    return sent
