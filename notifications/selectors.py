from __future__ import annotations

from django.db.models import QuerySet

from config.keyset import KeysetPage, keyset_page
from notifications.kinds import KINDS, kind_info
from notifications.models import Notification, NotificationPreference


def unread_count(*, member_id: int) -> int:
    return Notification.objects.filter(recipient_id=member_id, read_at__isnull=True).count()


def notifications_for(*, member) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=member)


PER_PAGE = 30


def notifications_page(*, member, params) -> tuple[KeysetPage, list[Notification]]:
    """One page of a member's notifications, newest first, paged by key (the same cost on the
    hundredth page as on the first: a seek into notifications_recent)."""
    page = keyset_page(notifications_for(member=member), keys=["created_at", "id"], per_page=PER_PAGE, params=params)
    by_id = {n.pk: n for n in Notification.objects.filter(pk__in=page.ids)}
    return page, [by_id[pk] for pk in page.ids if pk in by_id]


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
