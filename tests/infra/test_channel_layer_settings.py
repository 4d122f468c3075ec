"""The Redis channel layer's connection settings keep idle websocket readers alive.

channels-redis waits for messages with a blocking pop of ``brpop_timeout`` (5 s) seconds; redis-py's
default read timeout is also 5 s, so on a busy host the pop's empty answer lands just after the
client gave up, the read fails and every reader waiting on that worker's receive loses its
consumer (bench/ws_fanout.py lost 4-6 of 500 readers a run before this was set).
"""

from __future__ import annotations

import pytest
from channels.layers import get_channel_layer

pytestmark = pytest.mark.redis


def test_reads_wait_longer_than_the_layers_blocking_pop():
    layer = get_channel_layer()
    pool = layer.create_pool(0)
    assert pool.connection_kwargs.get("socket_timeout", 5) > layer.brpop_timeout


def test_a_worker_has_connections_for_hundreds_of_readers_leaving_at_once():
    pool = get_channel_layer().create_pool(0)
    assert pool.max_connections >= 500
