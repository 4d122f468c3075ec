"""Reports: a control on posts and profiles, refusals, repeats into one item, and a calm rate limit."""

from __future__ import annotations

import pytest
from django.urls import reverse

from moderation.models import PRIORITY_OTHERS_RISK, Report, ReviewItem
from tests import factories
from tests.conftest import client_for


def test_every_published_post_and_profile_offers_report_to_signed_in_members_only(
    client, thread, member, other_member, rule
):
    client_for(client, other_member)
    page = client.get(thread.get_absolute_url())
    assert reverse("moderation:report_post", args=[thread.posts.get().pk]).encode() in page.content
    assert (
        reverse("moderation:report_member", args=[member.pseudonym]).encode()
        in client.get(reverse("forum:profile", args=[member.pseudonym])).content
    )
    client_for(client, member)  # their own post: no control
    assert b"moderation/report/post" not in client.get(thread.get_absolute_url()).content
    client.logout()
    assert b"moderation/report/post" not in client.get(thread.get_absolute_url()).content


def test_a_report_gets_a_calm_confirmation_and_opens_one_item(client, thread, other_member, rule):
    post = thread.posts.get()
    client_for(client, other_member)
    response = client.post(
        reverse("moderation:report_post", args=[post.pk]), {"concern": str(rule.pk), "words": "Unkind."}, follow=True
    )
    assert b"Thank you for telling us" in response.content
    item = ReviewItem.objects.get(kind="report", target_key=f"post:{post.pk}")
    assert item.occurrences == 1 and Report.objects.get().words == "Unkind."


def test_reports_of_the_same_post_add_to_one_item(client, thread, other_member, rule):
    post = thread.posts.get()
    third = factories.member()
    for reporter in (other_member, third):
        client_for(client, reporter)
        client.post(reverse("moderation:report_post", args=[post.pk]), {"concern": str(rule.pk)})
    item = ReviewItem.objects.get(kind="report")
    assert item.occurrences == 2 and item.reports.count() == 2


def test_someone_at_risk_goes_to_the_top(client, thread, other_member):
    client_for(client, other_member)
    client.post(reverse("moderation:report_post", args=[thread.posts.get().pk]), {"concern": "at_risk"})
    item = ReviewItem.objects.get(kind="report")
    assert item.priority == PRIORITY_OTHERS_RISK and item.risk_level == "high"


def test_reporting_your_own_post_is_refused_kindly(client, thread, member, rule):
    client_for(client, member)
    response = client.post(reverse("moderation:report_post", args=[thread.posts.get().pk]), {"concern": str(rule.pk)})
    assert response.status_code == 422 and b"your own post" in response.content
    assert not ReviewItem.objects.filter(kind="report").exists()


def test_reporting_a_post_you_cannot_see_is_a_404(client, member, other_member, premod_space, rule):
    held = factories.thread(author=factories.member(), subforum=premod_space).posts.get()
    assert held.status == "pending"
    client_for(client, other_member)
    assert client.get(reverse("moderation:report_post", args=[held.pk])).status_code == 404
    assert client.post(reverse("moderation:report_post", args=[held.pk]), {"concern": str(rule.pk)}).status_code == 404
    assert client.get(reverse("moderation:report_post", args=[999999])).status_code == 404


def test_many_reports_in_a_short_time_are_paused_calmly_keeping_the_text(client, thread, other_member, rule, settings):
    settings.HEARTH_REPORTS_PER_HOUR = 2
    client_for(client, other_member)
    url = reverse("moderation:report_post", args=[thread.posts.get().pk])
    for _ in range(2):
        assert client.post(url, {"concern": str(rule.pk)}).status_code == 302
    response = client.post(url, {"concern": str(rule.pk), "words": "Please look at this too"})
    assert response.status_code == 429
    assert b"wait a little" in response.content and b"Please look at this too" in response.content


def test_guest_is_asked_to_sign_in(client, thread):
    response = client.get(reverse("moderation:report_post", args=[thread.posts.get().pk]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_reporter_may_ask_for_a_second_look_at_no_action(client, thread, other_member, moderator, rule):
    from moderation.models import Appeal
    from moderation.services import queue, reports

    report = reports.report_file(reporter=other_member, post=thread.posts.get(), rule=rule)
    queue.review_item_dismiss(actor=moderator, item_id=report.review_item_id, rule=None, reason="Looks fine to me.")
    client_for(client, other_member)
    page = client.get(reverse("moderation:report_status", args=[report.pk]))
    assert b"Ask for a second look" in page.content and b"Looks fine to me" not in page.content
    client.post(reverse("moderation:report_status", args=[report.pk]), {"words": "It was aimed at me."})
    appeal = Appeal.objects.get()
    assert appeal.kind == "second_look" and appeal.review_item.details["actor_id"] == moderator.pk


def test_repeatedly_unfounded_reporters_are_warned_then_limited_and_it_can_be_lifted(
    thread, other_member, moderator, rule, settings
):
    from moderation.models import ModerationAction, Sanction
    from moderation.services import queue, reports, sanctions
    from moderation.services.reports import ReportRefused
    from notifications.models import Notification

    settings.HEARTH_REPORTS_PER_HOUR = 100
    for n in range(reports.UNFOUNDED_LIMIT):
        post = factories.reply(author=factories.member(), thread=thread, body=f"An ordinary reply {n}.")
        report = reports.report_file(reporter=other_member, post=post, rule=rule)
        queue.review_item_dismiss(actor=moderator, item_id=report.review_item_id, rule=None, reason="Fine.")
    assert ModerationAction.objects.filter(action="reporter_warn", member=other_member).count() == 1
    assert ModerationAction.objects.filter(action="reporter_limit", member=other_member).count() == 1
    assert Notification.objects.filter(recipient=other_member, title="About your reports").exists()
    post = factories.reply(author=factories.member(), thread=thread, body="One more.")
    with pytest.raises(ReportRefused, match="fewer|reports a day"):
        reports.report_file(reporter=other_member, post=post, rule=rule)
    limit = Sanction.objects.get(member=other_member, kind="report_limit")
    sanctions.sanction_lift(actor=moderator, sanction=limit, reason="They were right after all.")
    assert reports.report_file(reporter=other_member, post=post, rule=rule).pk
