"""A thread's live updates end when the reader may no longer see the thread, over the real Redis layer."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import connections

from config.asgi import application
from forum.models import Rule, Thread
from moderation.services import actions
from tests import factories
from tests.websockets import GUEST_HEADERS


@pytest.fixture
def risk_rule(db):
    return Rule.objects.create(code="R4", title="No methods", body="Never describe methods.")


async def _guest_on(thread) -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(application, f"/ws/threads/{thread.pk}/", headers=GUEST_HEADERS)
    connected, _ = await communicator.connect()
    assert connected
    return communicator


@pytest.mark.redis
@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_a_guest_socket_is_closed_when_a_moderator_hides_the_thread(thread, moderator, risk_rule):
    communicator = await _guest_on(thread)
    opening = await sync_to_async(thread.posts.get)()
    await sync_to_async(actions.post_hide)(actor=moderator, post=opening, rule=risk_rule, reason="Methods.")
    assert await communicator.receive_output(timeout=5) == {"type": "websocket.close", "code": 4404}
    await sync_to_async(connections.close_all)()


@pytest.mark.redis
@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_a_guest_hears_no_post_ids_from_a_thread_they_can_no_longer_see(thread, moderator):
    """Visibility is asked again per event, whatever changed the thread's state."""
    communicator = await _guest_on(thread)
    await sync_to_async(Thread.objects.filter(pk=thread.pk).update)(status="hidden")
    await sync_to_async(factories.reply)(author=moderator, thread=thread, body="Checking in with you privately.")
    assert await communicator.receive_output(timeout=5) == {"type": "websocket.close", "code": 4404}
    await sync_to_async(connections.close_all)()


@pytest.mark.redis
@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_readers_who_still_see_the_thread_keep_hearing(thread, other_member):
    communicator = await _guest_on(thread)
    reply = await sync_to_async(factories.reply)(author=other_member, thread=thread, body="Thinking of you.")
    assert await communicator.receive_json_from(timeout=5) == {"type": "post.published", "post_id": reply.pk}
    await communicator.disconnect()
    await sync_to_async(connections.close_all)()


@pytest.mark.redis
@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_a_worker_reads_the_thread_once_per_event_however_many_readers_it_serves(
    thread, other_member, monkeypatch
):
    """Fan-out cost: one visibility look-up per event and worker, not one per reader."""
    from forum import consumers

    look_ups = []
    read = consumers._read_thread_state

    async def counted(thread_id):
        look_ups.append(thread_id)
        return await read(thread_id)

    readers = [await _guest_on(thread) for _ in range(6)]
    monkeypatch.setattr(consumers, "_read_thread_state", counted)
    reply = await sync_to_async(factories.reply)(author=other_member, thread=thread, body="Sending you strength.")
    for reader in readers:
        assert await reader.receive_json_from(timeout=5) == {"type": "post.published", "post_id": reply.pk}
    assert look_ups == [thread.pk]
    second = await sync_to_async(factories.reply)(author=other_member, thread=thread, body="Still here for you.")
    for reader in readers:
        assert await reader.receive_json_from(timeout=5) == {"type": "post.published", "post_id": second.pk}
        await reader.disconnect()
    assert look_ups == [thread.pk, thread.pk]
    await sync_to_async(connections.close_all)()
