from __future__ import annotations

from django.db.models import QuerySet

from notifications.models import Notification


def unread_count(*, member_id: int) -> int:
    return Notification.objects.filter(recipient_id=member_id, read_at__isnull=True).count()


def notifications_for(*, member) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=member)
