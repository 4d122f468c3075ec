"""Reads for the forum-health dashboard: a few rows of the roll-up, never the posts themselves."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from forum.models import Subforum
from health.models import WeekFigures
from health.rollup import week_start
from moderation.models import ReviewItem

WEEKS = 12


def recent_weeks(*, subforum: Subforum | None, weeks: int = WEEKS, today: date | None = None) -> list[WeekFigures]:
    """The last ``weeks`` weeks, oldest first; a week without a row is an empty (all-zero) one."""
    latest = week_start(timezone.now()) if today is None else today - timedelta(days=today.weekday())
    starts = [latest - timedelta(weeks=n) for n in reversed(range(weeks))]
    rows = {
        row.week_start: row
        for row in WeekFigures.objects.filter(
            week_start__in=starts, **({"subforum": subforum} if subforum else {"subforum__isnull": True})
        )
    }
    return [rows.get(start) or WeekFigures(week_start=start, subforum=subforum) for start in starts]


def hours(seconds: float | None) -> str:
    return "–" if seconds is None else f"{seconds / 3600:.1f} h"


def share(part: int, whole: int) -> str:
    return "–" if not whole else f"{part} of {whole} ({100 * part / whole:.0f}%)"


@dataclass
class TableRow:
    week: WeekFigures
    first_reply: str
    unanswered: str
    introductions: str
    review_items: list[tuple[str, int]]
    action: str
    reports_per_100: str


def table(rows: list[WeekFigures]) -> list[TableRow]:
    """The weeks as the page's table shows them, every figure already worded."""
    labels = dict(ReviewItem.Kind.choices)
    return [
        TableRow(
            week=row,
            first_reply=hours(row.median_first_reply_seconds),
            unanswered=share(row.unanswered_at_24h, row.threads_past_24h),
            introductions=share(row.introductions_answered_24h, row.introductions_past_24h),
            review_items=[(labels.get(k, k), n) for k, n in sorted(row.review_items.items())],
            action=hours(row.median_action_seconds),
            reports_per_100="–" if row.reports_per_100_posts is None else f"{row.reports_per_100_posts:.1f}",
        )
        for row in rows
    ]
