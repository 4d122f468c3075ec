"""The issue's "done when", walked as people would: one test, real channel layer and database."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.db import connections
from django.test import Client
from django.urls import reverse

from config.asgi import application
from moderation.models import Appeal, ModerationAction, ReviewItem
from moderation.selectors import transparency_months
from notifications.models import Notification
from tests import factories
from tests.second_factor import sign_in


def _client(user) -> Client:
    client = Client()
    sign_in(client, user)
    return client


def _headers(client: Client):
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    return [(b"origin", b"http://localhost"), (b"cookie", f"{settings.SESSION_COOKIE_NAME}={cookie}".encode())]


def _walk_until_report(newcomer, member, moderator, premod_space, thread):
    newcomer_client, moderator_client = _client(newcomer), _client(moderator)
    # A newcomer's first thread in a pre-moderated space is held ...
    response = newcomer_client.post(
        reverse("forum:thread_create", args=[premod_space.slug]),
        {"title": "First time here", "body": "I have been struggling to sleep and to eat."},
    )
    assert response.status_code == 302
    post = newcomer.posts.get()
    assert post.status == "pending"
    # ... and a moderator approves it from the queue.
    queue = moderator_client.get(reverse("moderation:queue"))
    item = ReviewItem.objects.get(kind="premoderation", post=post)
    assert reverse("moderation:item", args=[item.pk]).encode() in queue.content
    assert moderator_client.get(reverse("moderation:item", args=[item.pk])).status_code == 200
    response = moderator_client.post(
        reverse("moderation:post_act", args=[post.pk]),
        {"action": "approve", "reason": "Welcome; this is fine.", "item": item.pk},
    )
    assert response.status_code == 302
    post.refresh_from_db()
    item.refresh_from_db()
    assert post.status == "published" and item.status == "resolved"
    reply = factories.reply(author=newcomer, thread=thread, body="You are all useless and stupid.")
    assert reply.status == "published"
    return newcomer_client, moderator_client, reply


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_the_whole_moderation_flow(member, moderator, second_moderator, premod_space, thread, rule):
    newcomer = await sync_to_async(factories.member)(pseudonym="NewNettle", email="nettle@example.org")
    newcomer_client, moderator_client, reply = await sync_to_async(_walk_until_report)(
        newcomer, member, moderator, premod_space, thread
    )

    # A moderator has the queue open; a member reports the reply; the moderator's socket hears it.
    communicator = WebsocketCommunicator(application, "/ws/moderation/", headers=_headers(moderator_client))
    connected, _ = await communicator.connect()
    assert connected
    member_client = await sync_to_async(_client)(member)
    response = await sync_to_async(member_client.post)(
        reverse("moderation:report_post", args=[reply.pk]), {"concern": str(rule.pk), "words": "Name-calling."}
    )
    assert response.status_code == 302
    heard = await communicator.receive_json_from(timeout=5)
    item = await sync_to_async(ReviewItem.objects.get)(kind="report", post=reply)
    assert heard == {"type": "queue.event", "event": "opened", "item_id": item.pk, "kind": "report", "priority": 1}

    # The moderator hides it, citing a rule.
    response = await sync_to_async(moderator_client.post)(
        reverse("moderation:post_act", args=[reply.pk]),
        {"action": "hide", "rule": rule.pk, "reason": "Calling people useless hurts.", "item": item.pk},
    )
    assert response.status_code == 302
    resolved = await communicator.receive_json_from(timeout=5)
    assert resolved["event"] == "resolved" and resolved["item_id"] == item.pk
    await communicator.disconnect()

    def after_hide():
        hide = ModerationAction.objects.get(action="post_hide", post=reply)
        assert hide.rule == rule and hide.before["status"] == "published" and hide.after["status"] == "hidden"
        # The author reads the statement of reasons, with their own text, and appeals.
        statement = Notification.objects.get(recipient=newcomer, kind="moderation")
        assert statement.url == hide.get_absolute_url()
        page = newcomer_client.get(statement.url)
        assert page.status_code == 200
        assert b"R1: Be kind" in page.content and b"Calling people useless hurts." in page.content
        assert b"useless and stupid" in page.content  # their own words, still theirs to read
        response = newcomer_client.post(statement.url, {"words": "I was upset; I will be kinder."})
        assert response.status_code == 302
        appeal = Appeal.objects.get(action=hide)
        # The moderator who hid it cannot decide the appeal ...
        response = moderator_client.post(
            reverse("moderation:item_decide", args=[appeal.review_item_id]),
            {"decision": "reverse", "reason": "Mine to undo?"},
        )
        assert response.status_code == 404 or ReviewItem.objects.get(pk=appeal.review_item_id).status != "resolved"
        # ... a second moderator does, and reversal restores exactly what was hidden.
        response = _client(second_moderator).post(
            reverse("moderation:item_decide", args=[appeal.review_item_id]),
            {"decision": "reverse", "reason": "A fair apology; restoring it."},
        )
        assert response.status_code == 302
        reply.refresh_from_db()
        assert reply.status == "published"
        assert Notification.objects.filter(recipient=newcomer, kind="appeal_decided").exists()
        # The reporter hears it was reviewed, without details.
        assert Notification.objects.filter(recipient=member, kind="report_reviewed").exists()
        # All of it is in the log and in the month's transparency counts.
        logged = set(ModerationAction.objects.values_list("action", flat=True))
        assert {"post_approve", "post_hide", "appeal_reversed"} <= logged
        month = transparency_months()[0]
        assert month.actions_by_type == {"post_approve": 1, "post_hide": 1, "appeal_reversed": 1}
        assert (month.reports, month.appeals, month.reversals) == (1, 1, 1)
        assert month.actions_by_rule["R1"] == 2
        assert month.median_report_to_decision_hours is not None
        page = Client().get(reverse("transparency"))
        assert page.status_code == 200 and b"NewNettle" not in page.content

    await sync_to_async(after_hide)()
    await sync_to_async(connections.close_all)()
