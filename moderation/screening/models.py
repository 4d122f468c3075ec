"""Screening rules as admins manage them, and the rule-set version that every edit bumps.

The engine never sees these models: ``selectors.active_ruleset`` turns the enabled rows
into ``RuleSpec`` records and compiles them once per version.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from .types import CATEGORIES, KINDS, LEVELS, ROLES, RuleSpec


def _choices(names: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(n, n.replace("_", " ")) for n in names]


class ScreeningRule(models.Model):
    """One term or pattern, in one category, implying one level when it counts."""

    name = models.CharField(
        max_length=120,
        unique=True,
        help_text="Shown in results and the command's output, e.g. suicide.signal.want_to_die.",
    )
    category = models.CharField(max_length=32, choices=_choices(CATEGORIES))
    level = models.CharField(
        max_length=8,
        choices=_choices(LEVELS),
        help_text="The level this rule implies when it counts. Only means and intent rules "
        "may say none (they matter only as part of a plan).",
    )
    kind = models.CharField(
        max_length=8,
        choices=_choices(KINDS),
        default="term",
        help_text="A term is matched as whole words after normalisation (case, look-alike "
        "letters, leetspeak, spaced and repeated letters). A pattern is a regular expression "
        "run over that normalised text.",
    )
    role = models.CharField(
        max_length=12,
        choices=_choices(ROLES),
        default="signal",
        help_text="signal: implies its level. means: a method or means. intent: a timeframe "
        "or decision. exception: an idiom or safe phrase whose words count for nothing.",
    )
    value = models.CharField("term or pattern", max_length=2000)
    enabled = models.BooleanField(default=True)
    note = models.TextField(blank=True, help_text="Why this rule exists; where it came from.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("category", "role", "level", "name")
        verbose_name = "screening rule"

    def __str__(self) -> str:
        return self.name

    @classmethod
    def from_spec(cls, spec: RuleSpec, *, note: str = "") -> ScreeningRule:
        """An unsaved row holding ``spec``."""
        return cls(
            name=spec.name,
            category=spec.category,
            level=spec.level,
            value=spec.value,
            kind=spec.kind,
            role=spec.role,
            enabled=spec.enabled,
            note=note,
        )

    def to_spec(self) -> RuleSpec:
        return RuleSpec(
            name=self.name,
            category=self.category,
            level=self.level,
            value=self.value,
            kind=self.kind,
            role=self.role,
            enabled=self.enabled,
        )


class RuleSetVersion(models.Model):
    """A single row: the rule set's version number, bumped by every rule edit.

    Reading it is one indexed query, so every screening can ask "has anything changed?"
    and recompile only when the answer is yes.
    """

    number = models.PositiveIntegerField(default=0)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "rule-set version"

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return f"db-{self.number}"


class ScreeningResult(models.Model):
    """The screening of one revision of one post (its ``edit_count`` when it was screened).

    Written only by ``moderation.screening.posts.post_screen``; moderators see it beside the
    review item, and nothing of it reaches another member's page. Screening the same revision
    again with the same rule-set version changes nothing; a re-screen after a rule change
    updates the row and keeps the level it had in ``previous_level``.
    """

    class Status(models.TextChoices):
        DONE = "done", "Screened"
        FAILED = "failed", "Screening failed"

    post = models.ForeignKey("forum.Post", on_delete=models.CASCADE, related_name="+")
    revision = models.PositiveIntegerField(help_text="The post's edit_count when this text was screened.")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.DONE)
    level = models.CharField(max_length=8, choices=_choices(LEVELS), default="none")
    previous_level = models.CharField(max_length=8, blank=True, help_text="Before the last re-screen.")
    categories = models.JSONField(default=list, blank=True)
    matches = models.JSONField(default=list, blank=True, help_text="Each match with its span in the text.")
    stages = models.JSONField(default=list, blank=True, help_text="rules, learned, context: the stages that ran.")
    band = models.CharField(max_length=12, blank=True, help_text="For a high: confident or tentative.")
    why = models.JSONField(default=list, blank=True, help_text="What made it high, for moderators.")
    flags = models.JSONField(default=list, blank=True)
    route = models.CharField(max_length=8, blank=True)
    ruleset_version = models.CharField(max_length=200, blank=True)
    duration_ms = models.FloatField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "revision"], name="screening_one_result_per_revision")]
        indexes = [models.Index(fields=["-created_at"], name="screening_result_recent")]

    def __str__(self) -> str:
        return f"Post {self.post_id} r{self.revision}: {self.level}"


class RescreenRun(models.Model):
    """One re-screen of recent posts after a rule change, with its progress and summary."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"

    days = models.PositiveSmallIntegerField(default=7, help_text="Posts from the last N days.")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    raised = models.PositiveIntegerField(default=0)
    lowered = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    ruleset_version = models.CharField(max_length=200, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "re-screen"

    def __str__(self) -> str:
        return f"Re-screen of the last {self.days} days ({self.get_status_display()})"
