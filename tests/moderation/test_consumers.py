"""The live queue socket: moderators hear new items over the real Redis layer; members are refused."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.db import connections
from django.test import Client

from config.asgi import application
from moderation.services import reports
from tests.second_factor import sign_in
from tests.websockets import GUEST_HEADERS, refusal_code


def _headers(user):
    client = Client()
    sign_in(client, user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    return [(b"origin", b"http://localhost"), (b"cookie", f"{settings.SESSION_COOKIE_NAME}={cookie}".encode())]


@pytest.mark.redis
@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_a_new_report_reaches_a_connected_moderator_through_redis(moderator, other_member, thread, rule):
    from channels.layers import get_channel_layer

    assert type(get_channel_layer()).__module__.startswith("channels_redis")
    communicator = WebsocketCommunicator(
        application, "/ws/moderation/", headers=await sync_to_async(_headers)(moderator)
    )
    connected, _ = await communicator.connect()
    assert connected
    post = await sync_to_async(thread.posts.get)()
    report = await sync_to_async(reports.report_file)(reporter=other_member, post=post, someone_at_risk=True)
    message = await communicator.receive_json_from(timeout=5)
    assert message == {
        "type": "queue.event", "event": "opened", "item_id": report.review_item_id, "kind": "report", "priority": 5,
    }  # fmt: skip
    await communicator.disconnect()
    await sync_to_async(connections.close_all)()


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_a_members_socket_is_refused(member):
    assert await refusal_code("/ws/moderation/", await sync_to_async(_headers)(member)) == 4404
    await sync_to_async(connections.close_all)()


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_a_guests_socket_is_refused(db):
    assert await refusal_code("/ws/moderation/", GUEST_HEADERS) == 4404
    await sync_to_async(connections.close_all)()


@pytest.mark.redis
@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_a_scoped_moderator_hears_only_their_spaces(other_scope_moderator, other_member, thread, rule):
    communicator = WebsocketCommunicator(
        application, "/ws/moderation/", headers=await sync_to_async(_headers)(other_scope_moderator)
    )
    connected, _ = await communicator.connect()
    assert connected
    post = await sync_to_async(thread.posts.get)()
    await sync_to_async(reports.report_file)(reporter=other_member, post=post, rule=rule)
    assert await communicator.receive_nothing(timeout=1)
    await communicator.disconnect()
    await sync_to_async(connections.close_all)()
