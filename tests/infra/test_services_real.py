"""The real PostgreSQL, Redis cache, Redis channel layer and Celery broker, over real connections."""

from __future__ import annotations

import threading

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.core.cache import cache
from django.db import connection, connections

from config.asgi import application
from forum.models import Post
from tests import factories
from tests.websockets import GUEST_HEADERS, refusal_code


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_replies_get_distinct_positions_and_exact_counters(member, other_member, subforum):
    assert connection.vendor == "postgresql"
    thread = factories.thread(author=member, subforum=subforum)
    errors: list[BaseException] = []

    def reply(author, n):
        try:
            for i in range(n):
                factories.reply(author=author, thread=thread, body=f"{author.pseudonym} {i}")
        except BaseException as error:  # surface failures from the thread
            errors.append(error)
        finally:
            connection.close()  # this thread's own connection

    workers = [threading.Thread(target=reply, args=(a, 10)) for a in (member, other_member, member, other_member)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert not errors
    positions = list(Post.objects.filter(thread=thread).values_list("position", flat=True))
    assert sorted(positions) == list(range(41))
    thread.refresh_from_db()
    assert thread.reply_count == 40 and thread.post_sequence == 40


@pytest.mark.redis
def test_cache_is_redis_and_round_trips():
    assert settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
    cache.set("hearth-test-key", {"calm": True}, 30)
    assert cache.get("hearth-test-key") == {"calm": True}


@pytest.mark.redis
@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_reader_socket_hears_a_new_reply_through_the_redis_channel_layer(member, other_member, subforum):
    assert type(get_channel_layer()).__module__.startswith("channels_redis")
    thread = await sync_to_async(factories.thread)(author=member, subforum=subforum)
    communicator = WebsocketCommunicator(
        application, f"/ws/threads/{thread.pk}/", headers=[(b"origin", b"http://localhost")]
    )
    connected, _ = await communicator.connect()
    assert connected
    reply = await sync_to_async(factories.reply)(author=other_member, thread=thread, body="You're not alone")
    message = await communicator.receive_json_from(timeout=5)
    assert message == {"type": "post.published", "post_id": reply.pk}
    await communicator.disconnect()
    await sync_to_async(connections.close_all)()


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_socket_for_a_thread_the_reader_cannot_see_is_refused(member, subforum):
    space = await sync_to_async(factories.subforum)(posting_policy="premod_all")
    held = await sync_to_async(factories.thread)(author=member, subforum=space)
    assert await refusal_code(f"/ws/threads/{held.pk}/", GUEST_HEADERS) == 4404
    await sync_to_async(connections.close_all)()  # the helper thread's connection, or teardown waits on it


@pytest.mark.redis
def test_celery_task_travels_through_the_redis_broker_to_a_real_worker():
    import time
    import uuid

    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    assert settings.CELERY_BROKER_URL.startswith("redis://")
    token = uuid.uuid4().hex

    @app.task(name="tests.remember_token")
    def remember_token(value: str) -> None:
        cache.set("celery-test-token", value, 60)

    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        remember_token.delay(token)
        deadline = time.monotonic() + 20
        while cache.get("celery-test-token") != token and time.monotonic() < deadline:
            time.sleep(0.05)
    assert cache.get("celery-test-token") == token
