"""The Redis channel layer's connections keep idle websocket readers alive, and let closed ones go.

channels-redis waits for messages with a blocking pop of ``brpop_timeout`` (5 s). redis-py's default
read timeout is also 5 s, so on a busy host the pop's empty answer landed just after the client gave
up and every reader waiting on that worker lost its consumer (bench/ws_fanout.py lost 4-6 of 500
readers a run). Raising the read timeout to 15 s instead made the consumer tests hang: with any read
timeout redis-py sends through ``asyncio.wait_for``, which on Python 3.11 swallows a cancellation
landing as the send completes, so a closed socket's receive kept popping forever.
"""

from __future__ import annotations

import asyncio

import pytest
from channels.layers import get_channel_layer
from channels_redis.core import RedisChannelLayer
from django.conf import settings

pytestmark = pytest.mark.redis


def _connection():
    """A connection as the layer's pool makes them (not connected)."""
    layer = get_channel_layer()
    assert isinstance(layer, RedisChannelLayer)
    return layer.create_pool(0).make_connection()


def test_reads_never_give_up_before_the_layers_blocking_pop():
    connection = _connection()
    # No asyncio read timeout at all (see the module docstring), so none can race the pop...
    assert connection.socket_timeout is None
    # ...while connecting is still bounded, and a dead Redis is noticed by TCP keepalive.
    assert 0 < connection.socket_connect_timeout <= 10
    assert connection.socket_keepalive is True


def test_a_dead_redis_is_noticed_by_keepalive_well_after_the_blocking_pop():
    import socket

    connection = _connection()
    assert connection.socket_keepalive is True
    if not hasattr(socket, "TCP_KEEPIDLE"):
        # Not Linux (Hearth's deploy target): keepalive is on, with the system's timing.
        return
    options = connection.socket_keepalive_options
    noticed_after = options[socket.TCP_KEEPIDLE] + options[socket.TCP_KEEPCNT] * options[socket.TCP_KEEPINTVL]
    assert get_channel_layer().brpop_timeout * 3 <= noticed_after <= 120


def test_a_worker_has_connections_for_hundreds_of_readers_leaving_at_once():
    assert get_channel_layer().create_pool(0).max_connections >= 500


@pytest.mark.asyncio
async def test_a_cancelled_receive_always_ends():
    """Closing a socket cancels its consumer's receive; the receive must end, wherever it was.

    Cancels a receive at every step of its first round trips (connect, SELECT, the cleanup script,
    the pop's send). With a read timeout set (the shipped 5 s or 15 s) some kept running.
    """
    config = {**settings.CHANNEL_LAYERS["default"]["CONFIG"], "prefix": "hearth:test-cancel"}
    layer = RedisChannelLayer(**config)
    still_running = 0
    try:
        for attempt in range(120):
            receive = asyncio.ensure_future(layer.receive(await layer.new_channel()))
            for _ in range(attempt % 40):
                await asyncio.sleep(0)
            receive.cancel()
            done, _ = await asyncio.wait([receive], timeout=1)
            if not done:
                still_running += 1
                while not receive.done():  # let the survivor go before the loop closes
                    receive.cancel()
                    await asyncio.wait([receive], timeout=1)
                break
    finally:
        await layer.close_pools()
    assert still_running == 0
