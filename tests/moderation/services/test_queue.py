"""The queue: order, overdue marks, claims that lapse, and one resolution however many press at once."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from moderation import intake
from moderation.models import PRIORITY_OTHERS_RISK, ModerationAction, ReviewItem
from moderation.services import actions, queue
from moderation.services.queue import QueueConflict
from tests.conftest import client_for


def _item(n: int, **fields) -> ReviewItem:
    return intake.review_item_open(kind="report", target_key=f"member:{n}", summary=f"item {n}", **fields)


def test_someone_elses_imminent_risk_comes_first_then_risk_then_age(moderator, db):
    old_plain = _item(1)
    ReviewItem.objects.filter(pk=old_plain.pk).update(created_at=timezone.now() - timedelta(days=2))
    authors_risk = _item(2, risk_level="high")
    others_risk = _item(3, risk_level="high", priority=PRIORITY_OTHERS_RISK)
    hostility = _item(4, risk_level="medium")
    from moderation.selectors import queue_items

    order = [item.pk for item in queue_items(user=moderator)]
    assert order == [others_risk.pk, authors_risk.pk, hostility.pk, old_plain.pk]


def test_overdue_marks_follow_the_settings(db, settings):
    high = _item(1, risk_level="high")
    plain = _item(2)
    now = timezone.now()
    assert not high.is_overdue(now) and not plain.is_overdue(now)
    assert high.is_overdue(now + timedelta(minutes=16))
    assert not plain.is_overdue(now + timedelta(hours=23)) and plain.is_overdue(now + timedelta(hours=25))
    settings.HEARTH_QUEUE_OVERDUE_MINUTES = 60
    assert plain.is_overdue(now + timedelta(minutes=61))


def test_a_claim_keeps_others_off_until_it_lapses(moderator, second_moderator, db):
    item = _item(1)
    queue.review_item_claim(actor=moderator, item_id=item.pk)
    with pytest.raises(QueueConflict, match="ModeratorMoss is looking"):
        queue.review_item_claim(actor=second_moderator, item_id=item.pk)
    ReviewItem.objects.filter(pk=item.pk).update(claimed_at=timezone.now() - timedelta(minutes=16))
    assert queue.review_item_claim(actor=second_moderator, item_id=item.pk).claimed_by == second_moderator


def test_acting_on_a_resolved_item_is_a_calm_message_and_changes_nothing(client, moderator, thread, rule):
    post = thread.posts.get()
    item = intake.review_item_open(kind="report", target_key=f"post:{post.pk}", post=post, subforum=thread.subforum)
    queue.review_item_dismiss(actor=moderator, item_id=item.pk, rule=rule, reason="Fine.")
    client_for(client, moderator)
    response = client.post(
        reverse("moderation:post_act", args=[post.pk]),
        {"action": "hide", "rule": rule.pk, "reason": "Too late", "item": item.pk},
        follow=True,
    )
    assert response.status_code == 200 and b"already dealt with" in response.content
    post.refresh_from_db()
    assert post.status == "published"
    assert ModerationAction.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_moderators_acting_at_once_give_one_resolution_and_one_log_entry(moderator, second_moderator, thread, rule):
    post = thread.posts.get()
    item = intake.review_item_open(kind="report", target_key=f"post:{post.pk}", post=post, subforum=thread.subforum)
    barrier = threading.Barrier(2)
    outcomes = []

    def act(actor):
        try:
            barrier.wait(timeout=5)
            actions.post_hide(actor=actor, post=post, rule=rule, reason=f"by {actor}", item_id=item.pk)
            outcomes.append("done")
        except QueueConflict:
            outcomes.append("conflict")
        finally:
            connections.close_all()

    workers = [threading.Thread(target=act, args=(m,)) for m in (moderator, second_moderator)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=20)
    assert sorted(outcomes) == ["conflict", "done"]
    assert ModerationAction.objects.filter(action="post_hide").count() == 1
    item.refresh_from_db()
    assert item.status == "resolved"


def _grow(n: int, *, start: int) -> None:
    now = timezone.now()
    ReviewItem.objects.bulk_create(
        ReviewItem(kind="report", target_key=f"member:{start + i}", summary="x", created_at=now, updated_at=now)
        for i in range(n)
    )


def test_the_queue_page_runs_the_same_queries_for_5_or_500_items(client, moderator, thread):
    client_for(client, moderator)
    _grow(5, start=0)
    client.get(reverse("moderation:queue"))  # warm the session and caches
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse("moderation:queue")).status_code == 200
    _grow(495, start=1000)
    with CaptureQueriesContext(connection) as large:
        assert client.get(reverse("moderation:queue")).status_code == 200
    # 8: the staff second-factor check (accounts/second_factor.py) asks for the authenticator once.
    assert len(small) == len(large) == 8, [q["sql"] for q in large]


def test_post_reply_and_thread_items_land_in_the_right_scope(scoped_moderator, other_scope_moderator, thread):
    from moderation.selectors import queue_items

    post = thread.posts.get()
    item = intake.review_item_open(kind="report", target_key=f"post:{post.pk}", post=post, subforum=thread.subforum)
    assert item in list(queue_items(user=scoped_moderator))
    assert item not in list(queue_items(user=other_scope_moderator))


def test_new_members_items_still_open_once(member, db):
    first = intake.new_member_to_welcome(member=member)
    assert intake.new_member_to_welcome(member=member).pk == first.pk


def test_a_more_urgent_repeat_lifts_the_item(db):
    item = _item(1)
    again = _item(1, risk_level="high", priority=PRIORITY_OTHERS_RISK)
    assert again.pk == item.pk and again.occurrences == 2 and again.priority == PRIORITY_OTHERS_RISK


def test_filters_by_kind_subforum_status_and_mine(client, moderator, thread, other_space):
    post = thread.posts.get()
    report = intake.review_item_open(kind="report", target_key=f"post:{post.pk}", post=post, subforum=thread.subforum)
    elsewhere = intake.review_item_open(kind="screening", target_key="member:99", subforum=other_space)
    queue.review_item_claim(actor=moderator, item_id=elsewhere.pk)
    client_for(client, moderator)

    def shown(query):
        page = client.get(reverse("moderation:queue"), query)
        assert page.status_code == 200
        return {pk for pk in (report.pk, elsewhere.pk) if f'data-item-id="{pk}"'.encode() in page.content}

    assert shown({}) == {report.pk, elsewhere.pk}
    assert shown({"kind": "report"}) == {report.pk}
    assert shown({"subforum": other_space.pk}) == {elsewhere.pk}
    assert shown({"status": "claimed"}) == {elsewhere.pk}
    assert shown({"mine": "on"}) == {elsewhere.pk}


def test_screening_matches_are_marked_and_everything_else_escaped():
    from moderation.selectors import highlight_matches

    marked = highlight_matches("I <b>want</b> to end it tonight", [{"start": 14, "end": 20}, "tonight"])
    assert marked == "I &lt;b&gt;want&lt;/b&gt; <mark>to end</mark> it <mark>tonight</mark>"
