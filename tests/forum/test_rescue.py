"""The unanswered-thread rescue (forum/rescue.py), with a frozen clock: ``now=`` is passed in."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse

from forum import rescue, services
from forum.models import Thread, Visibility, Volunteer
from forum.tasks import rescue_unanswered
from moderation.models import ModerationAction, ReviewItem
from notifications.models import Notification
from tests import factories
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

T1 = timedelta(hours=2)
T2 = timedelta(hours=12)
SECOND = timedelta(seconds=1)


@pytest.fixture(autouse=True)
def _thresholds(settings):
    settings.HEARTH_UNANSWERED_T1 = T1
    settings.HEARTH_UNANSWERED_T2 = T2
    settings.HEARTH_HELPER_DAILY_LIMIT = 3


@pytest.fixture
def helper(subforum):
    volunteer = factories.member(pseudonym="HelperHazel")
    Volunteer.objects.create(member=volunteer, role=Volunteer.Role.HELPER, subforum=subforum)
    return volunteer


@pytest.fixture
def welcomer(db):
    volunteer = factories.member(pseudonym="WelcomerWren")
    Volunteer.objects.create(member=volunteer, role=Volunteer.Role.WELCOMER)
    return volunteer


def _requests(member) -> list[Notification]:
    return list(Notification.objects.filter(recipient=member, kind__in=rescue.REQUEST_KINDS))


def _unanswered_items(thread) -> list[ReviewItem]:
    return list(ReviewItem.objects.filter(kind="unanswered", target_key=f"thread:{thread.pk}"))


def _stage(thread) -> int:
    return Thread.objects.get(pk=thread.pk).rescue_stage


def test_nothing_happens_before_t1(thread, helper):
    report = rescue.rescue_run(now=thread.created_at + T1 - SECOND)
    assert report == rescue.RescueReport()
    assert _stage(thread) == 0 and _requests(helper) == []


def test_after_t1_the_thread_waits_and_its_helpers_are_asked_once(client, thread, helper, other_member):
    report = rescue.rescue_run(now=thread.created_at + T1 + SECOND)
    assert report == rescue.RescueReport(listed=1, escalated=0, asked=1)
    assert _stage(thread) == 1
    [request] = _requests(helper)
    assert "Panic on the bus" in request.title and request.url == thread.get_absolute_url()
    assert _requests(other_member) == []  # not a volunteer
    assert _unanswered_items(thread) == []  # moderators not yet
    page = client.get(reverse("forum:waiting"))
    assert b"Panic on the bus" in page.content
    listing = client.get(thread.subforum.get_absolute_url())
    assert b"Waiting for a reply: be the first to reply" in listing.content


def test_helpers_of_another_subforum_and_the_author_are_not_asked(member, thread):
    elsewhere = factories.member()
    Volunteer.objects.create(member=elsewhere, role=Volunteer.Role.HELPER, subforum=factories.subforum())
    Volunteer.objects.create(member=member, role=Volunteer.Role.HELPER, subforum=thread.subforum)
    rescue.rescue_run(now=thread.created_at + T1 + SECOND)
    assert _requests(elsewhere) == [] and _requests(member) == []


def test_after_t2_moderators_get_an_unanswered_item(thread, helper):
    rescue.rescue_run(now=thread.created_at + T1 + SECOND)
    report = rescue.rescue_run(now=thread.created_at + T2 + SECOND)
    assert report == rescue.RescueReport(listed=0, escalated=1, asked=0)
    [item] = _unanswered_items(thread)
    assert item.status == "open" and item.thread_id == thread.pk and item.risk_level == "none"
    assert "12 hours" in item.summary
    assert len(_requests(helper)) == 1  # asked at T1 only


def test_a_thread_found_late_is_listed_and_escalated_in_one_run(thread, helper):
    report = rescue.rescue_run(now=thread.created_at + timedelta(hours=20))
    assert report == rescue.RescueReport(listed=1, escalated=1, asked=1)
    assert _stage(thread) == 2 and len(_unanswered_items(thread)) == 1


def test_the_item_carries_the_threads_screening_level(thread):
    from moderation.models import RISK_PRIORITY
    from moderation.screening.models import ScreeningResult

    opening = thread.posts.get(position=0)
    ScreeningResult.objects.create(post=opening, revision=0, level="high")
    rescue.rescue_run(now=thread.created_at + T2 + SECOND)
    [item] = _unanswered_items(thread)
    assert item.risk_level == "high" and item.priority == RISK_PRIORITY["high"]


def test_a_second_run_does_nothing(thread, helper):
    later = thread.created_at + T2 + SECOND
    rescue.rescue_run(now=later)
    assert rescue.rescue_run(now=later) == rescue.RescueReport()
    assert rescue.rescue_run(now=later + timedelta(hours=1)) == rescue.RescueReport()
    assert len(_requests(helper)) == 1 and len(_unanswered_items(thread)) == 1


def test_the_first_reply_from_someone_else_resolves_at_once(client, thread, other_member):
    rescue.rescue_run(now=thread.created_at + T2 + SECOND)
    factories.reply(author=other_member, thread=thread)  # no rescue run after this
    [item] = _unanswered_items(thread)
    assert item.status == "resolved" and item.resolution == "answered" and item.resolved_at is not None
    assert ModerationAction.objects.filter(review_item=item, actor=None).exists()
    assert b"Panic on the bus" not in client.get(reverse("forum:waiting")).content
    assert b"Waiting for a reply:" not in client.get(thread.subforum.get_absolute_url()).content


def test_the_authors_own_reply_does_not_count(member, thread):
    rescue.rescue_run(now=thread.created_at + T2 + SECOND)
    factories.reply(author=member, thread=thread, body="Still here, still struggling.")
    assert Thread.objects.get(pk=thread.pk).first_reply_at is None
    assert _unanswered_items(thread)[0].status == "open"


def test_hiding_the_only_reply_brings_the_thread_back(client, thread, other_member):
    reply = factories.reply(author=other_member, thread=thread)
    assert Thread.objects.get(pk=thread.pk).first_reply_at is not None
    services.post_set_visibility(post=reply, status=Visibility.HIDDEN, reason="R2")
    assert Thread.objects.get(pk=thread.pk).first_reply_at is None
    rescue.rescue_run(now=thread.created_at + T2 + SECOND)
    assert _unanswered_items(thread)[0].status == "open"
    assert b"Panic on the bus" in client.get(reverse("forum:waiting")).content
    services.post_set_visibility(post=reply, status=Visibility.PUBLISHED)
    assert Thread.objects.get(pk=thread.pk).first_reply_at == reply.created_at
    assert _unanswered_items(thread)[0].status == "resolved"


def test_the_repliers_removal_brings_it_back_too(thread, other_member):
    reply = factories.reply(author=other_member, thread=thread)
    rescue.rescue_run(now=thread.created_at + T2 + SECOND)
    assert _unanswered_items(thread) == []
    services.post_delete_by_author(post=reply, actor=other_member)
    rescue.rescue_run(now=thread.created_at + T2 + 2 * SECOND)
    assert _unanswered_items(thread)[0].status == "open"


def test_hiding_the_thread_closes_its_item(client, thread):
    rescue.rescue_run(now=thread.created_at + T2 + SECOND)
    services.post_set_visibility(post=thread.posts.get(position=0), status=Visibility.HIDDEN, reason="R1")
    assert _unanswered_items(thread)[0].status == "resolved"
    assert b"Panic on the bus" not in client.get(reverse("forum:waiting")).content


@pytest.mark.parametrize("exclusion", ["held", "hidden", "locked", "announcement", "removed"])
def test_excluded_threads_are_left_alone(member, moderator, subforum, helper, exclusion):
    if exclusion == "held":
        subforum.posting_policy = "premod_all"
        subforum.save()
    thread = factories.thread(author=member, subforum=subforum, title="Left out")
    opening = thread.posts.get(position=0)
    if exclusion == "hidden":
        services.post_set_visibility(post=opening, status=Visibility.HIDDEN, reason="R1")
    elif exclusion == "locked":
        Thread.objects.filter(pk=thread.pk).update(is_locked=True)
    elif exclusion == "announcement":
        Thread.objects.filter(pk=thread.pk).update(is_pinned=True)
    elif exclusion == "removed":
        services.post_delete_by_author(post=opening, actor=member)
    assert rescue.rescue_run(now=thread.created_at + timedelta(hours=20)) == rescue.RescueReport()
    assert _requests(helper) == [] and _unanswered_items(thread) == []


def test_an_introduction_asks_welcomers_and_a_welcome_resolves_the_new_member_item(member, welcomer, helper):
    introductions = factories.subforum(name="Introductions", is_introductions=True)
    Volunteer.objects.create(member=helper, role=Volunteer.Role.HELPER, subforum=introductions)
    hello = factories.thread(author=member, subforum=introductions, title="Hello, I'm new")
    welcome_item = ReviewItem.objects.get(kind="new_member", target_key=f"member:{member.pk}")
    rescue.rescue_run(now=hello.created_at + T2 + SECOND)
    [request] = _requests(welcomer)
    assert request.kind == "welcomer_request" and "MemberMaple introduced themselves" in request.title
    assert _requests(helper) == []  # introductions go to welcomers
    factories.reply(author=welcomer, thread=hello, body="Welcome, glad you're here.")
    welcome_item.refresh_from_db()
    assert welcome_item.status == "resolved"
    assert _unanswered_items(hello)[0].status == "resolved"


def test_a_helper_hears_at_most_the_daily_limit(member, subforum, helper, settings):
    settings.HEARTH_HELPER_DAILY_LIMIT = 2
    threads = [factories.thread(author=member, subforum=subforum, title=f"Thread {n}") for n in range(3)]
    start = max(t.created_at for t in threads) + T1 + SECOND
    report = rescue.rescue_run(now=start)
    assert report.listed == 3 and report.asked == 2 and len(_requests(helper)) == 2
    later = factories.thread(author=member, subforum=subforum, title="A day later")
    Thread.objects.filter(pk=later.pk).update(created_at=start + timedelta(hours=23))
    rescue.rescue_run(now=start + timedelta(hours=25) + T1)
    assert len(_requests(helper)) == 3  # the window moved on


def test_a_helper_who_hides_the_threads_note_hears_only_that_someone_waits(member, subforum, helper, client):
    note = factories.note(name="Self-harm")
    thread = factories.thread(author=member, subforum=subforum, title="Secret title", notes=[note])
    services.note_preferences_set(member=helper, displays={note.pk: "hide"})
    rescue.rescue_run(now=thread.created_at + T1 + SECOND)
    [request] = _requests(helper)
    assert "Secret title" not in request.title and request.title == "Someone in Anxiety is waiting for a reply"
    page = client_for(client, helper).get(reverse("forum:waiting"))
    assert b"Secret title" not in page.content and b"1 thread not shown" in page.content


def test_the_waiting_page_lists_newest_need_first_and_not_too_early(client, member, subforum):
    older = factories.thread(author=member, subforum=subforum, title="Older need")
    newer = factories.thread(author=member, subforum=subforum, title="Newer need")
    Thread.objects.filter(pk=older.pk).update(created_at=newer.created_at - timedelta(hours=1))
    fresh = factories.thread(author=member, subforum=subforum, title="Just posted")
    Thread.objects.filter(pk=fresh.pk).update(created_at=newer.created_at + T1)  # not yet past T1
    rescue.rescue_run(now=newer.created_at + T1 + SECOND)
    content = client.get(reverse("forum:waiting")).content.decode()
    assert content.index("Newer need") < content.index("Older need")
    assert "Just posted" not in content


def test_the_task_runs_the_rescue(thread, helper, settings):
    settings.HEARTH_UNANSWERED_T1 = timedelta(seconds=0)
    assert rescue_unanswered() == {"listed": 1, "escalated": 0, "asked": 1}


def test_the_beat_schedule_runs_the_task():
    from django.conf import settings

    entry = settings.CELERY_BEAT_SCHEDULE["forum-rescue-unanswered"]
    assert entry["task"] == rescue_unanswered.name
    assert entry["schedule"] <= 300


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_ask_each_helper_once_and_open_one_item(member, subforum, helper):
    threads = [factories.thread(author=member, subforum=subforum, title=f"Thread {n}") for n in range(2)]
    now = max(t.created_at for t in threads) + T2 + SECOND
    barrier = threading.Barrier(2)
    reports, errors = [], []

    def worker():
        try:
            barrier.wait()
            reports.append(rescue.rescue_run(now=now))
        except Exception as error:  # surfaced below
            errors.append(error)
        finally:
            connection.close()

    runners = [threading.Thread(target=worker) for _ in range(2)]
    for runner in runners:
        runner.start()
    for runner in runners:
        runner.join()
    assert errors == []
    assert sum(r.listed for r in reports) == 2 and sum(r.escalated for r in reports) == 2
    assert len(_requests(helper)) == 2
    for thread in threads:
        assert len(_unanswered_items(thread)) == 1


def test_the_waiting_page_queries_do_not_grow(client, member, other_member, subforum):
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        client.get(reverse("forum:waiting"))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("forum:waiting")).status_code == 200
        return len(queries.captured_queries)

    client.force_login(other_member)
    for n in range(3):
        factories.thread(author=member, subforum=subforum, title=f"Few {n}")
    rescue.rescue_run(now=Thread.objects.latest("created_at").created_at + T1 + SECOND)
    few = count()
    for n in range(40):
        factories.thread(author=member, subforum=subforum, title=f"Many {n}")
    rescue.rescue_run(now=Thread.objects.latest("created_at").created_at + T1 + SECOND)
    assert count() == few == 6
