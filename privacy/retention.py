"""Keeping personal data no longer than it is needed: the nightly purge.

- sign-in address hashes (abuse handling only): after HEARTH_RETENTION_IP_DAYS (default 30);
- sessions: once expired (Django's ``clearsessions``);
- notifications: HEARTH_RETENTION_NOTIFICATIONS_DAYS (default 90) after they were read. Unread
  ones stay, so nothing a member has not seen disappears; a read notice older than three months
  has done its job, and its link still leads to the post if the post is there;
- data downloads: when they expire (HEARTH_EXPORT_DAYS, default 7).

Hearth stores no address anywhere else: not in posts, reports, the moderation log or sessions.
Rate limits count per address in the cache, where every entry expires within the hour.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from accounts.addresses import address_records_purge
from notifications.services import notifications_purge_read
from privacy.models import DataExport


@dataclass
class PurgeCounts:
    addresses: int = 0
    sessions: int = 0
    notifications: int = 0
    exports: int = 0


def retention_purge(*, now=None) -> dict:
    """Delete everything past its retention period; returns how many of each. Safe to run twice."""
    now = now or timezone.now()
    counts = PurgeCounts()
    counts.addresses = address_records_purge(older_than=now - timedelta(days=settings.HEARTH_RETENTION_IP_DAYS))
    counts.notifications = notifications_purge_read(
        older_than=now - timedelta(days=settings.HEARTH_RETENTION_NOTIFICATIONS_DAYS)
    )
    counts.exports, _ = DataExport.objects.filter(expires_at__lte=now).delete()
    engine = import_module(settings.SESSION_ENGINE)
    if settings.SESSION_ENGINE == "django.contrib.sessions.backends.db":
        counts.sessions = Session.objects.filter(expire_date__lt=now).count()
    engine.SessionStore.clear_expired()  # what `manage.py clearsessions` runs
    return asdict(counts)
