"""Forum health: one row of figures per week and subforum (and one for the whole forum).

Written only by ``health.rollup`` (a nightly Celery task), so the dashboard reads a few dozen
small rows however many posts the forum holds. No row names a member.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone


class WeekFigures(models.Model):
    week_start = models.DateField(help_text="The Monday (UTC) the week starts on.")
    subforum = models.ForeignKey(
        "forum.Subforum", on_delete=models.CASCADE, null=True, blank=True, related_name="+", help_text="Empty: all."
    )
    new_threads = models.PositiveIntegerField(default=0)
    median_first_reply_seconds = models.PositiveIntegerField(null=True, blank=True)
    # Threads at least 24 hours old when counted, and how many of them had no reply by then.
    threads_past_24h = models.PositiveIntegerField(default=0)
    unanswered_at_24h = models.PositiveIntegerField(default=0)
    introductions_past_24h = models.PositiveIntegerField(default=0)
    introductions_answered_24h = models.PositiveIntegerField(default=0)
    review_items = models.JSONField(default=dict, help_text="Review items opened, by source (kind).")
    median_action_seconds = models.PositiveIntegerField(
        null=True, blank=True, help_text="Median time from an item's opening to a moderator resolving it."
    )
    reports = models.PositiveIntegerField(default=0, help_text="Member reports (occurrences).")
    posts = models.PositiveIntegerField(default=0, help_text="Published posts.")
    active_members = models.PositiveIntegerField(default=0, help_text="Members who posted.")
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["week_start", "subforum"], condition=Q(subforum__isnull=False), name="health_week_subforum"
            ),
            models.UniqueConstraint(fields=["week_start"], condition=Q(subforum__isnull=True), name="health_week_all"),
        ]
        ordering = ["week_start"]

    def __str__(self) -> str:
        return f"Week of {self.week_start} ({self.subforum_id or 'all'})"

    @property
    def share_unanswered_24h(self) -> float | None:
        return self.unanswered_at_24h / self.threads_past_24h if self.threads_past_24h else None

    @property
    def share_introductions_answered_24h(self) -> float | None:
        return self.introductions_answered_24h / self.introductions_past_24h if self.introductions_past_24h else None

    @property
    def reports_per_100_posts(self) -> float | None:
        return 100 * self.reports / self.posts if self.posts else None
