"""One member's notices from Hearth: replies, moderators' decisions, reviewed reports, requests.

A notification is written for one reader and carries only what that reader may see. It never
holds the text of a hidden post or the name of a hidden author: callers pass a short, calm title
and a link, and the linked page applies the reader's visibility and content-note choices again.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from notifications.kinds import Delivery


class Notification(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=40, help_text='What it is about, e.g. "reply" or "moderation".')
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True, max_length=2000)
    url = models.CharField(max_length=300, blank=True, help_text="A path inside Hearth.")
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    subject = models.CharField(
        max_length=40, blank=True, help_text='What it is about, e.g. "post:12": withdrawn if that is hidden.'
    )
    email_state = models.CharField(
        max_length=8,
        blank=True,
        choices=[("", "No email"), ("pending", "Waiting for the daily email"), ("sent", "Emailed")],
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notifications_recent"),
            models.Index(fields=["recipient"], name="notifications_unread", condition=Q(read_at__isnull=True)),
            models.Index(fields=["subject"], name="notifications_subject", condition=~Q(subject="")),
            models.Index(fields=["recipient"], name="notifications_digest", condition=Q(email_state="pending")),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id}: {self.title}"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class NotificationPreference(models.Model):
    """How one member wants one kind of notification: off, in Hearth, or also by email."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=40)
    delivery = models.CharField(max_length=8, choices=Delivery.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "kind"], name="notifications_one_pref_per_kind")]

    def __str__(self) -> str:
        return f"{self.kind}: {self.delivery}"
