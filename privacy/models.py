"""Data rights: a member's download of everything Hearth holds about them.

The download is stored in the database, not on disk: the worker that builds a large one and the
web server that hands it over share no folder in production, and a row is reachable only through
the view that checks its owner. It is deleted when it expires (the retention job) or when the
account is erased.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone


class DataExport(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Being gathered"
        READY = "ready", "Ready to download"
        FAILED = "failed", "Could not be gathered"

    # A random id, so a download's address cannot be guessed from another's.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    content = models.BinaryField(blank=True, default=b"", help_text="The JSON document, gzip-compressed.")
    size = models.PositiveIntegerField(default=0, help_text="Bytes of JSON before compression.")
    created_at = models.DateTimeField(default=timezone.now)
    ready_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["member", "-created_at"], name="privacy_export_member"),
            models.Index(fields=["expires_at"], name="privacy_export_expiry"),
        ]

    def __str__(self) -> str:
        return f"Data export for {self.member_id} ({self.status})"

    def get_absolute_url(self) -> str:
        return reverse("privacy:export_download", kwargs={"export_id": self.pk})

    def is_available(self, now=None) -> bool:
        return self.status == self.Status.READY and self.expires_at > (now or timezone.now())
