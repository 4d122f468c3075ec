"""Notifications: the notify service, the header count, the list page, and the live count."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.db import connections
from django.test import Client
from django.urls import reverse

from config.asgi import application
from notifications import selectors, services
from notifications.models import Notification
from tests.conftest import client_for
from tests.second_factor import sign_in
from tests.websockets import GUEST_HEADERS, refusal_code


@pytest.fixture
def notice(member):
    return services.notify(recipient=member, kind="reply", title="OtherOtter replied to you", url="/p/1/")


def test_notify_stores_a_notification_for_the_recipient_only(member, other_member, notice):
    assert selectors.unread_count(member_id=member.pk) == 1
    assert selectors.unread_count(member_id=other_member.pk) == 0


def test_header_shows_the_unread_count(member_client, notice):
    page = member_client.get(reverse("forum:home"))
    assert b'class="badge">1<' in page.content


def test_guest_sees_no_notification_link(client, db):
    assert b"notification-count" not in client.get(reverse("forum:home")).content


def test_guest_is_sent_to_sign_in_from_the_list(client, db):
    response = client.get(reverse("notifications:list"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_list_shows_own_notifications(member_client, notice):
    page = member_client.get(reverse("notifications:list"))
    assert page.status_code == 200
    assert b"OtherOtter replied to you" in page.content


def test_another_member_cannot_open_or_read_it(client, other_member, notice):
    other = client_for(client, other_member)
    assert b"OtherOtter replied" not in other.get(reverse("notifications:list")).content
    assert other.post(reverse("notifications:open", args=[notice.pk])).status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None


def test_opening_marks_read_and_follows_the_link(member_client, member, notice):
    response = member_client.post(reverse("notifications:open", args=[notice.pk]))
    assert response.status_code == 302 and response["Location"] == "/p/1/"
    assert selectors.unread_count(member_id=member.pk) == 0


def test_a_link_off_site_is_never_followed(member_client, member):
    odd = Notification.objects.create(recipient=member, kind="x", title="t", url="//evil.example/")
    response = member_client.post(reverse("notifications:open", args=[odd.pk]))
    assert response["Location"] == reverse("notifications:list")


def test_opening_needs_post_and_csrf(member, notice):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(member)
    assert strict.get(reverse("notifications:open", args=[notice.pk])).status_code == 405
    assert strict.post(reverse("notifications:open", args=[notice.pk])).status_code == 403


def test_mark_all_read(member_client, member, notice):
    services.notify(recipient=member, kind="reply", title="Another")
    member_client.post(reverse("notifications:read_all"))
    assert selectors.unread_count(member_id=member.pk) == 0


def _session_headers(user) -> list[tuple[bytes, bytes]]:
    client = Client()
    sign_in(client, user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    return [(b"origin", b"http://localhost"), (b"cookie", f"{settings.SESSION_COOKIE_NAME}={cookie}".encode())]


@pytest.mark.redis
@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_member_socket_hears_the_new_count_through_redis(member):
    from channels.layers import get_channel_layer

    assert type(get_channel_layer()).__module__.startswith("channels_redis")
    headers = await sync_to_async(_session_headers)(member)
    communicator = WebsocketCommunicator(application, "/ws/notifications/", headers=headers)
    connected, _ = await communicator.connect()
    assert connected
    await sync_to_async(services.notify)(recipient=member, kind="reply", title="Someone replied")
    message = await communicator.receive_json_from(timeout=5)
    assert message == {"type": "notifications.count", "unread": 1}
    await communicator.disconnect()
    await sync_to_async(connections.close_all)()


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_guest_socket_is_refused_with_a_close_code_the_script_reads(db):
    assert await refusal_code("/ws/notifications/", GUEST_HEADERS) == 4401
    await sync_to_async(connections.close_all)()
