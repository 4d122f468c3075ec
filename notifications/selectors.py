from __future__ import annotations

from django.db.models import QuerySet

from notifications.kinds import KINDS, kind_info
from notifications.models import Notification, NotificationPreference


def unread_count(*, member_id: int) -> int:
    return Notification.objects.filter(recipient_id=member_id, read_at__isnull=True).count()


def notifications_for(*, member) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=member)


def delivery_for(*, member_id: int, kind: str) -> str:
    """How ``member_id`` wants ``kind`` delivered: their choice, else the kind's default."""
    info = kind_info(kind)
    chosen = NotificationPreference.objects.filter(member_id=member_id, kind=kind).values_list("delivery", flat=True)
    delivery = chosen.first() or info.default
    if delivery == "off" and not info.can_turn_off:
        return info.default
    return delivery


def preferences_for(*, member) -> dict[str, str]:
    """Every listed kind with ``member``'s delivery for it (defaults filled in)."""
    chosen = dict(NotificationPreference.objects.filter(member=member).values_list("kind", "delivery"))
    return {kind: chosen.get(kind, info.default) for kind, info in KINDS.items()}
