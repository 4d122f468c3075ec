"""Moderation's own data: the review queue and the append-only action log.

Moderation never writes forum rows itself: it calls forum services and records what it did here.
"""

from __future__ import annotations

from datetime import timedelta

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class RiskLevel(models.TextChoices):
    NONE = "none", "None"
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


# The queue's order, most urgent first (moderation.screening.routing uses the same numbers).
RISK_PRIORITY = {RiskLevel.HIGH: 4, RiskLevel.MEDIUM: 2, RiskLevel.LOW: 1, RiskLevel.NONE: 0}
# Someone else's imminent risk ("my son says he has a plan for tonight") comes before everything,
# including a high risk to the author, because a moderator may need to act for a third person.
PRIORITY_OTHERS_RISK = 5
# A high that the screening context check doubted: below a high, above an ordinary medium.
PRIORITY_DOUBTED_HIGH = 3
CLAIM_IDLE = timedelta(minutes=15)


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
            # The queue's default view (open and claimed, most urgent then oldest) reads this in order.
            models.Index(
                fields=["-priority", "created_at", "id"],
                name="moderation_queue_unresolved",
                condition=~Q(status="resolved"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.target_key})"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("moderation:item", kwargs={"item_id": self.pk})

    def claim_is_live(self, now=None) -> bool:
        """A claim lapses after CLAIM_IDLE without activity (claimed_at is refreshed on each visit)."""
        now = now or timezone.now()
        return self.status == self.Status.CLAIMED and self.claimed_at is not None and now - self.claimed_at < CLAIM_IDLE

    def is_overdue(self, now=None) -> bool:
        if self.status == self.Status.RESOLVED:
            return False
        now = now or timezone.now()
        minutes = (
            settings.HEARTH_QUEUE_OVERDUE_HIGH_MINUTES
            if self.priority >= RISK_PRIORITY[RiskLevel.HIGH]
            else settings.HEARTH_QUEUE_OVERDUE_MINUTES
        )
        return now - self.created_at > timedelta(minutes=minutes)


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

    flagged_by_screening = models.BooleanField(
        default=False, help_text="Automated screening first brought this to a moderator (transparency counts)."
    )
    reverses = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+", help_text="The action this undoes."
    )

    objects = ModerationActionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["-created_at"], name="moderation_log_recent")]
        # Append-only in the database itself: the ORM guard below covers SQLite, this covers
        # everything that reaches PostgreSQL (raw SQL, a shell, another program).
        triggers = [
            pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        return f"{self.action} at {self.created_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise PermissionError("The moderation log is append-only: entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The moderation log is append-only: entries cannot be deleted.")

    def get_absolute_url(self) -> str:  # noqa: DJ012 - after save/delete, which guard the log
        """The statement of reasons the affected member reads."""
        from django.urls import reverse

        return reverse("moderation:decision", kwargs={"action_id": self.pk})


class ModeratorScope(models.Model):
    """Which subforums a moderator looks after. Without a row a moderator acts on every subforum."""

    moderator = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    all_subforums = models.BooleanField(default=False)
    subforums = models.ManyToManyField("forum.Subforum", blank=True, related_name="+")

    def __str__(self) -> str:
        return f"Scope of {self.moderator}"


class Report(models.Model):
    """A member's notice about a post or a profile (DSA Art. 16). Many reports feed one review item."""

    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey("forum.Post", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    rule = models.ForeignKey("forum.Rule", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    someone_at_risk = models.BooleanField(default=False)
    words = models.TextField(blank=True, max_length=1000)
    review_item = models.ForeignKey(ReviewItem, on_delete=models.CASCADE, related_name="reports")
    created_at = models.DateTimeField(default=timezone.now)
    # Filled when the item is decided: the reporter hears that it was reviewed (not the details)
    # and may ask for a second look at a "no action" decision.
    decided_by_action = models.ForeignKey(
        "ModerationAction", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    no_action = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["reporter", "-created_at"], name="moderation_reports_by_member")]

    def __str__(self) -> str:
        return f"Report {self.pk} on {self.review_item.target_key}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("moderation:report_status", kwargs={"report_id": self.pk})


class Sanction(models.Model):
    """A restriction on a member: a warning, read-only (mute), a suspension for a period, or a ban."""

    class Kind(models.TextChoices):
        WARN = "warn", "Warning"
        MUTE = "mute", "Read-only"
        SUSPEND = "suspend", "Suspension"
        BAN = "ban", "Ban"
        # Many reports found unfounded: fewer reports a day for a while (never silently ignored).
        REPORT_LIMIT = "report_limit", "Fewer reports for a while"

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    rule = models.ForeignKey("forum.Rule", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reason = models.TextField()
    starts_at = models.DateTimeField(default=timezone.now)
    ends_at = models.DateTimeField(null=True, blank=True, help_text="Empty: until lifted (bans).")
    lifted_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty for limits Hearth set itself (many unfounded reports).",
    )

    class Meta:
        indexes = [models.Index(fields=["member", "lifted_at"], name="moderation_sanction_member")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.member_id}"

    def is_active(self, now=None) -> bool:
        now = now or timezone.now()
        return self.lifted_at is None and self.starts_at <= now and (self.ends_at is None or self.ends_at > now)


class Appeal(models.Model):
    """An internal complaint (DSA Art. 20) about one logged action: once per action, within 6 months.

    ``kind`` second_look is a reporter asking for another look at a "no action" decision.
    """

    class Kind(models.TextChoices):
        APPEAL = "appeal", "Appeal"
        SECOND_LOOK = "second_look", "Second look"

    class Decision(models.TextChoices):
        PENDING = "", "Waiting"
        UPHELD = "upheld", "Upheld"
        REVERSED = "reversed", "Reversed"

    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.APPEAL)
    action = models.ForeignKey(ModerationAction, on_delete=models.PROTECT, related_name="+")
    appellant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    words = models.TextField(max_length=2000)
    review_item = models.ForeignKey(ReviewItem, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.PENDING, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["action", "appellant"], name="moderation_one_appeal_per_action"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of action {self.action_id}"


class ReplyTemplate(models.Model):
    """A saved moderator reply, managed in the admin. ``{pseudonym}`` becomes the member's pseudonym."""

    title = models.CharField(max_length=120)
    body = models.TextField(help_text="Markdown. {pseudonym} is replaced by the member's pseudonym.")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def render_for(self, member) -> str:
        return self.body.replace("{pseudonym}", member.pseudonym)
