"""Sanctions (muted or suspended members see why and until when where they'd post) and appeals."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from moderation.models import Appeal, ModerationAction
from moderation.services import actions, appeals, sanctions
from moderation.services.appeals import AppealRefused
from moderation.services.queue import QueueConflict
from tests.conftest import client_for


def test_a_muted_member_sees_why_and_until_when_and_cannot_post(client, thread, other_member, moderator, rule):
    until = timezone.now() + timedelta(days=3)
    sanctions.member_sanction(
        actor=moderator, member=other_member, kind="mute", rule=rule, reason="Repeated insults.", until=until
    )
    client_for(client, other_member)
    page = client.get(reverse("forum:reply", args=[thread.pk]))
    assert page.status_code == 403
    assert b"read-only" in page.content and b"Repeated insults." in page.content
    assert until.strftime("%d %B %Y").encode() in page.content
    response = client.post(reverse("forum:reply", args=[thread.pk]), {"body": "Hello again"})
    assert response.status_code == 403 and b"Hello again" in response.content


def test_reversing_a_suspension_on_appeal_lifts_it(thread, other_member, moderator, second_moderator, rule):
    entry = sanctions.member_sanction(
        actor=moderator, member=other_member, kind="suspend", rule=rule, reason="Threats.",
        until=timezone.now() + timedelta(days=7),
    )  # fmt: skip
    other_member.refresh_from_db()
    assert other_member.posting_restriction
    appeal = appeals.appeal_file(appellant=other_member, action=entry, words="It was a joke between friends.")
    with pytest.raises(QueueConflict):
        appeals.appeal_decide(actor=moderator, item_id=appeal.review_item_id, reverse=True, rule=None, reason="x")
    appeals.appeal_decide(
        actor=second_moderator, item_id=appeal.review_item_id, reverse=True, rule=None, reason="Context clears it."
    )
    other_member.refresh_from_db()
    assert not other_member.posting_restriction
    assert ModerationAction.objects.filter(action="appeal_reversed", reverses=entry).exists()
    assert ModerationAction.objects.filter(action="sanction_lift", reverses=entry).exists()


def test_an_appeal_is_once_per_action_and_within_six_months(thread, other_member, moderator, rule):
    reply = thread.posts.get()
    entry = actions.post_hide(actor=moderator, post=reply, rule=rule, reason="x")
    appeals.appeal_file(appellant=thread.author, action=entry, words="Please look again.")
    with pytest.raises(AppealRefused, match="already"):
        appeals.appeal_file(appellant=thread.author, action=entry, words="Again.")
    with pytest.raises(AppealRefused):
        appeals.appeal_file(appellant=other_member, action=entry, words="Not mine.")
    old = actions.post_hide(actor=moderator, post=reply, rule=rule, reason="y")
    ModerationAction.objects.filter(pk=old.pk)  # the log can't be back-dated; check the deadline instead
    assert appeals.appeal_deadline(old) - old.created_at == timedelta(days=183)


def test_upholding_keeps_the_decision_and_tells_the_member(thread, moderator, second_moderator, rule):
    entry = actions.post_hide(actor=moderator, post=thread.posts.get(), rule=rule, reason="x")
    appeal = appeals.appeal_file(appellant=thread.author, action=entry, words="Please.")
    appeals.appeal_decide(
        actor=second_moderator, item_id=appeal.review_item_id, reverse=False, rule=None, reason="It stays hidden."
    )
    assert Appeal.objects.get().decision == "upheld"
    assert thread.posts.get().status == "hidden"
