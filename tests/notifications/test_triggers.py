"""What the forum tells members (forum/notices.py), their choices, and the emails."""

from __future__ import annotations

from datetime import timedelta

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.core import mail
from django.db import connections
from django.urls import reverse
from django.utils import timezone

from config.asgi import application
from config.celery import app as celery_app
from forum import rescue, services
from forum.models import Volunteer
from notifications import email, selectors
from notifications import services as notification_services
from notifications.models import Notification
from notifications.services import WITHDRAWN_TITLE
from tests import factories
from tests.notifications.test_notifications import _session_headers

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _mail_and_eager_jobs(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.HEARTH_SITE_URL = "https://hearth.example"
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = eager


def _titles(member, kind=None) -> list[str]:
    rows = Notification.objects.filter(recipient=member)
    if kind:
        rows = rows.filter(kind=kind)
    return list(rows.values_list("title", flat=True))


def test_thread_author_hears_of_a_reply(member, other_member, thread):
    reply = factories.reply(author=other_member, thread=thread)
    [notice] = Notification.objects.filter(recipient=member)
    assert notice.kind == "reply" and notice.title == "OtherOtter replied to your thread “Panic on the bus”"
    assert notice.url == reply.get_absolute_url()
    assert _titles(other_member) == []  # never about your own post


def test_post_author_hears_of_a_reply_to_their_post_and_the_thread_author_too(member, other_member, thread):
    third = factories.member(pseudonym="ThirdThrush")
    answered = factories.reply(author=other_member, thread=thread)
    factories.reply(author=third, thread=thread, parent=answered)
    assert "ThirdThrush replied to your post in “Panic on the bus”" in _titles(other_member)
    assert "ThirdThrush replied to your thread “Panic on the bus”" in _titles(member)


def test_your_own_reply_tells_nobody(member, thread):
    factories.reply(author=member, thread=thread)
    assert _titles(member) == []


def test_a_mention_tells_the_member_named(member, other_member, thread):
    third = factories.member(pseudonym="ThirdThrush")
    factories.reply(author=other_member, thread=thread, body="@thirdthrush you said something like this once. @Nobody")
    assert _titles(third, "mention") == ["OtherOtter mentioned you in “Panic on the bus”"]


def test_a_held_reply_tells_nobody_until_approved(member, other_member):
    space = factories.subforum(posting_policy="premod_all")
    thread = factories.thread(author=member, subforum=space)
    services.post_set_visibility(post=thread.posts.get(position=0), status="published")
    thread.refresh_from_db()
    reply = factories.reply(author=other_member, thread=thread)
    assert reply.status == "pending" and _titles(member) == []
    services.post_set_visibility(post=reply, status="published")
    assert _titles(member) == ["OtherOtter replied to your thread “A thread”"]


def test_hiding_a_post_withdraws_what_its_notices_said(member, other_member, thread):
    reply = factories.reply(author=other_member, thread=thread, body="Hi @MemberMaple")
    services.post_set_visibility(post=reply, status="hidden", reason="R2")
    assert _titles(member) == [WITHDRAWN_TITLE]
    page = factories_client(member).get(reverse("notifications:list")).content
    assert b"OtherOtter" not in page


def test_hiding_a_thread_withdraws_helper_requests_about_it(member, thread, settings):
    helper = factories.member(pseudonym="HelperHazel")
    Volunteer.objects.create(member=helper, role="helper", subforum=thread.subforum)
    rescue.rescue_run(now=thread.created_at + settings.HEARTH_UNANSWERED_T1 + timedelta(seconds=1))
    assert "Panic on the bus" in _titles(helper)[0]
    services.post_set_visibility(post=thread.posts.get(position=0), status="hidden", reason="R1")
    assert _titles(helper) == [WITHDRAWN_TITLE]


def test_removal_by_the_author_withdraws_too(member, other_member, thread):
    reply = factories.reply(author=other_member, thread=thread)
    services.post_delete_by_author(post=reply, actor=other_member)
    assert _titles(member) == [WITHDRAWN_TITLE]


def test_a_thread_the_reader_hides_is_only_activity(member, other_member, subforum):
    note = factories.note(name="Self-harm")
    thread = factories.thread(author=member, subforum=subforum, title="Secret title", notes=[note])
    services.note_preferences_set(member=member, displays={note.pk: "hide"})
    factories.reply(author=other_member, thread=thread)
    assert _titles(member) == ["There is new activity in a thread you follow"]


def test_a_kind_turned_off_is_not_stored(member, other_member, thread):
    notification_services.preferences_set(member=member, deliveries={"reply": "off"})
    factories.reply(author=other_member, thread=thread)
    assert _titles(member) == []


def test_moderation_notices_cannot_be_turned_off(member):
    notification_services.preferences_set(member=member, deliveries={"moderation": "off"})
    assert selectors.delivery_for(member_id=member.pk, kind="moderation") == "site"
    assert notification_services.notify(recipient=member, kind="moderation", title="A moderator wrote") is not None


def test_email_at_once(member, other_member, thread, django_capture_on_commit_callbacks):
    notification_services.preferences_set(member=member, deliveries={"reply": "email"})
    with django_capture_on_commit_callbacks(execute=True):
        factories.reply(author=other_member, thread=thread, body="Private words that must not be emailed")
    [message] = mail.outbox
    assert message.to == ["maple@example.org"]
    assert message.subject == "[Hearth] OtherOtter replied to your thread “Panic on the bus”"
    assert "https://hearth.example/p/" in message.body and "Private words" not in message.body
    notice = Notification.objects.get(recipient=member)
    assert notice.email_state == "sent"
    assert email.notification_email_send(notification_id=notice.pk) is False  # once only
    assert len(mail.outbox) == 1


def test_daily_digest_gathers_the_days_notices(member, other_member, thread):
    notification_services.preferences_set(member=member, deliveries={"reply": "digest", "mention": "digest"})
    factories.reply(author=other_member, thread=thread)
    factories.reply(author=factories.member(pseudonym="ThirdThrush"), thread=thread)
    assert mail.outbox == []
    assert email.digests_send(now=timezone.now()) == 1
    [message] = mail.outbox
    assert message.subject == "[Hearth] Your day on Hearth: 2 notifications"
    assert "OtherOtter replied to your thread" in message.body and "ThirdThrush replied" in message.body
    assert email.digests_send(now=timezone.now()) == 0  # sent once
    assert len(mail.outbox) == 1


def test_the_digest_runs_daily_from_beat():
    from django.conf import settings

    entry = settings.CELERY_BEAT_SCHEDULE["notifications-daily-digest"]
    assert entry["task"] == "notifications.send_daily_digests"


def test_preferences_page(client, member):
    client.force_login(member)
    page = client.get(reverse("notifications:preferences"))
    assert page.status_code == 200 and b"Replies to your threads and posts" in page.content
    data = {kind: "site" for kind in selectors.preferences_for(member=member)}
    data["reply"] = "digest"
    assert client.post(reverse("notifications:preferences"), data).status_code == 302
    assert selectors.preferences_for(member=member)["reply"] == "digest"


def test_preferences_refuse_turning_moderation_off_on_the_page(client, member):
    client.force_login(member)
    data = {kind: "site" for kind in selectors.preferences_for(member=member)}
    data["moderation"] = "off"
    response = client.post(reverse("notifications:preferences"), data)
    assert response.status_code == 422 and b"Select a valid choice" in response.content


def test_guest_cannot_open_preferences(client, db):
    assert client.get(reverse("notifications:preferences")).status_code == 302


def factories_client(member):
    from django.test import Client

    client = Client()
    client.force_login(member)
    return client


@pytest.mark.redis
@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_a_helper_hears_the_rescue_live_through_redis(member, subforum):
    helper = await sync_to_async(factories.member)(pseudonym="HelperHazel")
    await sync_to_async(Volunteer.objects.create)(member=helper, role="helper", subforum=subforum)
    thread = await sync_to_async(factories.thread)(author=member, subforum=subforum)
    headers = await sync_to_async(_session_headers)(helper)
    communicator = WebsocketCommunicator(application, "/ws/notifications/", headers=headers)
    connected, _ = await communicator.connect()
    assert connected
    await sync_to_async(rescue.rescue_run)(now=thread.created_at + timedelta(hours=3))
    message = await communicator.receive_json_from(timeout=5)
    assert message == {"type": "notifications.count", "unread": 1}
    await communicator.disconnect()
    await sync_to_async(connections.close_all)()
