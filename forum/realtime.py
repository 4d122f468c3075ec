"""Live updates over websockets. Called after commit; a broken channel layer never breaks posting."""

from __future__ import annotations

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

logger = logging.getLogger(__name__)


def thread_group(thread_id: int) -> str:
    return f"thread.{thread_id}"


def post_published(*, post_id: int, thread_id: int) -> None:
    """Tell readers of a thread that a published reply arrived.

    Only ids travel: each reader's page fetches what it may see, so content-note preferences and
    moderation state are applied per reader, and no text leaks through the socket.
    """
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(
            thread_group(thread_id), {"type": "post.published", "post_id": post_id, "thread_id": thread_id}
        )
    except Exception:  # Redis down: members still post; live updates resume when it is back.
        logger.warning("Live update for post %s not sent", post_id, exc_info=True)
