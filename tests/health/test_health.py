"""Forum health: the roll-up on a known week, against figures worked out by hand, and the page."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse

from forum.models import Post, Thread
from health import rollup
from health.models import WeekFigures
from moderation.models import ReviewItem
from tests import factories
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

WEEK = date(2026, 11, 2)  # a Monday
MON = datetime(2026, 11, 2, tzinfo=UTC)
NOW = MON + timedelta(days=14)


def at(day: int, hour: int) -> datetime:
    return MON + timedelta(days=day, hours=hour)


def _thread(*, author, subforum, created, replies=(), **fields):
    """A thread started at ``created`` with (author, when) replies; first_reply_at set by hand."""
    thread = factories.thread(author=author, subforum=subforum, title=f"t{created:%d%H}")
    Post.objects.filter(thread=thread, position=0).update(created_at=created)
    first = None
    for replier, when in replies:
        post = factories.reply(author=replier, thread=Thread.objects.get(pk=thread.pk))
        Post.objects.filter(pk=post.pk).update(created_at=when)
        if replier.pk != author.pk and first is None:
            first = when
    Thread.objects.filter(pk=thread.pk).update(created_at=created, first_reply_at=first, **fields)
    return thread


def _item(kind, key, *, subforum, created, occurrences=1, resolved=None, by=None):
    return ReviewItem.objects.create(
        kind=kind,
        target_key=key,
        subforum=subforum,
        created_at=created,
        occurrences=occurrences,
        status="resolved" if resolved else "open",
        resolved_at=resolved,
        resolved_by=by,
    )


@pytest.fixture
def known_week(member, other_member, moderator):
    """The week of 2 Nov 2026 (see the expected figures in each test)."""
    anxiety = factories.subforum(name="Anxiety", slug="anxiety")
    intros = factories.subforum(name="Introductions", slug="introductions", is_introductions=True)
    third = factories.member(pseudonym="ThirdThrush")
    new_one = factories.member(pseudonym="NewFinch")
    new_two = factories.member(pseudonym="NewWren")
    welcomer = factories.member(pseudonym="WelcomerWren")
    _thread(author=member, subforum=anxiety, created=at(0, 10), replies=[(other_member, at(0, 12))])  # 2 h
    _thread(
        author=member, subforum=anxiety, created=at(1, 10), replies=[(member, at(1, 11)), (other_member, at(3, 10))]
    )  # 48 h: unanswered at 24 h (the author's own reply does not count)
    t3 = _thread(author=member, subforum=anxiety, created=at(2, 10))  # never answered
    _thread(author=third, subforum=anxiety, created=at(3, 10), replies=[(other_member, at(3, 16))])  # 6 h
    _thread(author=moderator, subforum=anxiety, created=at(4, 9), is_pinned=True)  # an announcement: left out
    hidden = _thread(author=member, subforum=anxiety, created=at(4, 10))
    Thread.objects.filter(pk=hidden.pk).update(status="hidden")
    Post.objects.filter(thread=hidden).update(status="hidden")
    _thread(author=new_one, subforum=intros, created=at(0, 9), replies=[(welcomer, at(0, 10))])  # 1 h
    _thread(author=new_two, subforum=intros, created=at(5, 9))  # never welcomed
    Post.objects.filter(thread__is_pinned=True).update(status="hidden")  # keep the post count simple
    # Items the services opened on their own (new members) move into the week; then the rest.
    ReviewItem.objects.filter(kind="new_member", member=new_one).update(created_at=at(0, 9))
    ReviewItem.objects.filter(kind="new_member", member=new_two).update(created_at=at(5, 9))
    ReviewItem.objects.exclude(created_at__lt=NOW).delete()  # anything else made "now"
    _item(
        "report",
        f"thread:{t3.pk}",
        subforum=anxiety,
        created=at(2, 12),
        occurrences=3,
        resolved=at(2, 14),
        by=moderator,
    )
    _item("report", "post:1", subforum=anxiety, created=at(0, 13))
    _item("unanswered", f"thread:{t3.pk}", subforum=anxiety, created=at(2, 22), resolved=at(3, 1))  # by Hearth
    _item("screening", "post:2", subforum=intros, created=at(5, 9), resolved=at(5, 10), by=moderator)
    # Outside the week: must not count.
    _thread(author=member, subforum=anxiety, created=at(7, 1))
    rollup.rollup_week(start=WEEK, now=NOW)
    return anxiety, intros


def _row(subforum) -> WeekFigures:
    return WeekFigures.objects.get(week_start=WEEK, subforum=subforum)


def test_subforum_figures(known_week):
    anxiety, _ = known_week
    row = _row(anxiety)
    assert row.new_threads == 5  # t1-t4 and the hidden one; not the announcement
    assert row.median_first_reply_seconds == 6 * 3600  # median of 2 h, 48 h, 6 h
    assert (row.threads_past_24h, row.unanswered_at_24h) == (4, 2)  # t2 (48 h) and t3
    assert row.introductions_past_24h == 0
    assert row.review_items == {"report": 2, "unanswered": 1}
    assert row.median_action_seconds == 2 * 3600  # only the moderator's; Hearth's own is left out
    assert (row.reports, row.posts) == (4, 8)  # 4 openings (t1-t4) + 4 replies (1 + 2 + 1)
    assert row.reports_per_100_posts == 50.0
    assert row.active_members == 3  # member, other_member, ThirdThrush


def test_introductions_figures(known_week):
    _, intros = known_week
    row = _row(intros)
    assert row.new_threads == 2
    assert row.median_first_reply_seconds == 3600
    assert (row.introductions_past_24h, row.introductions_answered_24h) == (2, 1)
    assert row.share_introductions_answered_24h == 0.5
    assert row.review_items == {"new_member": 2, "screening": 1}
    assert row.median_action_seconds == 3600
    assert (row.posts, row.active_members, row.reports) == (3, 3, 0)


def test_whole_forum_figures(known_week):
    row = _row(None)
    assert row.new_threads == 7
    assert row.median_first_reply_seconds == 4 * 3600  # median of 1, 2, 6, 48 h
    assert (row.threads_past_24h, row.unanswered_at_24h) == (6, 3)
    assert (row.introductions_past_24h, row.introductions_answered_24h) == (2, 1)
    assert row.review_items == {"report": 2, "unanswered": 1, "new_member": 2, "screening": 1}
    assert row.median_action_seconds == 5400  # median of 2 h and 1 h
    assert (row.posts, row.reports, row.active_members) == (11, 4, 6)
    assert round(row.reports_per_100_posts, 1) == 36.4


def test_a_young_thread_is_not_yet_counted_at_24h(member, subforum):
    _thread(author=member, subforum=subforum, created=at(6, 20))
    rollup.rollup_week(start=WEEK, now=at(7, 1))
    row = _row(subforum)
    assert row.new_threads == 1 and row.threads_past_24h == 0


def test_rolling_up_twice_gives_the_same_rows(known_week):
    before = WeekFigures.objects.count()
    rollup.rollup_week(start=WEEK, now=NOW)
    assert WeekFigures.objects.count() == before


def test_the_nightly_task_recomputes_recent_weeks(member, subforum):
    from django.conf import settings

    from health.tasks import rollup_recent

    assert settings.CELERY_BEAT_SCHEDULE["health-nightly-rollup"]["task"] == rollup_recent.name
    factories.thread(author=member, subforum=subforum)
    assert rollup_recent() >= 2
    assert WeekFigures.objects.get(subforum=subforum).new_threads == 1


def test_moderator_sees_charts_and_table(client, moderator, known_week, settings):
    anxiety, _ = known_week
    page = client_for(client, moderator).get(reverse("health:dashboard") + "?subforum=anxiety&until=2026-11-09")
    assert page.status_code == 200
    content = page.content.decode()
    assert "<svg" in content and "Forum health: Anxiety" in content
    assert "2 of 4 (50%)" in content and "6.0 h" in content and "50.0" in content
    assert "MemberMaple" not in content


def test_csv_has_aggregates_and_no_names(client, moderator, known_week):
    response = client_for(client, moderator).get(reverse("health:csv") + "?until=2026-11-09")
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/csv")
    header, *rows = body.strip().splitlines()
    assert header.startswith("week_start,subforum,new_threads")
    week = next(r for r in rows if r.startswith("2026-11-02"))
    assert week.startswith("2026-11-02,all,7,14400,6,3,2,1,5400,4,11,6,")
    assert "@" not in body and "Maple" not in body


def test_a_bad_date_is_ignored(client, moderator):
    assert client_for(client, moderator).get(reverse("health:dashboard") + "?until=soon").status_code == 200


@pytest.mark.parametrize("who", ["guest", "member"])
def test_members_and_guests_get_404(client, member, who):
    if who == "member":
        client.force_login(member)
    assert client.get(reverse("health:dashboard")).status_code == 404
    assert client.get(reverse("health:csv")).status_code == 404
