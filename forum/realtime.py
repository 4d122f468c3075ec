"""Live updates over websockets. Called after commit; a broken channel layer never breaks posting."""

from __future__ import annotations

import logging
import uuid

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)

#: The close code a thread socket gets when its reader may not (or may no longer) see the thread.
NOT_VISIBLE = 4404


def thread_group(thread_id: int) -> str:
    return f"thread.{thread_id}"


def _send(thread_id: int, message: dict) -> None:
    """Send to the thread's readers. Each message carries a fresh ``event_id``, under which a worker
    reads the thread's state once for all the readers it serves (forum/consumers.py)."""
    layer = get_channel_layer()
    if layer is None:
        return
    message = {**message, "event_id": uuid.uuid4().hex}
    try:
        async_to_sync(layer.group_send)(thread_group(thread_id), message)
    except Exception:  # Redis down: members still post; live updates resume when it is back.
        logger.warning("Live update %s for thread %s not sent", message["type"], thread_id, exc_info=True)


def post_published(*, post_id: int, thread_id: int) -> None:
    """Tell readers of a thread that a published reply arrived.

    Only ids travel: each reader's page fetches what it may see, so content-note preferences and
    moderation state are applied per reader, and no text leaks through the socket.
    """
    _send(thread_id, {"type": "post.published", "post_id": post_id, "thread_id": thread_id})


def thread_visibility_changed_on_commit(*, thread_id: int) -> None:
    """After commit, have every open socket on the thread ask again whether its reader may see it
    (those who may not are closed with NOT_VISIBLE)."""
    transaction.on_commit(lambda: _send(thread_id, {"type": "thread.visibility", "thread_id": thread_id}))
