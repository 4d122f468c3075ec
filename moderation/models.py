"""Moderation's own data: the review queue and the append-only action log.

Moderation never writes forum rows itself: it calls forum services and records what it did here.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class RiskLevel(models.TextChoices):
    NONE = "none", "None"
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


RISK_PRIORITY = {RiskLevel.HIGH: 3, RiskLevel.MEDIUM: 2, RiskLevel.LOW: 1, RiskLevel.NONE: 0}


class ReviewItem(models.Model):
    """Anything waiting for a moderator. One open item per (kind, target); repeats add to it."""

    class Kind(models.TextChoices):
        REPORT = "report", "Member report"
        SCREENING = "screening", "Risk screening"
        PREMODERATION = "premoderation", "Waiting for approval"
        UNANSWERED = "unanswered", "Unanswered thread"
        NEW_MEMBER = "new_member", "New member to welcome"
        APPEAL = "appeal", "Appeal"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLAIMED = "claimed", "Claimed"
        RESOLVED = "resolved", "Resolved"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    risk_level = models.CharField(max_length=8, choices=RiskLevel.choices, default=RiskLevel.NONE)
    priority = models.PositiveSmallIntegerField(default=0, help_text="Higher first; derived from risk.")
    # "post:12", "thread:3" or "member:7": one open item per kind and target.
    target_key = models.CharField(max_length=40)
    post = models.ForeignKey("forum.Post", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    thread = models.ForeignKey("forum.Thread", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text="The member the item is about.",
    )
    subforum = models.ForeignKey("forum.Subforum", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    summary = models.CharField(max_length=300, blank=True)
    details = models.JSONField(default=dict, blank=True)
    occurrences = models.PositiveIntegerField(default=1, help_text="How many reports or hits fed this item.")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution = models.CharField(max_length=40, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "target_key"],
                condition=~Q(status="resolved"),
                name="moderation_one_open_item_per_target",
            )
        ]
        indexes = [
            models.Index(fields=["status", "-priority", "created_at"], name="moderation_queue_order"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.target_key})"


class ModerationActionQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("The moderation log is append-only.")

    def delete(self):
        raise PermissionError("The moderation log is append-only.")


class ModerationAction(models.Model):
    """One entry of the append-only moderation log: who did what, to what, citing which rule, why."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty for actions taken by Hearth itself.",
    )
    action = models.CharField(max_length=40)
    rule = models.ForeignKey("forum.Rule", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reason = models.TextField(blank=True)
    post = models.ForeignKey("forum.Post", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    thread = models.ForeignKey("forum.Thread", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    review_item = models.ForeignKey(ReviewItem, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ModerationActionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["-created_at"], name="moderation_log_recent")]

    def __str__(self) -> str:
        return f"{self.action} at {self.created_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise PermissionError("The moderation log is append-only: entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The moderation log is append-only: entries cannot be deleted.")
