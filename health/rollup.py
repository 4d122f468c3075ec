"""Compute each week's forum-health figures into ``WeekFigures`` (the nightly roll-up).

A week is Monday 00:00 to the next Monday, UTC, and a thread, post or review item belongs to
the week it was created in. The 24-hour figures count only threads at least a day old at the
time of the roll-up, so a week's figures settle a day after it ends; each night recomputes the
weeks that may still change (``SETTLE_WEEKS``). Medians are taken in Python over one week's
threads or items, which are few; posts are only counted, in the database.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from statistics import median

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from forum.models import Post, Subforum, Thread, Visibility
from health.models import WeekFigures
from moderation.models import ReviewItem

DAY = timedelta(hours=24)
SETTLE_WEEKS = 2  # the current week and the one before (its last day's 24h figures settle on Tuesday)
ALL = None  # the whole-forum row's subforum


def week_start(moment: datetime) -> date:
    day = moment.astimezone(UTC).date() if timezone.is_aware(moment) else moment.date()
    return day - timedelta(days=day.weekday())


def _bounds(start: date) -> tuple[datetime, datetime]:
    begin = datetime.combine(start, time.min, tzinfo=UTC)
    return begin, begin + timedelta(days=7)


def _seconds_median(values: list[timedelta]) -> int | None:
    return round(median(v.total_seconds() for v in values)) if values else None


def rollup_week(*, start: date, now: datetime | None = None) -> list[WeekFigures]:
    """Recompute one week's rows: one per subforum with any activity, and one for the whole forum."""
    now = now or timezone.now()
    begin, end = _bounds(start)
    figures: dict[int | None, dict] = defaultdict(lambda: defaultdict(int))
    reply_waits: dict[int | None, list[timedelta]] = defaultdict(list)
    intro_ids = set(Subforum.objects.filter(is_introductions=True).values_list("pk", flat=True))

    threads = Thread.objects.filter(created_at__gte=begin, created_at__lt=end, is_pinned=False)
    for subforum_id, created, first_reply, status in threads.values_list(
        "subforum_id", "created_at", "first_reply_at", "status"
    ):
        for key in (subforum_id, ALL):
            row = figures[key]
            row["new_threads"] += 1
            if status != Visibility.PUBLISHED:
                continue
            if first_reply is not None:
                reply_waits[key].append(first_reply - created)
            if created + DAY <= now:
                answered = first_reply is not None and first_reply - created <= DAY
                row["threads_past_24h"] += 1
                row["unanswered_at_24h"] += not answered
                if subforum_id in intro_ids:
                    row["introductions_past_24h"] += 1
                    row["introductions_answered_24h"] += answered

    posts = Post.objects.filter(created_at__gte=begin, created_at__lt=end, status=Visibility.PUBLISHED)
    for subforum_id, count, members in (
        posts.values_list("thread__subforum_id")
        .annotate(n=Count("id"), members=Count("author_id", distinct=True))
        .values_list("thread__subforum_id", "n", "members")
    ):
        figures[subforum_id]["posts"] = count
        figures[subforum_id]["active_members"] = members
    totals = posts.aggregate(n=Count("id"), members=Count("author_id", distinct=True))
    if totals["n"]:
        figures[ALL]["posts"] = totals["n"]
        figures[ALL]["active_members"] = totals["members"]

    items = ReviewItem.objects.filter(created_at__gte=begin, created_at__lt=end)
    by_kind: dict[int | None, dict[str, int]] = defaultdict(dict)
    for subforum_id, kind, count, occurrences in (
        items.values_list("subforum_id", "kind").annotate(n=Count("id"), occ=Sum("occurrences")).order_by()
    ):
        for key in {subforum_id, ALL}:
            by_kind[key][kind] = by_kind[key].get(kind, 0) + count
            if kind == ReviewItem.Kind.REPORT:
                figures[key]["reports"] += occurrences
    action_waits: dict[int | None, list[timedelta]] = defaultdict(list)
    acted = items.filter(Q(resolved_at__isnull=False) & Q(resolved_by__isnull=False))
    for subforum_id, created, resolved in acted.values_list("subforum_id", "created_at", "resolved_at"):
        for key in {subforum_id, ALL}:
            action_waits[key].append(resolved - created)

    keys = set(figures) | set(by_kind) | {ALL}
    rows = []
    with transaction.atomic():
        WeekFigures.objects.filter(week_start=start).delete()
        for key in keys:
            if key is not None and key not in figures and key not in by_kind:
                continue
            rows.append(
                WeekFigures(
                    week_start=start,
                    subforum_id=key,
                    median_first_reply_seconds=_seconds_median(reply_waits[key]),
                    median_action_seconds=_seconds_median(action_waits[key]),
                    review_items=by_kind.get(key, {}),
                    computed_at=now,
                    **figures[key],
                )
            )
        WeekFigures.objects.bulk_create(rows)
    return rows


def rollup_recent(*, now: datetime | None = None, weeks: int = SETTLE_WEEKS) -> int:
    """Recompute the last ``weeks`` weeks (the nightly task). Returns the rows written."""
    now = now or timezone.now()
    current = week_start(now)
    return sum(len(rollup_week(start=current - timedelta(weeks=n), now=now)) for n in range(weeks))
