"""The forum-health dashboard, for moderators and admins: figures per week, as charts, a table
and a CSV of the aggregates (no personal data)."""

from __future__ import annotations

import csv
from datetime import date

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from forum import permissions
from forum import selectors as forum_selectors
from health import charts, selectors


def _staff_only(request: HttpRequest) -> None:
    if not permissions.is_forum_staff(request.user):
        raise Http404  # members do not learn that the page exists


def _subforum(request: HttpRequest):
    slug = request.GET.get("subforum", "")
    if not slug:
        return None
    subforum = forum_selectors.subforum_by_slug(slug=slug)
    if subforum is None:
        raise Http404
    return subforum


def _until(request: HttpRequest) -> date | None:
    """The last week shown (?until=YYYY-MM-DD), to look back; None: this week."""
    try:
        return date.fromisoformat(request.GET.get("until", ""))
    except ValueError:
        return None


def _hours(seconds: float) -> str:
    return selectors.hours(seconds)


def _percent(share: float) -> str:
    return f"{share * 100:.0f}%"


def dashboard(request: HttpRequest) -> HttpResponse:
    _staff_only(request)
    subforum = _subforum(request)
    rows = selectors.recent_weeks(subforum=subforum, today=_until(request))
    label = [f"{row.week_start:%-d %b}" for row in rows]
    chart_list = [
        charts.bar_chart(
            title="New threads", points=list(zip(label, [r.new_threads for r in rows], strict=True)), fmt=str
        ),
        charts.bar_chart(
            title="Median time to first reply",
            points=list(zip(label, [r.median_first_reply_seconds for r in rows], strict=True)),
            fmt=_hours,
        ),
        charts.bar_chart(
            title="Share of threads unanswered at 24 hours (goal: 0)",
            points=list(zip(label, [r.share_unanswered_24h for r in rows], strict=True)),
            fmt=_percent,
        ),
    ]
    return render(
        request,
        "health/dashboard.html",
        {
            "subforum": subforum,
            "subforums": forum_selectors.subforum_tree(),
            "charts": chart_list,
            "table": selectors.table(rows),
            "until": request.GET.get("until", ""),
        },
    )


CSV_COLUMNS = [
    "week_start",
    "subforum",
    "new_threads",
    "median_first_reply_seconds",
    "threads_past_24h",
    "unanswered_at_24h",
    "introductions_past_24h",
    "introductions_answered_24h",
    "median_action_seconds",
    "reports",
    "posts",
    "active_members",
    "review_items",
]


def figures_csv(request: HttpRequest) -> HttpResponse:
    """The same weeks as the page, as CSV: counts and medians only, never a member."""
    _staff_only(request)
    subforum = _subforum(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="hearth-forum-health.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for row in selectors.recent_weeks(subforum=subforum, today=_until(request)):
        values = [getattr(row, column, "") for column in CSV_COLUMNS]
        values[1] = subforum.slug if subforum else "all"
        values[-1] = ";".join(f"{k}={n}" for k, n in sorted(row.review_items.items()))
        writer.writerow(["" if v is None else v for v in values])
    return response
